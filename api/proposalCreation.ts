import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Store } from '../store';
import { caseId, lastCaseNumber, lastKeptCaseNumber, noteKeptCaseNumber } from '../store/caseNumbers';
import { isDuplicateKey } from '../store/serialised';
import type { Config } from '../config';
import { proposalSummary, type Proposal } from '../domain/proposal';
import type { Actor } from '../domain/people';
import { aboveDirectFinancingCeiling } from '../domain/directFinancing';
import type { Refusal } from '../domain/refusals';
import { reviseUpdate } from '../workflows/messages';
import { HttpProblem } from './problem';
import { workflowIdFor } from '../workflows/input';
import type { LifecycleClient } from './lifecycle';
import { digestForRequest } from './requestContext';

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
 *
 * Reading every number of the year costs a scan that grows with the fund, so a request
 * first tries the number after the last one this process kept; only when that is taken
 * are the numbers read (as before, on every conflict). Numbers are kept only once the
 * workflow runs, so a number freed by a failed start is tried again.
 */
export async function createProposal(deps: { config: Config; store: Store; lifecycle: LifecycleClient }, createdBy: string, proposal: Proposal) {
  const { config, store, lifecycle } = deps;
  const year = new Date().getUTCFullYear();
  let floor = 1;
  let guess = lastKeptCaseNumber(store, year);
  for (;;) {
    const number = Math.max(floor, (guess ?? (await lastCaseNumber(store, year))) + 1);
    guess = undefined; // tried once; after a conflict the numbers are read
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
        summary: proposalSummary(proposal),
        deadlines: config.deadlines,
        councilVoting: config.council.voting,
      });
      noteKeptCaseNumber(store, year, number);
      return id;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        await store.proposals.deleteOne({ _id: id });
        floor = number + 1; // Temporal's already: never reused
        continue;
      }
      // The start may have reached Temporal though its answer did not come back. With Temporal
      // down there is no asking: the number is freed, and if the workflow does exist after all,
      // the next creation finds it taken and skips it.
      const temporalDown = err instanceof HttpProblem && err.refusal.code === 'unavailable' && err.refusal.dependency === 'temporal';
      if (!temporalDown && (await lifecycle.exists(id).catch(() => false))) {
        noteKeptCaseNumber(store, year, number);
        return id;
      }
      await store.proposals.deleteOne({ _id: id });
      throw err;
    }
  }
}

/**
 * A revision: the draft goes to the database first, and the workflow adopts it by id
 * (its history carries the summary, not the content). A draft the workflow refuses is deleted.
 */
export async function reviseProposal(deps: { store: Store; lifecycle: LifecycleClient }, actor: Actor, proposalId: string, proposal: Proposal, basedOn?: number) {
  const { store, lifecycle } = deps;
  // Any unique id will do: the revision number, not the draft's id, orders revisions. Made from the
  // request's key when it has one, so a revision sent again (after a 503) is the same draft, not one more.
  const draftId = `${proposalId}.draft.${digestForRequest('draft')?.slice(0, 32) ?? randomUUID()}`;
  // Created, not upserted: an upsert would store the fields the form left out as null.
  await store.drafts.create({ _id: draftId, proposalId, content: proposal, by: actor.userId }).catch((err: unknown) => {
    if (!isDuplicateKey(err)) throw err;
  });
  try {
    return await lifecycle.update(proposalId, reviseUpdate, { actor, summary: proposalSummary(proposal), draftId, ...(basedOn === undefined ? {} : { basedOn }) });
  } catch (err) {
    // Refused (403, 409): nothing will adopt it. Anything else (an outage's 503 among them) may still have reached the workflow.
    if (err instanceof HttpProblem && err.status < 500) await store.drafts.deleteOne({ _id: draftId });
    throw err;
  }
}

/** Direct financing above the configured ceiling goes to the council no further; the same refusal for the API and the form. */
export function directFinancingRefusal(config: Config, proposal: Proposal): Refusal | undefined {
  return config.directFinancing && aboveDirectFinancingCeiling(proposal, config.directFinancing.ceiling, config.fund.openingCapital);
}
