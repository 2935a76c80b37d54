import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { grantAgreementInput } from '../../domain/grant';
import { earmark } from '../../store/fund';
import { ledger } from '../../store/ledger';
import { workflowIdFor } from '../../workflows/input';
import { stoppedCaseReviewWorkflowId } from '../../workflows/stoppedCaseReview';
import { reconciler } from '../../worker/reconciler';
import { youthAnxietyGroups } from '../fixtures/proposals';
import { approveThroughAgreement, completeOpen, waitForStage } from '../support/drive';
import { eventually } from '../support/eventually';
import { pageVisitor } from '../support/pageVisitor';
import { startStack, type Stack } from '../support/stack';
import { dkk, isoDay } from '../support/units';

/**
 * An operator terminates or resets a case's workflow in Temporal (here with the client,
 * as the Temporal UI does) on the real dev server and FerretDB; the reconciler the worker
 * runs brings the read model, the tasks and the secretariat's work in line.
 */
type ListAnswer = Awaited<ReturnType<Client['workflowService']['listWorkflowExecutions']>>;

describe('workflows closed outside the application', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('operator-stop');
  });
  afterAll(() => stack?.stop());

  // A workflow missing or closed is acted on at once here; the waits after each have tests of their own.
  const reconcile = () =>
    reconciler(stack.store, stack.client, {
      config: stack.config,
      missingFor: 0,
      stopGrace: 0,
      onError: (err) => {
        throw err;
      },
    }).reconcileOnce();
  const ledgerState = async () => ({
    count: await stack.store.ledger.countDocuments(),
    ...(await ledger(stack.store).balances()),
  });

  async function newCase() {
    const created = await (await stack.as('sara.secretariat')).post('/api/proposals', youthAnxietyGroups);
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    return { id, handle: stack.client.workflow.getHandle(workflowIdFor(id)) };
  }

  it('marks a terminated case stopped, cancels its tasks, keeps its reservation until the secretariat releases it once', async () => {
    const { id, handle } = await newCase();
    await approveThroughAgreement(stack.store, handle, id);
    const now = Date.now();
    // The first tranche is due at once, so its confirmation task is open when the operator acts.
    const grant = grantAgreementInput.parse({
      grantee: 'Foreningen Ung i Aarhus',
      amount: '1200000',
      tranches: [
        { dueDate: isoDay(now - 86_400_000), amount: '700000', condition: 'Forløbene er startet' },
        { dueDate: isoDay(now + 180 * 86_400_000), amount: '500000', condition: 'Midtvejsevaluering' },
      ],
      conditions: 'Tilskuddet bruges alene til gruppeforløbene.',
    });
    await completeOpen(stack.store, handle, id, 'grantAgreement', grant, 'secretariat');
    await waitForStage(handle, 'GrantActive');
    const tranche = await eventually(async () => {
      const t = await stack.store.tasks.findOne({ proposalId: id, kind: 'trancheConfirmation', status: 'open' }).lean();
      expect(t).not.toBeNull();
      return t!;
    });

    // Nothing to do while the workflow runs.
    expect((await reconcile()).stopped).not.toContain(id);
    const before = await ledgerState();
    expect(before.reservedByProposal[id]).toBe(dkk(1_200_000));

    await handle.terminate('stuck after a bad deploy');
    const report = await reconcile();
    expect(report.stopped).toEqual([id]);

    const doc = (await stack.store.proposals.findById(id).lean())!;
    expect(doc.stage).toBe('StoppedByOperator');
    expect(doc.stoppedByOperator).toMatchObject({
      status: 'Terminated',
      fromStage: 'GrantActive',
      reason: 'stuck after a bad deploy',
      reservedOre: dkk(1_200_000),
      earmarkedOre: 0,
      settled: true,
    });
    expect((await stack.store.tasks.findById(tranche._id).lean())!.status).toBe('cancelled');
    // Nothing is released by itself.
    expect(await ledgerState()).toEqual(before);
    const stoppedEvent = await stack.store.events.findById(`${id}.stoppedByOperator`).lean();
    expect(stoppedEvent).toMatchObject({ type: 'stoppedByOperator', by: 'operator', details: { status: 'Terminated', cancelledTaskIds: [tranche._id] } });

    // The secretariat's task, held by its own workflow.
    const review = await eventually(async () => {
      const t = await stack.store.tasks.findOne({ proposalId: id, kind: 'stoppedCaseReview', status: 'open' }).lean();
      expect(t).not.toBeNull();
      return t!;
    });
    expect(review).toMatchObject({ assignee: 'sara.secretariat', workflowId: stoppedCaseReviewWorkflowId(id) });

    const sara = await stack.as('sara.secretariat');
    const view = (await sara.get(`/api/proposals/${id}`)).body;
    expect(view).toMatchObject({ stage: 'StoppedByOperator', live: false, stoppedByOperator: { status: 'Terminated', reserved: '1200000.00', earmarked: '0.00' } });
    expect(view.openTasks.map((t: { kind: string }) => t.kind)).toEqual(['stoppedCaseReview']);
    // What the operator typed in Temporal, and who they are there, only to those who act on the stop.
    const stopEvent = (v: { timeline: { type: string; details: Record<string, unknown> }[] }) => v.timeline.find((e) => e.type === 'stoppedByOperator')!.details;
    expect(view.stoppedByOperator.reason).toBe('stuck after a bad deploy');
    expect(stopEvent(view).reason).toBe('stuck after a bad deploy');
    const membersView = (await (await stack.as('bo.member')).get(`/api/proposals/${id}`)).body;
    expect(membersView.stoppedByOperator).toMatchObject({ status: 'Terminated', reason: null, identity: null });
    expect(stopEvent(membersView)).not.toHaveProperty('reason');
    expect(stopEvent(membersView)).not.toHaveProperty('identity');

    // The review's page shows what the fund holds for the case, in Danish and in English.
    const visitor = await pageVisitor(stack.api.url, 'sara.secretariat');
    expect((await visitor.get(`/proposals/${id}`)).text).toContain('Sagens workflow blev stoppet i Temporal: afbrudt (Terminated i Temporal UI)');
    const reviewPage = `/tasks/${encodeURIComponent(review._id)}`;
    const danish = await visitor.get(reviewPage);
    expect(danish.status).toBe(200);
    expect(danish.text).toContain('Fondens midler til sagen');
    expect(danish.text).toContain('<dt>Reserveret</dt><dd>1.200.000,00 kr.</dd>');
    expect(danish.text).toContain('<dt>Øremærket</dt><dd>0,00 kr.</dd>');
    await visitor.get(`/language?lang=en&next=${encodeURIComponent(reviewPage)}`);
    const english = await visitor.get(reviewPage);
    expect(english.text).toContain('The fund&#39;s money for the case');
    expect(english.text).toContain('<dt>Reserved</dt><dd>DKK 1,200,000.00</dd>');
    expect(english.text).toContain('<dt>Earmarked</dt><dd>DKK 0.00</dd>');
    // Each of its two forms has a reason of its own: one id and one label each, and the error where it was left out.
    expect([danish.text.match(/id="f-releaseReason"/g)?.length, danish.text.match(/id="f-keepReason"/g)?.length, danish.text.includes('id="f-reason"')]).toEqual([1, 1, false]);
    const keptWithout = await visitor.post(reviewPage, { _csrf: visitor.csrfOf(danish.text), decision: 'keep', keepReason: '' });
    expect(keptWithout.status).toBe(400);
    expect(keptWithout.text).toContain('id="f-keepReason-error"');
    expect(keptWithout.text).not.toContain('id="f-releaseReason-error"');

    // A second pass changes nothing: no second review, no booking.
    expect((await reconcile()).stopped).toEqual([]);
    expect(await ledgerState()).toEqual(before);
    expect(await stack.store.tasks.countDocuments({ proposalId: id, kind: 'stoppedCaseReview' })).toBe(1);

    // Only the secretariat decides, with a reason; the answer goes to the review's workflow.
    const taskPath = `/api/tasks/${encodeURIComponent(review._id)}/complete`;
    expect((await (await stack.as('bo.member')).post(taskPath, { decision: 'release', reason: 'x' })).status).toBe(403);
    expect((await sara.post(taskPath, { decision: 'release' })).status).toBe(400);
    const done = await sara.post(taskPath, { decision: 'release', reason: 'Foreningen er lukket; tilsagnet bortfalder' });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('completed');
    await stack.client.workflow.getHandle(stoppedCaseReviewWorkflowId(id)).result();
    expect((await sara.post(taskPath, { decision: 'release', reason: 'igen' })).status).toBe(409);

    const after = await ledgerState();
    expect(after.count).toBe(before.count + 1);
    const releases = await stack.store.ledger.find({ proposalId: id, _id: { $regex: '\\.stopped\\.' } }).lean();
    expect(releases).toHaveLength(1);
    expect(releases[0]).toMatchObject({ kind: 'release', amountOre: dkk(1_200_000), by: 'sara.secretariat' });
    expect(after.reservedByProposal[id] ?? 0).toBe(0);
    expect(after.freeOre).toBe(before.freeOre + dkk(1_200_000));
    expect(await stack.store.events.findById(`${id}.stoppedCaseReviewed`).lean()).toMatchObject({
      by: 'sara.secretariat',
      details: { decision: 'release', releasedOre: dkk(1_200_000) },
    });

    // And again: nothing more.
    expect(await reconcile()).toEqual({ stopped: [], reset: [], backfilled: [] });
    expect(await ledgerState()).toEqual(after);
    expect(await stack.store.events.countDocuments({ proposalId: id, type: { $in: ['stoppedByOperator', 'stoppedCaseReviewed'] } })).toBe(2);
  });

  it('stops a terminated case only once what an activity attempt under way may still write has landed, and settles that too', async () => {
    const { id, handle } = await newCase();
    await handle.terminate('stuck after a bad deploy');
    const graceMs = 4_000;
    const pass = reconciler(stack.store, stack.client, {
      config: stack.config,
      stopGrace: graceMs,
      onError: (err) => {
        throw err;
      },
    });
    expect((await pass.reconcileOnce()).stopped).not.toContain(id);
    expect((await stack.store.proposals.findById(id).lean())!.stage).toBe('Motivation');
    // The run's council approval, in its last step as the operator acted, books its earmark after all.
    expect(
      await earmark(stack.store, { key: `${id}.earmark`, proposalId: id, amountOre: dkk(100_000), date: isoDay(Date.now()), reason: 'Rådet godkendte', by: 'council' }),
    ).toEqual({ booked: true });
    const closedAt = (await handle.describe()).closeTime!.getTime();
    await new Promise((r) => setTimeout(r, Math.max(0, closedAt + graceMs - Date.now())));
    expect((await pass.reconcileOnce()).stopped).toEqual([id]);
    expect((await stack.store.proposals.findById(id).lean())!.stoppedByOperator).toMatchObject({ earmarkedOre: dkk(100_000), settled: true });
    await eventually(async () => expect(await stack.store.tasks.countDocuments({ proposalId: id, kind: 'stoppedCaseReview', status: 'open' })).toBe(1));
  });

  it('leaves a draft whose workflow is still being started alone, and stops one whose workflow never came', async () => {
    // Creation stores the draft a moment before it starts the workflow; a pass in that gap must not stop it.
    const base = { content: youthAnxietyGroups, stage: 'Motivation', stageSeq: 0, revision: 0, createdBy: 'sara.secretariat' };
    await stack.store.proposals.create({ ...base, _id: 'SIF-2026-801', workflowId: workflowIdFor('SIF-2026-801') });
    await stack.store.proposals.create({ ...base, _id: 'SIF-2026-802', workflowId: workflowIdFor('SIF-2026-802') });
    await stack.store.proposals.collection.updateOne({ _id: 'SIF-2026-802' as never }, { $set: { createdAt: new Date(Date.now() - 10 * 60_000) } });
    const report = await reconcile();
    expect(report.stopped).toEqual(['SIF-2026-802']);
    expect((await stack.store.proposals.findById('SIF-2026-801').lean())!.stage).toBe('Motivation');
    expect((await stack.store.proposals.findById('SIF-2026-802').lean())!.stage).toBe('StoppedByOperator');
  });

  it('stops a case for a missing workflow only once it stayed missing, and none when Temporal misses most cases', async () => {
    const base = { content: youthAnxietyGroups, stage: 'Motivation', stageSeq: 0, revision: 0, createdBy: 'sara.secretariat' };
    const draft = async (id: string) => {
      await stack.store.proposals.create({ ...base, _id: id, workflowId: workflowIdFor(id) });
      await stack.store.proposals.collection.updateOne({ _id: id as never }, { $set: { createdAt: new Date(Date.now() - 10 * 60_000) } });
    };
    const errors: unknown[] = [];
    const pass = (missingFor?: number) =>
      reconciler(stack.store, stack.client, {
        config: stack.config,
        stopGrace: 0,
        onError: (err) => errors.push(err),
        ...(missingFor === undefined ? {} : { missingFor }),
      }).reconcileOnce();

    // First missed: noted, not stopped (by default it must stay missing five minutes).
    await draft('SIF-2026-811');
    expect((await pass()).stopped).toEqual([]);
    const noted = (await stack.store.proposals.findById('SIF-2026-811').lean())!;
    expect(noted.stage).toBe('Motivation');
    expect(noted.workflowMissingSince).toBeInstanceOf(Date);
    expect((await pass(60_000)).stopped).toEqual([]);
    // Missing long enough since it was first missed: stopped.
    await stack.store.proposals.collection.updateOne({ _id: 'SIF-2026-811' as never }, { $set: { workflowMissingSince: new Date(Date.now() - 6 * 60_000) } });
    expect((await pass()).stopped).toEqual(['SIF-2026-811']);
    expect(errors).toEqual([]);

    // Temporal knows none of most open cases (a worker on another namespace, a Temporal that lost its data): nothing is stopped, and it says why.
    const open = await stack.store.proposals.countDocuments({ stage: { $nin: ['StoppedByOperator', 'Withdrawn', 'Rejected', 'Refused', 'Closed', 'Cancelled'] } });
    const ids = Array.from({ length: open + 4 }, (_, i) => `SIF-2026-${900 + i}`);
    for (const id of ids) await draft(id);
    expect((await pass(0)).stopped).toEqual([]);
    expect(errors.map((e) => String(e))).toEqual([expect.stringMatching(/has no workflow for \d+ of the \d+ open cases; none is stopped/)]);
    expect(await stack.store.proposals.countDocuments({ _id: { $in: ids }, stage: 'StoppedByOperator' })).toBe(0);
    await stack.store.proposals.deleteMany({ _id: { $in: ids } });
  });

  /**
   * The real client, seen through: every describe a pass makes is counted, and the running
   * list can be made to fail or to hold a run twice, as a visibility store can.
   */
  function watchedClient(listing: (real: () => Promise<ListAnswer>) => Promise<ListAnswer> = (real) => real()) {
    const described: string[] = [];
    const service = new Proxy(stack.client.workflowService, {
      get(target, p) {
        if (p !== 'listWorkflowExecutions') return Reflect.get(target, p);
        return (request: Parameters<typeof target.listWorkflowExecutions>[0]) => listing(() => target.listWorkflowExecutions(request));
      },
    });
    const client = new Proxy(stack.client, {
      get(target, prop) {
        if (prop === 'workflowService') return service;
        if (prop !== 'workflow') return Reflect.get(target, prop);
        return new Proxy(target.workflow, {
          get(workflow, p) {
            if (p !== 'getHandle') return Reflect.get(workflow, p);
            return (...args: Parameters<typeof workflow.getHandle>) => {
              const handle = workflow.getHandle(...args);
              return Object.assign(Object.create(handle) as typeof handle, { describe: () => (described.push(args[0]), handle.describe()) });
            };
          },
        });
      },
    });
    const errors: unknown[] = [];
    const pass = reconciler(stack.store, client, { config: stack.config, stopGrace: 0, onError: (err) => errors.push(err) });
    return { pass, described, errors };
  }

  it('after its first pass, describes no case Temporal lists as running', async () => {
    const cases = [await newCase(), await newCase(), await newCase()];
    const ids = cases.map((c) => c.handle.workflowId);
    const { pass, described, errors } = watchedClient();
    // The first pass describes every case (as every hour's does), whatever the list says.
    await pass.reconcileOnce();
    expect(described).toEqual(expect.arrayContaining(ids));
    await eventually(async () => {
      described.length = 0;
      expect(await pass.reconcileOnce()).toEqual({ stopped: [], reset: [], backfilled: [] });
      expect(described.filter((id) => ids.includes(id))).toEqual([]);
    });
    expect(errors).toEqual([]);
  });

  it('finds a terminated case by describing every case when the running list fails', async () => {
    const { id, handle } = await newCase();
    let listFails = false;
    const { pass, described, errors } = watchedClient((real) => (listFails ? Promise.reject(new Error('visibility store unavailable')) : real()));
    await pass.reconcileOnce();
    await handle.terminate('stuck after a bad deploy');
    listFails = true;
    described.length = 0;
    const report = await pass.reconcileOnce();
    expect(report.stopped).toContain(id);
    expect(described).toContain(handle.workflowId);
    expect(errors).toEqual([expect.objectContaining({ message: 'visibility store unavailable' })]);
    expect((await stack.store.proposals.findById(id).lean())!.stage).toBe('StoppedByOperator');
  });

  it('does not take the run of a case the list holds twice (a reset half seen), but describes it', async () => {
    const { id, handle } = await newCase();
    const { runId } = await handle.describe();
    let halfSeen = false;
    let listedTwice = false;
    const { pass, described, errors } = watchedClient(async (real) => {
      const page = await real();
      const mine = page.executions.find((e) => e.execution?.workflowId === handle.workflowId);
      if (!halfSeen || !mine) return page;
      listedTwice = true;
      const stale = { ...mine, execution: { workflowId: handle.workflowId, runId: 'a-run-that-is-gone' } };
      return temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse.create({ ...page, executions: [...page.executions, stale] });
    });
    await pass.reconcileOnce();
    // One pass once the list holds the case (a later one may be the hourly pass, which describes every case anyway).
    await eventually(async () => {
      const { executions } = await stack.client.workflowService.listWorkflowExecutions({
        namespace: stack.config.temporal.namespace,
        query: `WorkflowId = '${handle.workflowId}'`,
      });
      expect(executions).toHaveLength(1);
    });
    halfSeen = true;
    described.length = 0;
    const report = await pass.reconcileOnce();
    expect(listedTwice).toBe(true);
    // Other tests' cases may be settled in the same pass; this one is neither stopped nor reset.
    expect([report.stopped, report.reset]).toEqual([expect.not.arrayContaining([id]), expect.not.arrayContaining([id])]);
    expect(errors).toEqual([]);
    expect(described).toContain(handle.workflowId);
    expect((await stack.store.proposals.findById(id).lean())!).toMatchObject({ stage: 'Motivation', runId });
  });

  it('records a reset on the timeline, once, and leaves the case running', async () => {
    const { id, handle } = await newCase();
    await eventually(async () => expect(await stack.store.events.exists({ _id: `${id}.created` })).toBeTruthy());
    await reconcile(); // the run as first seen
    const { events } = await handle.fetchHistory();
    const firstTask = events!.find((e) => e.workflowTaskCompletedEventAttributes)!;
    const { runId } = await stack.client.workflowService.resetWorkflowExecution({
      namespace: stack.config.temporal.namespace,
      workflowExecution: { workflowId: handle.workflowId },
      reason: 'replay after a fix',
      workflowTaskFinishEventId: firstTask.eventId,
      requestId: `reset-${id}`,
    });

    const report = await reconcile();
    expect(report).toEqual({ stopped: [], reset: [id], backfilled: [] });
    const event = await stack.store.events.findById(`${id}.operator.reset.${runId}`).lean();
    expect(event).toMatchObject({ type: 'workflowReset', by: 'operator', details: { runId, reason: 'replay after a fix' } });
    expect((await stack.store.proposals.findById(id).lean())!).toMatchObject({ stage: 'Motivation', runId });
    expect(await reconcile()).toEqual({ stopped: [], reset: [], backfilled: [] });
  });
});
