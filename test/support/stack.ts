import { randomBytes, randomUUID } from 'node:crypto';
import { openStore } from '../../store';
import { prepareDatabase } from '../../store/seed';
import { signLocalToken } from '../../api/auth';
import { startApi } from '../../api/server';
import { databaseCallLimitMs } from '../../api/dependencies';
import { loadConfig, productionSigns, type Config } from '../../config';
import { freePort } from '../../provision/servers';
import { createWorker } from '../../worker/worker';
import { claimNamespace } from './namespaces';
import { testPayloadKeys } from './payloadKeys';
import { testServers, uniqueName } from './servers';
import { startSmtpPeer } from './smtpPeer';
import { contractChecker, type ContractChecker } from './contract';
import { answersRecorded } from '../../api/idempotency';

export interface HttpResult {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read any JSON shape
}

/**
 * The API on `config.port`. A port found free can be taken by another test process before
 * the API listens on it; unless the test chose the port, the next free one is tried then.
 */
async function listening(config: Config, store: Parameters<typeof startApi>[1], mayMove: boolean) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startApi(config, store);
    } catch (err) {
      if (!mayMove || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt === 5) throw err;
      config.port = await freePort();
      config.publicUrl = `http://127.0.0.1:${config.port}`;
    }
  }
}

/**
 * The whole system as `npm start` runs it (API, worker, database, Temporal, SMTP),
 * on the servers globalSetup started, with a database and task queue of its own.
 */
export async function startStack(name: string, env: Record<string, string> = {}, configure: (config: Config) => void = () => {}) {
  const servers = testServers();
  const smtp = await startSmtpPeer();
  const port = await freePort();
  const config = loadConfig({
    TEMPORAL_ADDRESS: servers.temporalAddress,
    MONGODB_URI: servers.mongodbUri,
    MONGODB_DB: uniqueName(name),
    TEMPORAL_TASK_QUEUE: uniqueName(name),
    TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE ?? claimNamespace(),
    AUTH_JWT_SECRET: randomBytes(32).toString('hex'),
    PAYLOAD_KEYS: testPayloadKeys,
    SMTP_URL: smtp.url,
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    // As `npm start` does: the sign-in page lists the users unless the settings look like production.
    LOCAL_SIGN_IN: productionSigns(env).length ? '' : 'true',
    ...env,
  });
  configure(config);
  // One store for the API and the worker, bounded as the API's.
  const store = openStore(config.mongo.uri, config.mongo.db, { callLimitMs: databaseCallLimitMs });
  await store.ready();
  await prepareDatabase(config, store);
  // The API takes its port before the worker starts, so the mails' links name the port it has.
  const api = await listening(config, store, env.PORT === undefined);
  const startWorker = async () => {
    const started = await createWorker(config, store, { workflowBundle: { codePath: servers.workflowBundle } });
    return { ...started, running: started.worker.run() };
  };
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined = await startWorker().catch(async (err: unknown) => {
    await api.close();
    throw err;
  });
  const stopWorker = async () => {
    if (!worker) return;
    const w = worker;
    worker = undefined;
    w.worker.shutdown();
    await w.running;
    await w.close();
  };

  async function request(method: string, path: string, opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<HttpResult> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers,
      body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    if (path.startsWith('/api/') && method !== 'HEAD') (await contract())(method, path, res.status, res.headers.get('content-type'), body);
    return { status: res.status, headers: res.headers, body };
  }

  let checker: Promise<ContractChecker> | undefined;
  /** Every answer the tests read is held to the API's own OpenAPI document. */
  function contract() {
    checker ??= fetch(`${api.url}/api/openapi.json`)
      .then((res) => res.json())
      .then((doc) => contractChecker(api.routes, doc as Parameters<typeof contractChecker>[1]));
    return checker;
  }

  const pause = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000));
  /** Why a read came without the workflow's state, when asking again may bring it. */
  const passing = new Set<unknown>(['workflowTimedOut', 'temporalUnreachable']);

  /**
   * Requests as a seeded user, with a token signed the way `npm run token` signs it. Like
   * a well-behaved client, each write carries its own Idempotency-Key and a 503 is tried
   * again after its Retry-After (a busy machine's worker may not take an Update within
   * the API's bound). A read that says the case's workflow did not answer in time
   * (`liveUnavailable` `workflowTimedOut` or `temporalUnreachable`, the read model's answer) is asked again, for up
   * to a minute, as the API tells a client that needs the live state to do.
   * `{ retryUnavailable: false }` shows the first answer; `{ untilLive: false }` takes the
   * read model's answer, as a client that needs no more does (each read is on the access log).
   */
  async function as(userId: string, { retryUnavailable = true, untilLive = true } = {}) {
    const token = await signLocalToken(config.auth.jwtSecret!, userId);
    const send = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
      const headers = method === 'GET' ? extra : { 'idempotency-key': randomUUID(), ...extra };
      const until = Date.now() + 60_000;
      for (let unavailable = 0; ;) {
        const res = await request(method, path, { token, body, headers });
        if (!retryUnavailable) return res;
        if (res.status === 503 && ++unavailable < 5) await pause(Number(res.headers.get('retry-after')) || 1);
        else if (untilLive && method === 'GET' && passing.has((res.body as { liveUnavailable?: unknown } | undefined)?.liveUnavailable) && Date.now() < until) await pause(0.2);
        else return res;
      }
    };
    return {
      token,
      get: (path: string) => send('GET', path),
      post: (path: string, body?: unknown, headers?: Record<string, string>) => send('POST', path, body ?? {}, headers),
      put: (path: string, body: unknown, headers?: Record<string, string>) => send('PUT', path, body, headers),
    };
  }

  return {
    config,
    store,
    smtp,
    api,
    client: api.client,
    /** The running worker's outbox delivery. */
    get delivery() {
      return worker!.delivery;
    },
    request,
    as,
    /** Takes the worker away (as if its process died), and brings a new one. */
    stopWorker,
    async restartWorker() {
      await stopWorker();
      worker = await startWorker();
    },
    async stop() {
      await api.close();
      // As the API's process does: the answers it gave are on record before the database goes.
      await answersRecorded();
      await stopWorker();
      await smtp.close();
      await store.conn.dropDatabase().catch(() => undefined);
      await store.close();
    },
  };
}
export type Stack = Awaited<ReturnType<typeof startStack>>;
