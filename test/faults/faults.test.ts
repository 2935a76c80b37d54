import { eventually } from '../support/eventually';
import { newCases, workCase, answers } from './casework';
import { fundClient, type FundClient } from './client';
import { startCluster, type Cluster } from './cluster';
import { assertInvariants, type Observed } from './invariants';

/**
 * Fault injection on the real servers, in the production topology: a Temporal dev
 * server and FerretDB of this file's own (so they can be killed and started again on
 * the same port and data), worker and API as separate processes, a real SMTP peer
 * and webhook receiver. Each scenario does casework while something fails, then the
 * shared invariants hold: nothing lost, nothing doubled, every view of a case agrees.
 * The scenarios run one after another on one cluster, so each also starts from
 * whatever the faults before it left behind.
 */
describe('faults on the real servers', () => {
  let cluster: Cluster;
  let api: FundClient;
  let observed: Observed;
  type Slot = ReturnType<Cluster['slot']>;
  let worker1: Slot;
  let api1: Slot;
  const apis: Slot[] = [];
  let caseNo = 0;
  const started = Date.now();
  const timings: string[] = [];
  let scenarioStart = Date.now();

  const note = (line: string) => cluster?.note(line);
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const live = () => apis.filter((a) => a.pid !== undefined).map((a) => a.url);
  const check = (what: string, boundMs?: number) => assertInvariants(observed, what, note, boundMs);
  const mark = (what: string) => {
    timings.push(`${what}: ${Math.round((Date.now() - scenarioStart) / 1000)} s`);
    scenarioStart = Date.now();
  };
  const healthy = () =>
    eventually(
      async () => {
        for (const url of live()) {
          const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5_000) });
          if (res.status !== 200) throw new Error(`${url} not ready: ${res.status} ${await res.text()}`);
        }
      },
      120_000,
      500,
    );

  /** New cases, numbered on from the ones before, submitted to the council. */
  async function cases(n: number, client = api) {
    const ids = await newCases(client, n, caseNo);
    caseNo += n;
    return ids;
  }

  /** The open tasks of a kind on these cases, once there are `perCase` on each. */
  const openTasks = (ids: string[], kind: string, perCase: number) =>
    eventually(
      async () => {
        const open = await cluster.store.tasks.find({ proposalId: { $in: ids }, kind, status: 'open' }).lean();
        if (open.length !== ids.length * perCase) throw new Error(`${open.length} ${kind} tasks open`);
        return open;
      },
      60_000,
      200,
    );

  /** Resolves once `n` completions have been answered as done since it was called. */
  function afterCompletions(n: number) {
    const base = api.completions.filter((c) => c.outcome === 'done').length;
    return eventually(
      () => {
        if (api.completions.filter((c) => c.outcome === 'done').length < base + n) throw new Error('not yet');
      },
      240_000,
      100,
    );
  }

  beforeAll(async () => {
    cluster = await startCluster('faults');
    worker1 = cluster.slot('worker', 'worker-1');
    api1 = cluster.slot('api', 'api-1');
    apis.push(api1);
    await Promise.all([worker1.start(), api1.start()]);
    api = fundClient({ urls: live, token: cluster.token, note });
    observed = { client: cluster.client, store: cluster.store, api, mails: cluster.mails, webhooks: cluster.webhook.received };
    await healthy();
    mark('start');
  }, 300_000);

  afterAll(async () => {
    console.log(`[faults] ${timings.join(', ')}; total ${Math.round((Date.now() - started) / 1000)} s; client retries ${api?.retries()}; log ${cluster?.dir}/processes.log`);
    await cluster?.stop();
  }, 120_000);

  afterEach(() => {
    expect(cluster.unexpectedExits()).toEqual([]);
  });

  it('kill the worker during a burst of task completions', async () => {
    const ids = await cases(5);
    const burst = Promise.all(ids.map((id) => workCase(api, id, 'Closed')));
    await afterCompletions(10);
    await worker1.kill();
    await pause(3_000);
    await worker1.start();
    await burst;
    await check('worker killed');
    mark('worker killed');
  }, 400_000);

  it('kill FerretDB during bookings', async () => {
    const ids = await cases(5);
    // Up to the grant: what is left books the reservation, the release and the payment.
    await Promise.all(ids.map((id) => workCase(api, id, 'GrantAgreement')));
    const before = await cluster.store.ledger.countDocuments();
    const burst = Promise.all(ids.map((id) => workCase(api, id, 'Closed')));
    await eventually(
      async () => {
        if ((await cluster.store.ledger.countDocuments()) < before + 2) throw new Error('no bookings yet');
      },
      120_000,
      100,
    );
    await cluster.killFerretDb();
    await pause(4_000);
    await cluster.startFerretDb();
    await burst;
    await check('FerretDB killed');
    mark('FerretDB killed');
  }, 400_000);

  it('stop and restart Temporal with timers pending', async () => {
    // Cases whose deadlines come due while Temporal is down: reminders after 10 s, escalations after 20 s.
    const short = cluster.slot('api', 'api-short', cluster.shortSettingsFile);
    await short.start();
    const shortApi = fundClient({ urls: () => [short.url], token: cluster.token, note });
    const ids = await cases(4, shortApi);
    api.created.push(...shortApi.created);
    const votes = await openTasks(ids, 'councilVote', 3);
    const vote = (id: string, member: string) => {
      const t = votes.find((v) => v.proposalId === id && v.assignee === member)!;
      return { id: t._id, proposalId: t.proposalId };
    };
    // bo votes before the outage: his task is done, so no reminder may come for it.
    await Promise.all(ids.map((id) => api.complete('bo.member', vote(id, 'bo.member'), answers.councilVote)));

    await cluster.stopTemporal();
    // cecilie votes on two cases meanwhile; her client retries until Temporal is back.
    const duringOutage = Promise.all(ids.slice(0, 2).map((id) => api.complete('cecilie.member', vote(id, 'cecilie.member'), answers.councilVote)));
    await pause(11_000); // past the reminders' due time
    await cluster.startTemporal();
    await duringOutage;

    // The timers that came due during the outage fire once; the open votes are reminded, escalated and overdue.
    const stillOpen = ids.slice(2).flatMap((id) => [vote(id, 'anne.chair'), vote(id, 'cecilie.member')]);
    await eventually(
      async () => {
        for (const t of stillOpen) {
          const doc = await cluster.store.tasks.findById(t.id).lean();
          if (!doc?.overdue) throw new Error(`${t.id} is not overdue yet`);
          for (const kind of ['reminder', 'escalated']) {
            if (!(await cluster.store.outbox.exists({ _id: new RegExp(`^${t.id.replace(/\./g, '\\.')}\\.${kind}\\.`) }))) throw new Error(`no ${kind} for ${t.id} yet`);
          }
        }
      },
      120_000,
      500,
    );
    for (const id of ids) {
      expect(await cluster.store.outbox.countDocuments({ taskId: vote(id, 'bo.member').id, event: { $in: ['taskReminder', 'taskEscalated'] } })).toBe(0);
    }
    await check('Temporal restarted, timers fired');
    await short.stop();
    mark('Temporal restarted');
  }, 400_000);

  it('SMTP and the webhook receiver down, then up', async () => {
    await cluster.stopSmtp();
    await cluster.webhook.down();
    const ids = await cases(2);
    await Promise.all(ids.map((id) => workCase(api, id, 'MayoralApproval')));
    // The cases went on; their notifications wait and are tried again.
    await eventually(
      async () => {
        const failing = await cluster.store.outbox.countDocuments({ proposalId: { $in: ids }, status: 'pending', failures: { $gte: 2 } });
        if (failing < ids.length) throw new Error(`${failing} notifications have failed twice`);
      },
      60_000,
      500,
    );
    await cluster.startSmtp();
    await cluster.webhook.up();
    await check('SMTP and webhook back');
    mark('SMTP and webhook down');
  }, 400_000);

  it('concurrent creations, completions and claims', async () => {
    const ids = await cases(6);
    expect(new Set(api.created).size).toBe(api.created.length);
    // Each vote sent twice at once by its member: one completion, one refusal.
    const votes = await openTasks(ids, 'councilVote', 3);
    const doubled = await Promise.all(
      votes
        .filter((t) => t.assignee !== 'cecilie.member')
        .flatMap((t) => {
          const task = { id: t._id, proposalId: t.proposalId };
          return [api.complete(t.assignee!, task, answers.councilVote), api.complete(t.assignee!, task, answers.councilVote)];
        }),
    );
    for (const t of votes.filter((v) => v.assignee !== 'cecilie.member')) {
      expect(doubled.filter((c) => c.taskId === t._id && c.outcome === 'done')).toHaveLength(1);
    }
    await Promise.all(ids.map((id) => workCase(api, id, 'GrantAgreement')));
    // Sara answers her grant agreement while Jonas takes it over, twice: one of them wins.
    const grants = await openTasks(ids, 'grantAgreement', 1);
    await Promise.all(
      grants.map(async (t) => {
        const [claim1, done, claim2] = await Promise.all([
          api.claim('jonas.secretariat', t._id, 'sara.secretariat'),
          api.complete('sara.secretariat', { id: t._id, proposalId: t.proposalId }, answers.grantAgreement),
          api.claim('jonas.secretariat', t._id, 'sara.secretariat'),
        ]);
        // Exactly one wins: Jonas's first claim (then Sara is refused), or Sara's answer (then both claims are).
        const claimed = [claim1, claim2].filter((s) => s === 200).length;
        expect(claimed + (done.outcome === 'done' ? 1 : 0)).toBe(1);
      }),
    );
    await Promise.all(ids.map((id) => workCase(api, id, 'GrantActive')));
    await check('concurrent creations, completions and claims');
    mark('concurrency');
  }, 400_000);

  it('two workers and two APIs, one of each killed during a burst of completions', async () => {
    const worker2 = cluster.slot('worker', 'worker-2');
    const api2 = cluster.slot('api', 'api-2');
    await Promise.all([worker2.start(), api2.start()]);
    apis.push(api2);
    await healthy();
    const ids = await cases(6);
    const burst = Promise.all(ids.map((id) => workCase(api, id, 'Closed')));
    await afterCompletions(10);
    await Promise.all([worker1.kill(), api1.kill()]);
    // The survivors carry the burst; the killed ones come back while it goes on.
    await afterCompletions(8);
    await Promise.all([worker1.start(), api1.start()]);
    await burst;
    await check('one worker and one API killed');
    mark('production topology');
  }, 400_000);
});
