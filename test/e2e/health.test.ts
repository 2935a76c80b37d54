import { startApi } from '../../api/server';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

describe('health', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('health');
  });
  afterAll(() => stack?.stop());

  it('reports each part, without a token, and is ready while workers poll', async () => {
    // On a busy machine a part may miss its 1.8 s once and say so; asked again it answers.
    const res = await eventually(async () => {
      const r = await stack.request('GET', '/api/health');
      expect(r.body.parts.outbox.status).toBe('ok');
      return r;
    }, 20_000);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.status).toBe('ok');
    expect(res.body.parts).toMatchObject({
      database: { status: 'ok', critical: true },
      temporal: { status: 'ok', critical: true },
      workers: { status: 'ok', critical: true, detail: { taskQueue: stack.config.temporal.taskQueue } },
      outbox: { status: 'ok', critical: false, detail: { pending: expect.any(Number) } },
      // The test stack creates no Schedule; that is reported, and casework goes on.
      annualReportSchedule: { status: 'down', critical: false },
    });
    expect(res.body.parts.workers.detail.workflowPollers).toBeGreaterThan(0);
    expect(res.body.parts.workers.detail.activityPollers).toBeGreaterThan(0);
    expect((await stack.request('GET', '/api/health/ready')).status).toBe(200);
    expect((await stack.request('GET', '/api/health/live')).body).toEqual({ status: 'ok' });
  });

  it('warns of mail given up on and of mail waiting long, counting only those', async () => {
    const now = Date.now();
    const entry = (id: string, status: string, ageMs: number) => ({
      _id: `health-${id}`,
      status,
      channel: 'email',
      createdAt: new Date(now - ageMs),
      // Not due for a day: the worker's deliverer leaves it as it is.
      nextAttemptAt: new Date(now + 86_400_000),
      payload: { to: 'it-drift@aarhus.dk', subject: 'Sundhedstjek', text: '.' },
    });
    const entries = [
      entry('waiting', 'pending', 20 * 60_000),
      entry('waiting-less', 'pending', 10 * 60_000),
      entry('given-up', 'failed', 60_000),
      entry('sent', 'sent', 90 * 60_000),
      entry('skipped', 'skipped', 90 * 60_000),
    ];
    await stack.store.outbox.collection.insertMany(entries as never[]);
    try {
      // On a busy machine a part may miss its 1.8 s once and say so; asked again it answers.
      await eventually(async () => {
        const res = await stack.request('GET', '/api/health');
        expect(res.body.parts.outbox).toMatchObject({ status: 'warn', critical: false, detail: { failed: 1 } });
        expect(res.body.parts.outbox.detail.pending).toBeGreaterThanOrEqual(2);
        // The oldest waiting one's age, not the sent or skipped ones' (90 minutes).
        expect(res.body.parts.outbox.detail.oldestPendingSeconds).toBeGreaterThanOrEqual(20 * 60);
        expect(res.body.parts.outbox.detail.oldestPendingSeconds).toBeLessThan(90 * 60);
        // Warnings of a part that is not critical leave the API ready.
        expect(res.status).toBe(200);
      }, 20_000);
    } finally {
      await stack.store.outbox.collection.deleteMany({ _id: { $in: entries.map((e) => e._id) } } as never);
    }
  });

  it('does not start on a port another process holds: the API fails, rather than say it listens while the other answers', async () => {
    // Another process on the API's port: here, this test's own API.
    await expect(startApi({ ...stack.config, port: stack.api.port }, stack.store)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    expect((await stack.request('GET', '/api/health/live')).status).toBe(200);
  });

  it('answers 503 with Retry-After when no worker polls the task queue, and says which part; the API stays ready to serve', async () => {
    const api = await startApi({ ...stack.config, port: 0 }, stack.store, { taskQueue: `${stack.config.temporal.taskQueue}-nobody-polls` });
    try {
      const started = Date.now();
      const res = await fetch(`${api.url}/api/health`);
      const elapsed = Date.now() - started;
      const body = (await res.json()) as { status: string; parts: Record<string, { status: string }> };
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('10');
      expect(body.status).toBe('unavailable');
      expect(body.parts.workers).toMatchObject({ status: 'down', detail: { workflowPollers: 0, activityPollers: 0 } });
      expect(body.parts.database.status).toBe('ok');
      // Bounded: every part is asked with a timeout, so the answer never hangs.
      expect(elapsed).toBeLessThan(5000);
      // Liveness is about the process alone; readiness about what every request needs, the database: an orchestrator keeps
      // the API in service, whose steps answer 503 of their own while its pages that read go on.
      expect((await fetch(`${api.url}/api/health/live`)).status).toBe(200);
      const ready = await fetch(`${api.url}/api/health/ready`);
      expect({ status: ready.status, body: await ready.json() }).toEqual({ status: 200, body: { status: 'ok', parts: { database: { status: 'ok', critical: true } } } });
    } finally {
      await api.close();
    }
  });
});
