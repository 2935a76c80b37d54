import type { Request, Response } from 'express';
import { temporal } from '@temporalio/proto';
import type { Client } from '@temporalio/client';
import type { Store } from '../store';
import { annualReportScheduleId } from '../worker/schedule';
import { named, route, type AnyRoute } from './registry';
import { healthReply, liveReply, readyReply } from './replies/operations';

/** Each check gets this long; the whole answer stays within 2 s however a part fails. */
const checkTimeoutMs = 1800;
/**
 * A worker's long poll is renewed at least every minute or so, so a poller the
 * server saw within this window is still polling.
 */
const pollerFreshMs = 90_000;
/** A notification waiting longer than this is worth an operator's look. */
const outboxStaleMs = 15 * 60_000;

type PartStatus = 'ok' | 'down' | 'warn';
export interface HealthPart {
  status: PartStatus;
  /** Whether casework stops while this part is down: only these make the answer 503. */
  critical: boolean;
  detail?: Record<string, unknown>;
}

export interface HealthDeps {
  store: Store;
  client: Client;
  taskQueue: string;
  /** Resolves when Temporal answers; rejects otherwise. */
  temporalHealthy: () => Promise<unknown>;
}

function within<T>(ms: number, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    work().then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}

async function part(critical: boolean, check: () => Promise<Omit<HealthPart, 'critical'>>): Promise<HealthPart> {
  try {
    return { critical, ...(await within(checkTimeoutMs, check)) };
  } catch (err) {
    return { critical, status: 'down', detail: { error: err instanceof Error ? err.message : String(err) } };
  }
}

const databasePart = (store: Store) =>
  part(true, async () => {
    await store.conn.db!.admin().ping();
    return { status: 'ok' };
  });

/**
 * Whether this API process can serve: every request reads the database (the person and
 * their roles). Temporal and the workers are casework's: while they are down a step
 * answers 503 with Retry-After of its own and the pages that only read go on, so an
 * orchestrator that took the API out of service for them would take those away too.
 */
export async function checkReadiness({ store }: Pick<HealthDeps, 'store'>) {
  const database = await databasePart(store);
  return { status: database.status === 'down' ? ('unavailable' as const) : ('ok' as const), parts: { database } };
}

/** Every part the fund depends on, checked side by side. */
export async function checkHealth({ store, client, taskQueue, temporalHealthy }: HealthDeps) {
  const pollersOf = async (taskQueueType: temporal.api.enums.v1.TaskQueueType) => {
    const { pollers } = await client.workflowService.describeTaskQueue({ namespace: client.options.namespace, taskQueue: { name: taskQueue }, taskQueueType });
    const now = Date.now();
    return (pollers ?? []).filter((p) => {
      const seconds = Number(p.lastAccessTime?.seconds ?? 0);
      return now - seconds * 1000 < pollerFreshMs;
    }).length;
  };
  const [database, temporalServer, workers, outbox, annualReportSchedule] = await Promise.all([
    databasePart(store),
    part(true, async () => {
      await temporalHealthy();
      return { status: 'ok' };
    }),
    part(true, async () => {
      const [workflowPollers, activityPollers] = await Promise.all([
        pollersOf(temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW),
        pollersOf(temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY),
      ]);
      const status = workflowPollers > 0 && activityPollers > 0 ? 'ok' : 'down';
      return { status, detail: { taskQueue, workflowPollers, activityPollers } };
    }),
    part(false, async () => {
      // An indexed equality a status: the sent entries, many more, are never read (a `$in` read them all on the embedded database).
      // Counted, and the oldest alone read: during a mail outage thousands wait, and anyone may ask this without a token.
      const [pending, oldest, failed] = await Promise.all([
        store.outbox.countDocuments({ status: 'pending' }),
        store.outbox.findOne({ status: 'pending' }, { createdAt: 1 }).sort({ createdAt: 1 }).lean(),
        store.outbox.countDocuments({ status: 'failed' }),
      ]);
      const ageSeconds = oldest ? Math.round((Date.now() - oldest.createdAt.getTime()) / 1000) : 0;
      // Failed: given up on after the configured limit, someone must look (and retry, see /outbox).
      return { status: ageSeconds * 1000 > outboxStaleMs || failed > 0 ? 'warn' : 'ok', detail: { pending, failed, oldestPendingSeconds: ageSeconds } };
    }),
    part(false, async () => {
      const described = await client.schedule.getHandle(annualReportScheduleId).describe();
      return { status: described.state.paused ? 'warn' : 'ok', detail: { paused: described.state.paused, nextRun: described.info.nextActionTimes[0]?.toISOString() } };
    }),
  ]);
  const parts = { database, temporal: temporalServer, workers, outbox, annualReportSchedule };
  const ready = Object.values(parts).every((p) => !p.critical || p.status !== 'down');
  return { status: ready ? ('ok' as const) : ('unavailable' as const), parts };
}

/**
 * Health for operators and orchestrators, without a token: `live` says the process
 * answers, `ready` that it can serve (the database answers), `/api/health` that casework
 * can run, part by part.
 */
export function healthRoutes(deps: HealthDeps): AnyRoute[] {
  const answer = (check: () => Promise<{ status: 'ok' | 'unavailable' }>) => async (_req: Request, res: Response) => {
    const health = await check();
    res.set('cache-control', 'no-store');
    if (health.status !== 'ok') res.set('retry-after', '10');
    res.status(health.status === 'ok' ? 200 : 503).json(health);
  };
  const replies = (schema: typeof healthReply | typeof readyReply, name: string, down: string) => ({
    200: { description: 'each part with its status', schema: named(name, schema) },
    503: { description: `${down} (Retry-After)`, schema: named(name, schema), headers: { 'Retry-After': { description: 'seconds', schema: { type: 'integer' } } } },
  });
  const summary = 'Each part casework needs (database, Temporal, workers polling) and the outbox and annual-report Schedule, within 2 s';
  return [
    route({
      id: 'getLive',
      method: 'get',
      path: '/health/live',
      open: true,
      summary: 'The API process answers',
      replies: { 200: { description: 'alive', schema: liveReply } },
      handle: (_req, res) => void res.set('cache-control', 'no-store').json({ status: 'ok' }),
    }),
    route({
      id: 'getHealth',
      method: 'get',
      path: '/health',
      open: true,
      summary,
      replies: replies(healthReply, 'Health', 'a part casework needs is down'),
      handle: answer(() => checkHealth(deps)),
    }),
    route({
      id: 'getReady',
      method: 'get',
      path: '/health/ready',
      open: true,
      summary: "For orchestrators: this API can serve, its database answers. Temporal's or the workers' outage leaves it ready: steps answer 503 of their own, reads go on",
      replies: replies(readyReply, 'Readiness', 'the database does not answer'),
      handle: answer(() => checkReadiness(deps)),
    }),
  ];
}
