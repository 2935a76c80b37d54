import type { Proposal } from '../domain/proposal';
import type { CaseResults } from '../domain/results';
import type { EventDoc, ProposalDoc, Store, TaskDoc } from '.';
import { caseResultsOf } from './results';

export interface ProposalRecords {
  doc: ProposalDoc;
  /** Oldest first. */
  tasks: TaskDoc[];
  /** The timeline, oldest first. */
  events: EventDoc[];
  results: CaseResults | null;
}

/**
 * What a proposal's answer shows from the read model: the proposal, all its tasks, its
 * timeline and its results, in four reads at once, each an indexed equality on the case
 * (FerretDB v1 pushes those down to PostgreSQL). The results are made from the tasks,
 * the timeline and the ledger entries read here, not read a second time. `onFound` runs
 * as soon as the proposal is known to exist, beside the other reads (the access log).
 */
export async function proposalRecords(store: Store, id: string, onFound: (doc: ProposalDoc) => Promise<unknown>): Promise<ProposalRecords | null> {
  const found = store.proposals.findById(id).lean();
  const [doc, tasks, events, entries] = await Promise.all([
    found.then(async (d) => {
      if (d) await onFound(d);
      return d;
    }),
    store.tasks.find({ proposalId: id }).sort({ openedAt: 1, _id: 1 }).lean(),
    store.events.find({ proposalId: id }).sort({ at: 1, _id: 1 }).lean(),
    store.ledger.find({ proposalId: id }).sort({ seq: 1 }).lean(),
  ]);
  if (!doc) return null;
  return { doc, tasks, events, results: caseResultsOf(id, (doc.content as Proposal).fundingTrack, { tasks, events, entries }) };
}
