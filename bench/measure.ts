/**
 * What every measure shares: the stack it runs on, timing a call, running a measure and
 * its floor in turn, and a client of the API as one person.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { signLocalToken } from '../api/auth';
import type { BenchStack } from './stack';
import type { Row } from './stats';

export interface Measure {
  /** The name the command line picks it by, e.g. `npm run bench -- start inbox`. */
  name: string;
  run(stack: BenchStack): Promise<Row[]>;
}

/** Milliseconds one call takes. */
export async function timed(call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await call();
  return performance.now() - started;
}

/**
 * `n` samples of a measure and of its floor, taken in turn (which goes first alternates),
 * so a machine that is busier for a while slows both alike. `warmUp` pairs are not kept.
 * Stops early, after at least `min` pairs, once `budgetMs` has passed.
 */
export async function interleaved(
  opts: { n: number; warmUp?: number; min?: number; budgetMs?: number },
  subject: (i: number) => Promise<unknown>,
  floor: (i: number) => Promise<unknown>,
): Promise<{ subject: number[]; floor: number[] }> {
  const { n, warmUp = 3, min = 5, budgetMs = Infinity } = opts;
  const samples = { subject: [] as number[], floor: [] as number[] };
  const started = performance.now();
  for (let i = 0; i < warmUp + n; i++) {
    const pair =
      i % 2 === 0
        ? ([
            ['subject', subject],
            ['floor', floor],
          ] as const)
        : ([
            ['floor', floor],
            ['subject', subject],
          ] as const);
    for (const [which, call] of pair) {
      const ms = await timed(() => call(i));
      if (i >= warmUp) samples[which].push(ms);
    }
    if (i >= warmUp + min - 1 && performance.now() - started > budgetMs) break;
  }
  return samples;
}

/** Runs `work(0)` … `work(n - 1)`, `concurrency` at a time. */
export async function inParallel(n: number, concurrency: number, work: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

/** The API as one person, with a token signed as `npm run token` signs it; each write carries its own Idempotency-Key. */
export async function apiAs(stack: BenchStack, userId: string) {
  const token = await signLocalToken(stack.config.auth.jwtSecret!, userId);
  const send = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (method !== 'GET') Object.assign(headers, { 'content-type': 'application/json', 'idempotency-key': randomUUID() });
    // A 503 (no worker took the Update in time) is tried again after its Retry-After with the same key, as a careful client does; the wait counts.
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(`${stack.apiUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      if (res.status === 503 && attempt < 5) {
        await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
        continue;
      }
      if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
      return JSON.parse(text) as T;
    }
  };
  return {
    get: (path: string) => send<unknown>('GET', path),
    post: (path: string, body: unknown = {}) => send<unknown>('POST', path, body),
    /** A new proposal's case number. */
    create: async (proposal: unknown) => (await send<{ id: string }>('POST', '/api/proposals', proposal)).id,
  };
}
export type ApiClient = Awaited<ReturnType<typeof apiAs>>;
