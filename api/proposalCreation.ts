import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Store } from '../store';
import type { Config } from '../config';
import { proposalSummary, type Proposal } from '../domain/proposal';
import type { Actor } from '../domain/people';
import { reviseUpdate } from '../workflows/messages';
import { HttpProblem } from './problem';
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
        summary: proposalSummary(proposal),
        deadlines: config.deadlines,
      });
      return id;
    } catch (err) {
      await store.proposals.deleteOne({ _id: id });
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
}

/**
 * A revision: the draft goes to the database first, and the workflow adopts it by id
 * (its history carries the summary, not the content). A draft the workflow refuses is deleted.
 */
export async function reviseProposal(deps: { store: Store; lifecycle: LifecycleClient }, actor: Actor, proposalId: string, proposal: Proposal) {
  const { store, lifecycle } = deps;
  const draftId = `${proposalId}.draft.${await store.next(`draft-${proposalId}`)}`;
  await store.drafts.create({ _id: draftId, proposalId, content: proposal, by: actor.userId });
  try {
    await lifecycle.update(proposalId, reviseUpdate, { actor, summary: proposalSummary(proposal), draftId });
  } catch (err) {
    // Refused (403, 409): nothing will adopt it. Anything else may still have reached the workflow.
    if (err instanceof HttpProblem) await store.drafts.deleteOne({ _id: draftId });
    throw err;
  }
}
