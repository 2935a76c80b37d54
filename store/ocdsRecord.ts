import { timelineFor } from '../domain/accessPolicy';
import type { OcdsRecord } from '../domain/ocds';
import { stepOf } from '../domain/steps';
import type { Store } from './index';

/**
 * What the Open Contracting export reads beside the workflow's state: the timeline as
 * published (when each change happened; a sealed bid's registration is left out, so
 * not even its time shows) and the outcome payments the ledger booked.
 */
export async function ocdsRecordOf(store: Store, proposalId: string): Promise<OcdsRecord> {
  const [events, payouts] = await Promise.all([
    store.events.find({ proposalId }).sort({ at: 1, _id: 1 }).lean(),
    store.ledger.find({ proposalId, kind: 'outcomePayment' }).sort({ seq: 1 }).lean(),
  ]);
  // No tasks: the export leaves the council's ballots out whatever they say.
  return {
    changes: timelineFor('public', events, []).map((e) => ({ type: e.type, at: e.at.toISOString() })),
    payouts: payouts.map((x) => ({ step: stepOf(proposalId, x._id)!, amountOre: x.amountOre, at: x.createdAt.toISOString() })),
  };
}
