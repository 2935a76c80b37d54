import { randomBytes } from 'node:crypto';
import { openStore } from '../../store';
import { prepareDatabase } from '../../store/seed';
import { signLocalToken } from '../../api/auth';
import { startApi } from '../../api/server';
import { loadConfig, type Config } from '../../config';
import { freePort } from '../../provision/servers';
import { createWorker } from '../../worker/worker';
import { claimNamespace } from './namespaces';
import { testPayloadKeys } from './payloadKeys';
import { testServers, uniqueName } from './servers';
import { startSmtpPeer } from './smtpPeer';

export interface HttpResult {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read any JSON shape
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
    ...env,
  });
  configure(config);
  const store = openStore(config.mongo.uri, config.mongo.db);
  await store.ready();
  await prepareDatabase(config, store);
  const startWorker = async () => {
    const started = await createWorker(config, store, { workflowBundle: { codePath: servers.workflowBundle } });
    return { ...started, running: started.worker.run() };
  };
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined = await startWorker();
  const stopWorker = async () => {
    if (!worker) return;
    const w = worker;
    worker = undefined;
    w.worker.shutdown();
    await w.running;
    await w.close();
  };
  const api = await startApi(config, store);

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
    return { status: res.status, headers: res.headers, body };
  }

  /** Requests as a seeded user, with a token signed the way `npm run token` signs it. */
  async function as(userId: string) {
    const token = await signLocalToken(config.auth.jwtSecret!, userId);
    return {
      token,
      get: (path: string) => request('GET', path, { token }),
      post: (path: string, body?: unknown, headers?: Record<string, string>) => request('POST', path, { token, body: body ?? {}, headers }),
      put: (path: string, body: unknown) => request('PUT', path, { token, body }),
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
      await stopWorker();
      await smtp.close();
      await store.conn.dropDatabase().catch(() => undefined);
      await store.close();
    },
  };
}
export type Stack = Awaited<ReturnType<typeof startStack>>;
