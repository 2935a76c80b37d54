import { randomUUID } from 'node:crypto';
/**
 * The fund's users as real clients behave during an outage: behind a load balancer
 * (requests go round the API processes that are up), and on a 5xx, a 503, a dropped
 * connection or a 409 `idempotencyInProgress` they try again after a pause, with the
 * same Idempotency-Key, so the API answers a repeat as it answered the first. Every
 * outcome is kept for the invariants: what a client was told happened must have
 * happened, once, and nothing that happened may have been told as refused.
 */
export interface HttpAnswer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- any JSON shape
}

export interface Completion {
  taskId: string;
  proposalId: string;
  user: string;
  /** done: the API answered 200; refused: 403 or 409. */
  outcome: 'done' | 'refused';
  status: number;
  attempts: number;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function fundClient(opts: { urls: () => string[]; token: (user: string) => Promise<string>; note: (line: string) => void; giveUpAfterMs?: number }) {
  const giveUpAfterMs = opts.giveUpAfterMs ?? 240_000;
  const completions: Completion[] = [];
  const created: string[] = [];
  let turn = 0;
  let retries = 0;

  async function once(user: string, method: string, path: string, body?: unknown, key?: string): Promise<HttpAnswer> {
    const urls = opts.urls();
    const base = urls[turn++ % urls.length];
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await opts.token(user)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      // A client does not wait forever for an answer; the request may still take effect.
      signal: AbortSignal.timeout(45_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed };
  }

  /** Retries on network errors, 5xx and a first attempt still under way, until another answer comes back. Answers with how many tries it took. */
  async function request(user: string, method: string, path: string, body?: unknown): Promise<HttpAnswer & { attempts: number }> {
    const deadline = Date.now() + giveUpAfterMs;
    const key = method === 'GET' ? undefined : randomUUID();
    let lastProblem: string;
    for (let attempt = 1, wait = 250; ; attempt++, wait = Math.min(wait * 2, 3_000)) {
      try {
        const answer = await once(user, method, path, body, key);
        const underWay = answer.status === 409 && answer.body?.code === 'idempotencyInProgress';
        if (answer.status < 500 && !underWay) return { ...answer, attempts: attempt };
        lastProblem = `${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
      } catch (err) {
        lastProblem = err instanceof Error ? `${err.name}: ${err.message} ${(err.cause as Error | undefined)?.message ?? ''}` : String(err);
      }
      retries += 1;
      opts.note(`client: ${method} ${path} as ${user} again (attempt ${attempt}: ${lastProblem.slice(0, 160)})`);
      if (Date.now() > deadline) throw new Error(`${method} ${path} as ${user}: no answer below 500 after ${attempt} attempts; last: ${lastProblem}`);
      await pause(wait * (0.5 + Math.random()));
    }
  }

  const get = (user: string, path: string) => request(user, 'GET', path);
  const post = (user: string, path: string, body: unknown = {}) => request(user, 'POST', path, body);

  async function expectOk(what: string, answer: HttpAnswer, ...ok: number[]) {
    if (!ok.includes(answer.status)) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer;
  }

  return {
    completions,
    created,
    retries: () => retries,
    get,
    post,

    /** A new proposal; a repeat under the same Idempotency-Key is answered with the same case. */
    async create(user: string, proposal: unknown): Promise<string> {
      const answer = await post(user, '/api/proposals', proposal);
      await expectOk('create a proposal', answer, 201);
      created.push(answer.body.id);
      return answer.body.id as string;
    },

    async submit(id: string) {
      const r = await post('sara.secretariat', `/api/proposals/${id}/submit`);
      await expectOk(`submit ${id}`, r, 200);
    },

    async claim(user: string, taskId: string, from: string | null): Promise<number> {
      const r = await post(user, `/api/tasks/${encodeURIComponent(taskId)}/claim`, { from });
      return r.status;
    },

    /** Completes a task as `user`; the outcome is recorded. */
    async complete(user: string, task: { id: string; proposalId: string }, input: unknown): Promise<Completion> {
      const r = await post(user, `/api/tasks/${encodeURIComponent(task.id)}/complete`, input);
      const outcome: Completion['outcome'] = r.status === 200 ? 'done' : 'refused';
      if (![200, 403, 409].includes(r.status)) throw new Error(`complete ${task.id} as ${user}: ${r.status} ${JSON.stringify(r.body)}`);
      const c: Completion = { taskId: task.id, proposalId: task.proposalId, user, outcome, status: r.status, attempts: r.attempts };
      completions.push(c);
      return c;
    },
  };
}
export type FundClient = ReturnType<typeof fundClient>;
