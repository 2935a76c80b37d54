import { Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError, WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { contractingActionInput } from '../../domain/contract';
import { annualReportWorkflowId } from '../../domain/annualReport';
import type { Actor, Role } from '../../domain/people';
import { procurementActionInput } from '../../domain/procurementInput';
import { proposalSchema, proposalSummary, type ProposalInput } from '../../domain/proposal';
import type { Stage } from '../../domain/stages';
import { commitmentOf, termsOf } from '../../domain/commitment';
import { caseFlows } from '../../domain/outlook';
import { taskInputSchemas, type TaskInput, type TaskKind } from '../../domain/tasks';
import { workflowIdFor, type LifecycleInput } from '../../workflows/input';
import { completeTaskUpdate, contractingUpdate, procurementUpdate, reviseUpdate, stateQuery, submitUpdate, withdrawUpdate } from '../../workflows/messages';
import { reportDeadlines, reportSecretariatUpdate, type annualReport } from '../../workflows/annualReport';
import type { proposalLifecycle } from '../../workflows/proposalLifecycle';
import { meetingSettings, type councilMeeting, type MeetingInput } from '../../workflows/councilMeeting';
import { meetingWorkflowId, type MeetingKind } from '../../domain/meeting';
import { actor } from './drive';
import { acrossContinueAsNew } from '../../api/continuedRun';
import { eventually } from './eventually';
import { uniqueName, workflowTestTools } from './servers';
import { FakeFund, FakeWorld, fakeConfig, stubActivities, type FakeTask, type FakeWorldOptions, type Overrides } from './stubActivities';

export { FakeFund };
export type { Overrides };
import { startTimeSkippingServer } from './timeSkippingServer';

export const sara = actor('sara.secretariat', 'secretariat');

/** Waits briefly for what the workflow does after an Update has returned (its next activities). */
export const soon = <T>(check: () => T | Promise<T>) => eventually(check, 10_000, 20);

/** What a refused Update failed with: the failure type the API maps to 403 or 409. */
export async function refusal(promise: Promise<unknown>): Promise<string | undefined> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof WorkflowUpdateFailedError))
    throw new Error(`expected the Update to be refused, got ${err === undefined ? 'success' : err instanceof Error ? err.message : JSON.stringify(err)}`);
  return err.cause instanceof ApplicationFailure ? (err.cause.type ?? undefined) : undefined;
}

/** The refusal's code, as the API answers it. */
export async function refusalCode(promise: Promise<unknown>): Promise<string | undefined> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure)) throw new Error(`expected the Update to be refused, got ${String(err)}`);
  return (err.cause.details?.[0] as { code?: string } | undefined)?.code;
}

/**
 * The real workflow code on Temporal's time-skipping test server, with every activity
 * an in-memory fake (test/support/stubActivities.ts): no database, no dev server. One
 * worker per test file; each proposal gets a world of its own, so a test can seat
 * another council, give the fund less money, or override any activity.
 */
export async function startWorkflowLogic() {
  const env = await startTimeSkippingServer();
  const taskQueue = uniqueName('logic');
  const routes = new Map<string, Activities>();
  // Each activity call goes to the stubs of the workflow that made it.
  const router = Object.fromEntries(
    Object.keys(stubActivities().activities).map((name) => [
      name,
      (input: unknown) => {
        const workflowId = Context.current().info.workflowExecution?.workflowId ?? '';
        const stubs = routes.get(workflowId);
        if (!stubs) throw ApplicationFailure.nonRetryable(`no stubbed activities for ${workflowId}`);
        return (stubs[name as keyof Activities] as (input: unknown) => unknown)(input);
      },
    ]),
  ) as Activities;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: workflowTestTools().workflowBundle },
    activities: router,
  });
  const running = worker.run();
  let counter = 0;

  /** Starts a proposal's lifecycle as the API would, in Motivation, with its own fakes. */
  async function startProposal(proposal: ProposalInput, options: FakeWorldOptions & { overrides?: Overrides; councilVoting?: LifecycleInput['councilVoting'] } = {}) {
    counter += 1;
    const proposalId = `FAST-${process.pid}-${counter}`;
    const content = proposalSchema.parse(proposal);
    const world = new FakeWorld(options);
    const { activities } = stubActivities(options.overrides, world);
    const workflowId = workflowIdFor(proposalId);
    routes.set(workflowId, activities);
    const args: LifecycleInput = {
      proposalId,
      createdBy: sara.userId,
      summary: proposalSummary(content),
      deadlines: fakeConfig.deadlines,
      ...(options.councilVoting ? { councilVoting: options.councilVoting } : {}),
    };
    const handle: WorkflowHandle<typeof proposalLifecycle> = await env.client.workflow.start('proposalLifecycle', { taskQueue, workflowId, args: [args] });
    return proposalCase(proposalId, handle, world);
  }

  /** Starts the year's annual report as the Schedule or the secretariat would, with its own fakes. */
  async function startAnnualReport(year: number, options: FakeWorldOptions & { overrides?: Overrides } = {}) {
    const world = new FakeWorld(options);
    const workflowId = annualReportWorkflowId(year);
    routes.set(workflowId, stubActivities(options.overrides, world).activities);
    const handle: WorkflowHandle<typeof annualReport> = await env.client.workflow.start('annualReport', {
      taskQueue,
      workflowId,
      args: [{ year, requestedBy: sara.userId, deadlines: reportDeadlines(fakeConfig.deadlines) }],
    });
    return reportCase(handle, world);
  }

  /** Plans a meeting as the API would, `startsInMs` ahead on the test server's clock, with its own fakes. */
  async function startMeeting(startsInMs: number, options: FakeWorldOptions & { kind?: MeetingKind } = {}) {
    counter += 1;
    const meetingId = `M-20300101-${String(counter).padStart(6, '0')}`;
    const world = new FakeWorld(options);
    const workflowId = meetingWorkflowId(meetingId);
    routes.set(workflowId, stubActivities({}, world).activities);
    const input: MeetingInput = {
      meetingId,
      kind: options.kind ?? 'council',
      // The server's clock, which earlier tests may have skipped ahead.
      startsAt: new Date((await env.currentTimeMs()) + startsInMs).toISOString(),
      place: 'Rådhuset',
      plannedBy: sara.userId,
      settings: meetingSettings(fakeConfig.council, fakeConfig.deadlines),
    };
    const handle: WorkflowHandle<typeof councilMeeting> = await env.client.workflow.start('councilMeeting', { taskQueue, workflowId, args: [input] });
    return { meetingId, handle, world };
  }

  return {
    env,
    startProposal,
    startAnnualReport,
    startMeeting,
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
}
export type WorkflowLogic = Awaited<ReturnType<typeof startWorkflowLogic>>;

/**
 * One test server and worker for the whole test file, started before its tests and
 * stopped after them: each file pays ~3 s of CPU for them, so the stages share files.
 */
export function useWorkflowLogic(): () => WorkflowLogic {
  let logic: WorkflowLogic | undefined;
  beforeAll(async () => {
    logic = await startWorkflowLogic();
  });
  afterAll(() => logic?.stop());
  return () => {
    if (!logic) throw new Error('the time-skipping server has not started');
    return logic;
  };
}

/** One proposal under test: its handle, its fakes, and the steps people take through the API's Updates. */
function proposalCase(proposalId: string, handle: WorkflowHandle<typeof proposalLifecycle>, world: FakeWorld) {
  const state = () => handle.query(stateQuery);
  let drafts = 0;

  /** The one open task of a kind (for that assignee), once the workflow has opened it. */
  function openTask(kind: TaskKind, assignee?: string): Promise<FakeTask> {
    return soon(() => {
      const open = world.tasksOf(kind, 'open').filter((t) => assignee === undefined || t.assignee === assignee);
      if (open.length !== 1) throw new Error(`${open.length} open ${kind} tasks${assignee ? ` for ${assignee}` : ''}; expected one`);
      return open[0];
    });
  }

  /** Completes a task as `by` (its assignee unless said otherwise); the input is decoded with the API's schema first. */
  async function complete(kind: TaskKind, input: unknown, opts: { assignee?: string; by?: string; role?: Role } = {}) {
    const task = await openTask(kind, opts.assignee);
    const decoded = taskInputSchemas[kind].parse(input);
    // As the API passes it: the person's roles now, which unless said otherwise are the ones the task needs.
    const by = actor(opts.by ?? task.assignee!, opts.role ?? task.role, task.department);
    await handle.executeUpdate(completeTaskUpdate, { args: [{ actor: by, taskId: task.id, input: decoded }] });
    return task;
  }

  return {
    proposalId,
    handle,
    world,
    state,
    openTask,
    complete,
    /** Answers a task by id, as the API passes it on, whatever state the task is in. */
    answer: (taskId: string, by: Actor, input: TaskInput) => handle.executeUpdate(completeTaskUpdate, { args: [{ actor: by, taskId, input }] }),
    /**
     * A revision as the API makes it: the draft is stored first (here nowhere: adoptDraft
     * is a fake), the workflow gets its summary and id.
     */
    revise: (proposal: ProposalInput, by = sara, updateId?: string) => {
      drafts += 1;
      const summary = proposalSummary(proposalSchema.parse(proposal));
      return handle.executeUpdate(reviseUpdate, { args: [{ actor: by, summary, draftId: `${proposalId}.draft.${drafts}` }], ...(updateId ? { updateId } : {}) });
    },
    /** `revision`: the one the sender checked for completeness, as the API and the form send it. */
    submit: (by = sara, revision?: number) => handle.executeUpdate(submitUpdate, { args: [{ actor: by, ...(revision === undefined ? {} : { revision }) }] }),
    withdraw: (reason: string, by = sara) => handle.executeUpdate(withdrawUpdate, { args: [{ actor: by, reason }] }),
    /** A withdrawal that answers once the workflow took or refused it, not when it is done: one taken waits for any step the test holds. */
    async sendWithdrawal(reason: string, by = sara) {
      const update = await handle.startUpdate(withdrawUpdate, { args: [{ actor: by, reason }], waitForStage: WorkflowUpdateStage.ACCEPTED });
      // A refusal's outcome comes with that answer; a withdrawal taken would wait for the held step, so it answers nothing.
      return Promise.race([update.result(), new Promise<void>((resolve) => setTimeout(resolve, 1000).unref())]);
    },
    vote: (member: string, decision: 'approve' | 'reject' | 'returnForChanges' | 'conflictOfInterest', comment?: string) =>
      complete('councilVote', { decision, ...(comment ? { comment } : {}) }, { assignee: member }),
    /** A member's answer on a recommendation of a provider (awardDecision) or an investor (investorDecision). */
    decide: (kind: 'awardDecision' | 'investorDecision', member: string, decision: 'approve' | 'return' | 'conflictOfInterest', comments?: string) =>
      complete(kind, { decision, ...(comments ? { comments } : {}) }, { assignee: member }),
    /** Two of the three members approve the recommendation; the third member's task is then cancelled. */
    async councilApproves(kind: 'awardDecision' | 'investorDecision') {
      for (const member of world.council.members.slice(0, 2)) await this.decide(kind, member, 'approve');
    },
    attest: (opts: { assignee?: string; role?: Role } = {}) =>
      complete('councilAttestation', { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true }, opts),
    /** A procurement step as the API takes it: the body is decoded with the same schema. */
    procure: (body: unknown, by = sara) => handle.executeUpdate(procurementUpdate, { args: [{ actor: by, input: procurementActionInput.parse(body) }] }),
    contract: (body: unknown, by = sara) => handle.executeUpdate(contractingUpdate, { args: [{ actor: by, input: contractingActionInput.parse(body) }] }),
    /** Waits until the read model has been told of `stage` (in memory, no polling of the server), then reads the state. */
    async waitForStage(stage: Stage) {
      await soon(() => {
        if (world.stages.at(-1)?.stage !== stage) throw new Error(`the read model shows ${world.stages.at(-1)?.stage}, waiting for ${stage}`);
      });
      return state();
    },
    /**
     * The case's expected payments and returns as the outlook computes them from the
     * commitment the workflow last recorded, and from its state now: the two must agree
     * whenever the workflow waits.
     */
    async outlookFlows(proposal: ProposalInput, today: string) {
      const live = commitmentOf(await state());
      const recorded = world.commitments.get(proposalId);
      const terms = termsOf(proposalSchema.parse(proposal));
      return {
        recorded: recorded && { stage: recorded.commitment.stage, flows: caseFlows(proposalId, terms, recorded.commitment, today) },
        live: { stage: live.stage, flows: caseFlows(proposalId, terms, live, today) },
      };
    },
    /** Unanimous approval with the chair's attestation, the mayor's approval and the department's agreement. */
    async approveThroughAgreement(savingsShare: unknown = { kind: 'percentage', basisPoints: 3000 }) {
      await this.submit();
      // A majority of the council decides; the other members' vote tasks are then cancelled.
      const majority = world.council.members.slice(0, Math.floor(world.council.members.length / 2) + 1);
      for (const member of majority) await this.vote(member, 'approve');
      await this.attest();
      await complete('mayoralApproval', { decision: 'approve' });
      await complete('cooperationAgreement', { savingsShare, conditions: 'Efter revision' });
    },
  };
}
export type ProposalCase = ReturnType<typeof proposalCase>;

/** One annual report under test: its handle, its fakes, and the steps the secretariat and the council members take through the API's Updates. */
function reportCase(handle: WorkflowHandle<typeof annualReport>, world: FakeWorld) {
  /** The open answer task of a member of the council, once the round has opened it. */
  const taskOf = (member: string) =>
    soon(() => {
      const task = world.tasksOf('reportApproval', 'open').find((t) => t.assignee === member);
      if (!task) throw new Error(`no open reportApproval task for ${member}`);
      return task;
    });
  return {
    handle,
    world,
    taskOf,
    /** Once version `version` of the figures is drafted and the secretariat told: its text can be written and the report sent. */
    drafted: (version = 1) => soon(() => expect(world.notified('annualReportDrafted')).toHaveLength(version)),
    step: (step: 'submit' | 'redraft' | 'markSent', by = sara) =>
      acrossContinueAsNew(
        () => handle.describe(),
        () => handle.executeUpdate(reportSecretariatUpdate, { args: [{ actor: by, step }] }),
      ),
    /** A member's answer as the API passes it on: decoded with the task's schema, the actor with the council member's role. */
    async answer(member: string, decision: 'approve' | 'return', comments?: string, by = actor(member, 'councilMember')) {
      const task = await taskOf(member);
      const input = taskInputSchemas.reportApproval.parse({ decision, ...(comments ? { comments } : {}) });
      return handle.executeUpdate(completeTaskUpdate, { args: [{ actor: by, taskId: task.id, input }] });
    },
  };
}
export type ReportCase = ReturnType<typeof reportCase>;
