import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Store } from '../store';
import { caseId, lastCaseNumber } from '../store/caseNumbers';
import { isDuplicateKey } from '../store/serialised';
import type { Config } from '../config';
import { requestedOre, type Proposal } from '../domain/proposal';
import { workflowIdFor } from '../workflows/input';
import type { LifecycleClient } from './lifecycle';


/**
 * A new proposal, from the API or the form. The draft itself takes the next case
 * number (SIF-2026-001): it is inserted with that number as its `_id`, and of two
 * requests that chose the same number the unique index lets one in; the other takes
 * the next. A counter is not used: FerretDB v1 loses concurrent increments, and a
 * counter skips every number a failed request had drawn. So a number is used only
 * by a proposal that exists.
 *
 * The workflow is started after the insert. If that fails the draft is deleted again
 * (its number is free for the next request), unless Temporal did start the workflow
 * and only the answer was lost. A number Temporal already knows (a database restored
 * from an older backup, or two databases on one namespace) is never reused: the
 * next one is taken.
 */
export async function createProposal(deps: { config: Config; store: Store; lifecycle: LifecycleClient }, createdBy: string, proposal: Proposal) {
  const { config, store, lifecycle } = deps;
  const year = new Date().getUTCFullYear();
  let floor = 1;
  for (;;) {
    const number = Math.max(floor, (await lastCaseNumber(store, year)) + 1);
    const id = caseId(year, number);
    try {
      await store.proposals.create({ _id: id, workflowId: workflowIdFor(id), content: proposal, stage: 'Motivation', stageSeq: 0, revision: 0, createdBy });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      floor = number + 1; // another request has it: try the next
      continue;
    }
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
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        await store.proposals.deleteOne({ _id: id });
        floor = number + 1; // Temporal's already: never reused
        continue;
      }
      // The start may have reached Temporal though its answer did not come back.
      if (await lifecycle.exists(id).catch(() => false)) return id;
      await store.proposals.deleteOne({ _id: id });
      throw err;
    }
  }
}
