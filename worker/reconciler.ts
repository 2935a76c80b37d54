import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';
import type { Config } from '../config';
import type { Reason } from '../domain/refusals';
import { finalStages, stages, type Stage } from '../domain/stages';
import type { ProposalDoc, Store } from '../store';
import { heldFor } from '../store/fund';
import { proposalsInStages } from '../store/proposalsInStages';
import { insertOnce, updateOneSerialised } from '../store/serialised';
import { recordCommitment, stopCommitment } from '../store/commitments';
import { commitmentOf, committingStages } from '../domain/commitment';
import { stateQuery } from '../workflows/messages';
import { stoppedCaseReviewWorkflowId, type StoppedCaseReviewInput } from '../workflows/stoppedCaseReview';

/** Temporal's statuses of a closed run, as the timeline and the pages name them. */
const stoppedStatus: Record<string, string> = {
  TERMINATED: 'Terminated',
  CANCELLED: 'Canceled',
  FAILED: 'Failed',
  TIMED_OUT: 'TimedOut',
};

export interface ReconcileOptions {
  config: Pick<Config, 'operators' | 'temporal'>;
  /** The task queue the review workflows run on; the configured one by default. */
  taskQueue?: string;
  onError?: (err: unknown) => void;
  /** How long a case's workflow must stay missing before the case is stopped for it; 5 minutes by default. */
  missingFor?: number;
  /** How long after its workflow closed a case is stopped; 2 minutes by default. */
  stopGrace?: number;
}

export interface ReconcileReport {
  /** Cases found stopped (and settled) in this pass. */
  stopped: string[];
  /** Cases whose workflow an operator reset since the last pass. */
  reset: string[];
  /** Cases whose commitment for the outlook was missing, asked of their workflow once (those running before the read model existed). */
  backfilled: string[];
}

/** The cases compared with their workflows: those still open, and those stopped whose money is not yet settled. */
const reconciledStages = stages.filter((stage) => !finalStages.has(stage) || stage === 'StoppedByOperator');

/** The proposals' workflows Temporal's visibility lists as running. */
const runningProposals = `WorkflowType = 'proposalLifecycle' AND ExecutionStatus = 'Running'`;

/**
 * The first pass, and every this many after it (an hour at the default minute), describes
 * every case whatever the list says: a run the list still holds as running after it closed
 * (an update visibility lost) is found then.
 */
const describeAllEvery = 60;

/** How long a case may exist without its workflow: creation inserts the draft, then starts the workflow. */
const newDraftGraceMs = 2 * 60_000;

/**
 * A workflow Temporal does not know is taken for deleted only when it is still missing
 * this long after a pass first missed it, and only when a pass misses few: a worker on
 * another namespace, or a Temporal that lost its data, misses every case at once, and a
 * stop cannot be undone.
 */
const missingForMs = 5 * 60_000;
const missingAtOnce = 3;

/**
 * A terminated workflow's activity attempt under way goes on, and may still write: book an
 * earmark, open a task, record a stage. Its time limit is a minute, a lock it waits for is
 * held 45 seconds at most. The case is stopped (its money read, its tasks cancelled, once)
 * after both have passed since the run closed, so what such an attempt wrote is settled too.
 */
const stopGraceMs = 2 * 60_000;

/** Temporal misses too many of the open cases to be the one they ran on: more than a few and more than half, or every one however few. */
export function temporalMissesTooMany(missing: number, open: number): boolean {
  return (missing > missingAtOnce && missing > open / 2) || (missing > 0 && missing === open);
}

/**
 * Compares each case the read model holds open with its workflow in Temporal. An
 * operator may terminate, cancel or reset a workflow in the Temporal UI or CLI, and a
 * workflow may fail or time out; the case's read model, open tasks and money would
 * then no longer match. For a case whose workflow is closed (not completed) this marks
 * it StoppedByOperator, cancels its open tasks, records it on the timeline, and, if the
 * fund still holds a reservation or earmark for it, starts `stoppedCaseReview` so the
 * secretariat decides on that money: nothing is released by itself. A reset (a new run
 * of the same workflow id) is recorded on the timeline. Every step is keyed, so any
 * number of worker processes may run it, and a pass repeated changes nothing.
 */
export function reconciler(store: Store, client: Client, o: ReconcileOptions) {
  const taskQueue = o.taskQueue ?? o.config.temporal.taskQueue;
  const namespace = client.options.namespace;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<ReconcileReport> | undefined;
  let stopped = true;
  let passes = 0;

  async function reconcileOnce(): Promise<ReconcileReport> {
    const report: ReconcileReport = { stopped: [], reset: [], backfilled: [] };
    const missing: Omit<ProposalDoc, 'content'>[] = [];
    const everyCase = passes++ % describeAllEvery === 0;
    const [cases, recorded, listed] = await Promise.all([
      proposalsInStages(store, reconciledStages, { content: 0 }),
      store.commitments.find({}, { _id: 1 }).lean(),
      // A list that fails costs this pass its shortcut, not its work: every case is described.
      everyCase
        ? new Map<string, string>()
        : runningRuns().catch((err: unknown) => {
            o.onError?.(err);
            return new Map<string, string>();
          }),
    ]);
    const hasCommitment = new Set(recorded.map((c) => c._id));
    for (const doc of cases) {
      try {
        if ((await reconcileCase(doc, report, hasCommitment.has(doc._id), listed.get(doc.workflowId))) === 'missing') missing.push(doc);
      } catch (err) {
        o.onError?.(err);
      }
    }
    // Settled stops are compared for their money only: a workflow missing for them says nothing about this Temporal.
    await stopMissing(missing, cases.filter((c) => !c.stoppedByOperator?.settled).length, report);
    return report;
  }

  /** Cases whose workflow Temporal does not know: stopped once missing long enough, unless so many are missing that Temporal is the wrong one. */
  async function stopMissing(missing: Omit<ProposalDoc, 'content'>[], open: number, report: ReconcileReport) {
    if (temporalMissesTooMany(missing.length, open)) {
      o.onError?.(
        new Error(
          `Temporal (namespace ${namespace}) has no workflow for ${missing.length} of the ${open} open cases; none is stopped. Is this worker on the namespace the cases ran on, and does Temporal still have its data?`,
        ),
      );
      return;
    }
    for (const doc of missing) {
      try {
        const since = doc.workflowMissingSince ?? new Date();
        if (!doc.workflowMissingSince) await updateOneSerialised(store, store.proposals, { _id: doc._id }, { $set: { workflowMissingSince: since } });
        if (Date.now() - since.getTime() < (o.missingFor ?? missingForMs)) continue;
        await stop(doc, 'NotFound', undefined);
        report.stopped.push(doc._id);
      } catch (err) {
        o.onError?.(err);
      }
    }
  }

  /**
   * The proposals' runs Temporal lists as running, by workflow id: a page of the list
   * answers for a thousand cases, where a describe answers for one (a pass over 1,000
   * running cases was 1,000 calls a minute). The list lags the runs a moment, so a run
   * that has just closed or been reset is seen at the next pass; a case it does not list
   * is described, as the list may not have it yet, and so is one listed with two runs
   * (a reset or continue-as-new half seen). Read raw: the SDK's list would decode every
   * memo, and one sealed under a retired key would fail the whole list.
   */
  async function runningRuns(): Promise<Map<string, string>> {
    const runs = new Map<string, string>();
    const twice = new Set<string>();
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await client.workflowService.listWorkflowExecutions({ namespace, query: runningProposals, nextPageToken });
      for (const { execution } of page.executions ?? []) {
        if (!execution?.workflowId || !execution.runId) continue;
        if (runs.has(execution.workflowId)) twice.add(execution.workflowId);
        runs.set(execution.workflowId, execution.runId);
      }
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    for (const id of twice) runs.delete(id);
    return runs;
  }

  /** Settles a case whose workflow closed; answers 'missing' for one Temporal does not know, which is left to `stopMissing`. */
  async function reconcileCase(
    doc: Omit<ProposalDoc, 'content'>,
    report: ReconcileReport,
    hasCommitment: boolean,
    listedRunId: string | undefined,
  ): Promise<'missing' | undefined> {
    const handle = client.workflow.getHandle(doc.workflowId);
    let status: string;
    let runId: string | undefined;
    try {
      const d: { runId: string; status: { name: string }; closeTime?: Date } = listedRunId ? { runId: listedRunId, status: { name: 'RUNNING' } } : await handle.describe();
      runId = d.runId;
      if (doc.workflowMissingSince) await updateOneSerialised(store, store.proposals, { _id: doc._id }, { $unset: { workflowMissingSince: 1 } });
      if (d.status.name === 'RUNNING') {
        if (await noticeRun(doc, d.runId)) report.reset.push(doc._id);
        if (!hasCommitment && committingStages.includes(doc.stage as Stage)) {
          // Numbered as the workflow's newest, so its next write replaces this one and an older one does not.
          const state = await handle.query(stateQuery);
          await recordCommitment(store, { proposalId: doc._id, seq: state.commitmentSeq ?? 0, commitment: commitmentOf(state) });
          report.backfilled.push(doc._id);
        }
        return;
      }
      // Completed: the case closed itself and its read model is catching up. Continued as new: a newer run answers next time.
      if (!(d.status.name in stoppedStatus)) return;
      if (d.closeTime && Date.now() - d.closeTime.getTime() < (o.stopGrace ?? stopGraceMs)) return;
      status = stoppedStatus[d.status.name]!;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      // A new draft is stored a moment before its workflow starts (and deleted if the start fails).
      if (doc.createdAt && Date.now() - doc.createdAt.getTime() < newDraftGraceMs) return;
      // Deleted in the UI, or past the namespace's retention; or the wrong Temporal.
      return doc.stoppedByOperator?.settled ? undefined : 'missing';
    }
    if (doc.stoppedByOperator?.settled) return;
    await stop(doc, status, runId);
    report.stopped.push(doc._id);
  }

  /** A run the reconciler has not seen: recorded; a reset says so on the timeline. Answers whether it was a reset. */
  async function noticeRun(doc: Omit<ProposalDoc, 'content'>, runId: string): Promise<boolean> {
    if (doc.runId === runId) return false;
    const reset = doc.runId ? await resetThatMade(doc.workflowId, runId) : undefined;
    if (reset) {
      await insertOnce(store.events, `${doc._id}.operator.reset.${runId}`, {
        proposalId: doc._id,
        type: doc.stoppedByOperator ? 'resetAfterStop' : 'workflowReset',
        at: new Date(),
        by: 'operator',
        details: { ...reset, stage: doc.stage },
      });
    }
    await updateOneSerialised(store, store.proposals, { _id: doc._id }, { $set: { runId } });
    return reset !== undefined;
  }

  /** The reset that created this run, if one did: its history holds the reset's marker with this run as the new one. */
  async function resetThatMade(workflowId: string, runId: string) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const marker = history.events
      ?.map((e) => e.workflowTaskFailedEventAttributes)
      .filter((a) => a?.cause === temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW && a.newRunId === runId)
      .at(-1);
    if (!marker) return undefined; // a continue-as-new
    return { baseRunId: marker.baseRunId ?? undefined, runId, reason: marker.failure?.message ?? undefined, identity: marker.identity ?? undefined };
  }

  /** How the run ended, in Temporal's words: the termination's or failure's reason and who gave it. */
  async function closingOf(workflowId: string, runId: string | undefined): Promise<{ reason?: string; identity?: string }> {
    if (!runId) return {};
    const { history } = await client.workflowService.getWorkflowExecutionHistoryReverse({ namespace, execution: { workflowId, runId }, maximumPageSize: 1 });
    const last = history?.events?.[0];
    const terminated = last?.workflowExecutionTerminatedEventAttributes;
    if (terminated) return { reason: terminated.reason || undefined, identity: terminated.identity || undefined };
    const failed = last?.workflowExecutionFailedEventAttributes;
    // A failure's message is encrypted with the payloads (workflows/failureConverter.ts): read through the client's codec.
    if (failed) return { reason: (await decodeOptionalFailureToOptionalError(client.options.loadedDataConverter, failed.failure))?.message || undefined };
    const cancelled = last?.workflowExecutionCanceledEventAttributes;
    if (cancelled) return { reason: 'cancellation requested' };
    return {};
  }

  async function stop(doc: Omit<ProposalDoc, 'content'>, status: string, runId: string | undefined) {
    const at = new Date();
    const { reservedOre, earmarkedOre } = await heldFor(store, doc._id);
    const closing = await closingOf(doc.workflowId, runId);
    // First the mark: from here on the read model moves no further (see recordStage), whatever a late activity writes.
    await updateOneSerialised(
      store,
      store.proposals,
      { _id: doc._id, stoppedByOperator: { $exists: false } },
      {
        $set: {
          stage: 'StoppedByOperator',
          stageChangedAt: at,
          ...(runId ? { runId } : {}),
          stoppedByOperator: { at, status, runId, fromStage: doc.stage, ...closing, reservedOre, earmarkedOre, settled: false },
        },
      },
    );
    await stopCommitment(store, doc._id);
    const mark = (await store.proposals.findById(doc._id, { stoppedByOperator: 1, createdBy: 1, 'content.title': 1 }).lean())!;
    const stop = mark.stoppedByOperator!;
    const cancelReason: Reason = { code: 'proposalClosed', stage: 'StoppedByOperator' };
    for (const task of await store.tasks.find({ proposalId: doc._id, status: 'open', workflowId: { $exists: false } }, { _id: 1 }).lean()) {
      await updateOneSerialised(store, store.tasks, { _id: task._id, status: 'open' }, { $set: { status: 'cancelled', cancelReason, completedAt: at } });
    }
    const cancelled = await store.tasks
      .find({ proposalId: doc._id, status: 'cancelled', 'cancelReason.code': cancelReason.code, 'cancelReason.stage': 'StoppedByOperator' }, { _id: 1 })
      .sort({ _id: 1 })
      .lean();
    await insertOnce(store.events, `${doc._id}.stoppedByOperator`, {
      proposalId: doc._id,
      type: 'stoppedByOperator',
      at: stop.at,
      by: 'operator',
      details: {
        status: stop.status,
        fromStage: stop.fromStage,
        ...(stop.reason ? { reason: stop.reason } : {}),
        ...(stop.identity ? { identity: stop.identity } : {}),
        ...(stop.runId ? { runId: stop.runId } : {}),
        cancelledTaskIds: cancelled.map((t) => t._id),
        reservedOre: stop.reservedOre,
        earmarkedOre: stop.earmarkedOre,
      },
    });
    if (stop.reservedOre > 0 || stop.earmarkedOre > 0) await startReview(doc._id, mark, stop);
    await updateOneSerialised(store, store.proposals, { _id: doc._id }, { $set: { 'stoppedByOperator.settled': true } });
  }

  async function startReview(proposalId: string, doc: Pick<ProposalDoc, 'createdBy' | 'content'>, stop: NonNullable<ProposalDoc['stoppedByOperator']>) {
    const input: StoppedCaseReviewInput = {
      proposalId,
      title: (doc.content as { title?: string } | undefined)?.title ?? proposalId,
      assignee: await secretaryFor(doc.createdBy),
      dueInMs: o.config.operators.stoppedCaseReview,
      status: stop.status,
      reservedOre: stop.reservedOre,
      earmarkedOre: stop.earmarkedOre,
    };
    try {
      await client.workflow.start('stoppedCaseReview', { taskQueue, workflowId: stoppedCaseReviewWorkflowId(proposalId), args: [input] });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err; // started by an earlier pass or another worker
    }
  }

  /** The case's secretary if still active in the secretariat; else the first who is. */
  async function secretaryFor(createdBy: string | undefined): Promise<string> {
    const active = await store.users.find({ roles: 'secretariat', active: true }, { _id: 1 }).sort({ _id: 1 }).lean();
    if (active.length === 0) throw new Error('no active member of the secretariat to review a stopped case');
    return active.find((u) => u._id === createdBy)?._id ?? active[0]._id;
  }

  function schedule(ms: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void round(), ms);
    timer.unref?.();
  }

  async function round() {
    running = reconcileOnce();
    try {
      await running;
    } catch (err) {
      o.onError?.(err);
    } finally {
      running = undefined;
      schedule(o.config.operators.reconcileEvery);
    }
  }

  return {
    reconcileOnce,
    /** Once now, then every `operators.reconcileEvery`. */
    start() {
      stopped = false;
      schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
export type Reconciler = ReturnType<typeof reconciler>;
