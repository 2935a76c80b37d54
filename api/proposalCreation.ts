import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Store } from '../store';
import type { Config } from '../config';
import { requestedOre, type Proposal } from '../domain/proposal';
import { workflowIdFor } from '../workflows/input';
import type { LifecycleClient } from './lifecycle';

/**
 * A new proposal, from the API or the form: the next case number (SIF-2026-001),
 * the draft in the read model, then its workflow. A number Temporal already knows
 * (a database restored from an older backup, or two databases on one namespace)
 * is never reused: the next one is taken. Nothing is left half-created.
 */
export async function createProposal(deps: { config: Config; store: Store; lifecycle: LifecycleClient }, createdBy: string, proposal: Proposal) {
  const { config, store, lifecycle } = deps;
  const year = new Date().getUTCFullYear();
  for (;;) {
    const id = `SIF-${year}-${String(await store.next(`proposal-${year}`)).padStart(3, '0')}`;
    await store.proposals.create({ _id: id, workflowId: workflowIdFor(id), content: proposal, stage: 'Motivation', stageSeq: 0, revision: 0, createdBy });
    try {
      await lifecycle.start({
        proposalId: id,
        createdBy,
        summary: {
          title: proposal.title,
          welfareArea: proposal.welfareArea,
          fundingTrack: proposal.fundingTrack,
          responsibleDepartment: proposal.responsibleDepartment,
          requestedOre: requestedOre(proposal),
        },
        deadlines: config.deadlines,
      });
      return id;
    } catch (err) {
      await store.proposals.deleteOne({ _id: id });
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
}
