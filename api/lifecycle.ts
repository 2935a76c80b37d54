import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, type SignalDefinition, type UpdateDefinition } from '@temporalio/common';
import { annualReportWorkflowId } from '../domain/annualReport';
import { meetingWorkflowId } from '../domain/meeting';
import type { MeetingInput } from '../workflows/councilMeeting';
import { reportDeadlines, type AnnualReportInput } from '../workflows/annualReport';
import { workflowIdFor, type DeadlineSettings, type LifecycleInput } from '../workflows/input';
import { failureTypes, stateQuery } from '../workflows/messages';
import { ProposalId, ProposalStage, RequestedAmountDKK, FundingTrack, WelfareArea } from '../workflows/searchAttributes';
import { wholeKroner } from '../domain/money';
import type { LifecycleState } from '../domain/lifecycleState';
import { isRefusal, type Refusal } from '../domain/refusals';
import { dependencyTimeoutMs, outageOf } from './dependencies';
import { conflict, forbidden, HttpProblem, unavailable } from './problem';
import { updateIdForRequest } from './requestContext';
import { acrossContinueAsNew } from './continuedRun';

/** An accepted Update's handler runs activities; it is given this long before the client is told to retry. */
const updateResultTimeoutMs = 30_000;
/** Whether an Update that ran past the bound was accepted: Temporal knows at once, by its Update ID. */
const acceptedCheckMs = 300;

/** The API's view of the proposalLifecycle workflows: start, ask, and act through Updates. */
export function lifecycleClient(client: Client, taskQueue: string) {
  const handle = (proposalId: string) => client.workflow.getHandle(workflowIdFor(proposalId));
  /** Whether Temporal itself answers, when a call to a workflow did not come back. */
  const temporalAnswers = () =>
    client.connection
      .withDeadline(Date.now() + 400, () => client.workflowService.getSystemInfo({}))
      .then(
        () => true,
        () => false,
      );
  /**
   * Every call to Temporal is bounded, so an outage is answered (503) rather than waited
   * out. A call that ran out of time is told apart: Temporal itself down, or no worker.
   */
  const bounded = async <T>(fn: () => Promise<T>, ms = dependencyTimeoutMs): Promise<T> => {
    try {
      return await client.connection.withDeadline(Date.now() + ms, fn);
    } catch (err) {
      if (outageOf(err) !== 'workers') throw err;
      throw unavailable((await temporalAnswers()) ? 'workers' : 'temporal');
    }
  };

  return {
    async start(input: LifecycleInput) {
      await bounded(() =>
        client.workflow.start('proposalLifecycle', {
          taskQueue,
          workflowId: workflowIdFor(input.proposalId),
          args: [input],
          memo: { title: input.summary.title },
          typedSearchAttributes: [
            { key: ProposalId, value: input.proposalId },
            { key: ProposalStage, value: 'Motivation' },
            { key: WelfareArea, value: input.summary.welfareArea },
            { key: FundingTrack, value: input.summary.fundingTrack },
            { key: RequestedAmountDKK, value: wholeKroner(input.summary.requestedOre) },
          ],
        }),
      );
    },

    /** Whether a workflow was started by the request a digest names (its memo's `request`); throws when Temporal cannot say. */
    async startedBy(workflowId: string, request: string): Promise<boolean> {
      try {
        const { memo } = await bounded(() => client.workflow.getHandle(workflowId).describe());
        return memo?.request === request;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    },

    /** Whether Temporal has the proposal's workflow; throws when Temporal cannot say. */
    async exists(proposalId: string): Promise<boolean> {
      try {
        await bounded(() => handle(proposalId).describe());
        return true;
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    },

    /** The workflow's state; a 410 once Temporal no longer keeps the workflow (its retention ran out). */
    async state(proposalId: string): Promise<LifecycleState> {
      try {
        return await bounded(() => handle(proposalId).query(stateQuery));
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw new HttpProblem(410, 'Gone', { code: 'historyNotKept', id: proposalId });
        throw err;
      }
    },

    /**
     * The live state if the workflow answers within `ms`, else why not. A workflow answers a
     * query only between workflow tasks, and one running local activities holds its task
     * for as long as they take: a reader that can show the read model instead waits no longer.
     */
    async stateWithin(
      proposalId: string,
      ms: number,
    ): Promise<{ state: LifecycleState; unanswered?: undefined } | { state?: undefined; unanswered: 'workflowTimedOut' | 'workflowNotFound' | 'temporalUnreachable' }> {
      try {
        return { state: await client.connection.withDeadline(Date.now() + ms, () => handle(proposalId).query(stateQuery)) };
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return { unanswered: 'workflowNotFound' };
        // Temporal up means the workflow did not answer, whatever the error (a busy time-skipping
        // server in CI failed a query otherwise than by its deadline): asking again may help.
        return { unanswered: (await temporalAnswers()) ? 'workflowTimedOut' : 'temporalUnreachable' };
      }
    },

    /** Tells a proposal's workflow something it waits for; a workflow that has closed meanwhile needs telling no more. */
    async signal(proposalId: string, def: SignalDefinition<[]>): Promise<void> {
      try {
        await bounded(() => handle(proposalId).signal(def));
      } catch (err) {
        if (!(err instanceof WorkflowNotFoundError) && !isCompletedWorkflowError(err)) throw err;
      }
    },

    /** Runs an Update; a validator's refusal becomes the 403 or 409 it stands for. */
    update<Ret, Args extends [unknown]>(proposalId: string, def: UpdateDefinition<Ret, Args>, arg: Args[0]): Promise<Ret> {
      return updateWorkflow(workflowIdFor(proposalId), def, arg, { case: 'proposal', id: proposalId });
    },

    /** The same for a workflow that is not a proposal's, such as an annual report. */
    updateWorkflow,

    startMeeting,

    /**
     * An Update about a task, sent to the workflow that holds it: the proposal's own,
     * or the one the task names (a stopped case's review, workflows/stoppedCaseReview.ts).
     */
    updateTask<Ret, Args extends [unknown]>(task: { _id: string; proposalId: string; workflowId?: string }, def: UpdateDefinition<Ret, Args>, arg: Args[0]): Promise<Ret> {
      if (task.workflowId) return updateWorkflow(task.workflowId, def, arg, { case: 'workflow', id: task.workflowId });
      return updateWorkflow(workflowIdFor(task.proposalId), def, arg, { case: 'proposal', id: task.proposalId });
    },

    /**
     * Drafts a year's annual report now rather than on the schedule's date; 409 while its
     * workflow runs. `request` names the request that starts it (its memo), so a retry of
     * that request finds its own start (`startedBy`) where another is refused.
     */
    async startAnnualReport(year: number, requestedBy: string, deadlines: DeadlineSettings, request?: string): Promise<{ workflowId: string }> {
      const workflowId = annualReportWorkflowId(year);
      const input: AnnualReportInput = { year, requestedBy, deadlines: reportDeadlines(deadlines) };
      try {
        await bounded(() => client.workflow.start('annualReport', { taskQueue, workflowId, args: [input], ...(request ? { memo: { request } } : {}) }));
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) throw conflict({ code: 'reportUnderway', year });
        throw err;
      }
      return { workflowId };
    },
  };

  /** Starts a planned meeting's workflow (workflows/councilMeeting.ts). */
  async function startMeeting(input: MeetingInput): Promise<{ workflowId: string }> {
    const workflowId = meetingWorkflowId(input.meetingId);
    // A meeting's id is one meeting's: a planning sent again after its meeting ended finds it, not a second run.
    await bounded(() => client.workflow.start('councilMeeting', { taskQueue, workflowId, args: [input], workflowIdReusePolicy: 'REJECT_DUPLICATE' }));
    return { workflowId };
  }

  async function updateWorkflow<Ret, Args extends [unknown]>(
    workflowId: string,
    def: UpdateDefinition<Ret, Args>,
    arg: Args[0],
    what: Closed = { case: 'workflow', id: workflowId },
  ): Promise<Ret> {
    const handle = client.workflow.getHandle(workflowId);
    const describe = () => handle.describe();
    // An Update ID always: a request without an Idempotency-Key still needs one to ask after its own Update below.
    const updateId = updateIdForRequest(workflowId) ?? randomUUID();
    const args = [arg] as unknown as Args;
    try {
      // One call in the common case: taken by a worker and done within the bound.
      return await client.connection.withDeadline(Date.now() + dependencyTimeoutMs, () => acrossContinueAsNew(describe, () => handle.executeUpdate(def, { args, updateId })));
    } catch (err) {
      if (outageOf(err) !== 'workers') throw asProblem(err, what);
    }
    try {
      // Not done in time: accepted and still at work (its handler's own steps may take longer;
      // wait for them), or no worker took it (503; with the request's Update ID a retry finds it).
      const accepted = await bounded(() => handle.startUpdate(def, { args, updateId, waitForStage: 'ACCEPTED' }), acceptedCheckMs);
      return await bounded(() => accepted.result(), updateResultTimeoutMs);
    } catch (err) {
      throw asProblem(err, what);
    }
  }
}
export type LifecycleClient = ReturnType<typeof lifecycleClient>;

/** Which case a closed workflow was, for the refusal. */
type Closed = Omit<Extract<Refusal, { code: 'workflowClosed' }>, 'code'>;

function asProblem(err: unknown, what: Closed): unknown {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const { type, message, details } = err.cause;
    // The validator's refusal travels as the failure's first detail; anything else is told in its own words.
    const refusal: Refusal = isRefusal(details?.[0]) ? details[0] : { code: 'badRequest', message };
    if (type === failureTypes.forbidden) return forbidden(refusal);
    if (type === failureTypes.conflict) return conflict(refusal);
    if (type === failureTypes.notFound) return new HttpProblem(404, 'Not found', refusal);
  }
  if (err instanceof WorkflowNotFoundError || isCompletedWorkflowError(err)) {
    return conflict({ code: 'workflowClosed', ...what });
  }
  return err;
}

function isCompletedWorkflowError(err: unknown): boolean {
  return err instanceof Error && /workflow execution already completed/i.test(err.message);
}
