import { timelineFor } from '../domain/accessPolicy';
import type { OcdsRecord } from '../domain/ocds';
import { stepOf } from '../domain/steps';
import type { Store } from './index';

/**
 * What the Open Contracting export reads beside the workflow's state: the timeline as
 * published (when each change happened; a sealed bid's registration is left out, so
 * not even its time shows) and the outcome payments the ledger booked.
 */
export async function ocdsRecordOf(store: Store, proposalId: string, createdAt?: Date): Promise<OcdsRecord> {
  const [events, payouts] = await Promise.all([
    store.events.find({ proposalId }).sort({ at: 1, _id: 1 }).lean(),
    store.ledger.find({ proposalId, kind: 'outcomePayment' }).sort({ seq: 1 }).lean(),
  ]);
  // No tasks: the export leaves the council's ballots out whatever they say.
  const changes = timelineFor('public', events, []).map((e) => ({ type: e.type, at: e.at.toISOString() }));
  // The workflow puts the case's creation on the timeline a moment after the case is stored: until then, the case's own.
  const created = changes.some((c) => c.type === 'created') || !createdAt ? [] : [{ type: 'created', at: createdAt.toISOString() }];
  return {
    changes: [...created, ...changes],
    payouts: payouts.map((x) => ({ step: stepOf(proposalId, x._id)!, amountOre: x.amountOre, at: x.createdAt.toISOString() })),
  };
}
