/**
 * The fund's users as real clients behave during an outage: behind a load balancer
 * (requests go round the API processes that are up), and on a 5xx, a 503 or a
 * dropped connection they try again after a pause. The API has no Idempotency-Key,
 * so a repeated completion refused as no longer open (code `taskNotOpen`) counts as
 * done only when the task is indeed completed by the same user. Every outcome is kept for the
 * invariants: what a client was told happened must have happened, once.
 */
export interface HttpAnswer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- any JSON shape
}

export interface Completion {
  taskId: string;
  proposalId: string;
  user: string;
  /** done: the API said so (200, or 409 after a lost answer and the task is the user's); refused: a genuine 403/409. */
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

  async function once(user: string, method: string, path: string, body?: unknown): Promise<HttpAnswer> {
    const urls = opts.urls();
    const base = urls[turn++ % urls.length];
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${await opts.token(user)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
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

  /** Retries on network errors and 5xx until an answer below 500 comes back. Answers with how many tries it took. */
  async function request(user: string, method: string, path: string, body?: unknown): Promise<HttpAnswer & { attempts: number }> {
    const deadline = Date.now() + giveUpAfterMs;
    let lastProblem = '';
    for (let attempt = 1, wait = 250; ; attempt++, wait = Math.min(wait * 2, 3_000)) {
      try {
        const answer = await once(user, method, path, body);
        if (answer.status < 500) return { ...answer, attempts: attempt };
        lastProblem = `${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`;
      } catch (err) {
        lastProblem = err instanceof Error ? `${err.name}: ${err.message} ${String((err as { cause?: unknown }).cause ?? '')}` : String(err);
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

  /** Waits until the read model shows the task closed; answers it. */
  async function closedTask(user: string, taskId: string) {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const t = await get('sara.secretariat', `/api/tasks/${encodeURIComponent(taskId)}`);
      if (t.status === 200 && t.body.status !== 'open') return t.body as { status: string; completedBy: string | null };
      if (Date.now() > deadline) throw new Error(`task ${taskId} (completed by ${user}?) still not closed in the read model: ${JSON.stringify(t.body)}`);
      await pause(500);
    }
  }

  return {
    completions,
    created,
    retries: () => retries,
    get,
    post,

    /** A new proposal. Not retried: without an Idempotency-Key a repeated creation would be a second case. */
    async create(user: string, proposal: unknown): Promise<string> {
      const answer = await once(user, 'POST', '/api/proposals', proposal);
      await expectOk('create a proposal', answer, 201);
      created.push(answer.body.id);
      return answer.body.id as string;
    },

    async submit(id: string) {
      const r = await post('sara.secretariat', `/api/proposals/${id}/submit`);
      // After a lost answer the repeat finds it submitted.
      if (r.status === 409 && r.attempts > 1 && ['alreadySubmitted', 'wrongStage'].includes(r.body.code)) return;
      await expectOk(`submit ${id}`, r, 200);
    },

    async claim(user: string, taskId: string, from: string | null): Promise<number> {
      const r = await post(user, `/api/tasks/${encodeURIComponent(taskId)}/claim`, { from });
      if (r.status === 409 && r.attempts > 1 && r.body.code === 'taskAlreadyYours') {
        const t = await get(user, `/api/tasks/${encodeURIComponent(taskId)}`);
        if (t.body.assignee === user) return 200;
      }
      return r.status;
    },

    /** Completes a task as `user`; the outcome is recorded. */
    async complete(user: string, task: { id: string; proposalId: string }, input: unknown): Promise<Completion> {
      const r = await post(user, `/api/tasks/${encodeURIComponent(task.id)}/complete`, input);
      let outcome: Completion['outcome'] = r.status === 200 ? 'done' : 'refused';
      if (r.status === 409 && r.attempts > 1 && r.body.code === 'taskNotOpen') {
        // The first try may have taken effect before its answer was lost.
        const t = await closedTask(user, task.id);
        if (t.status === 'completed' && t.completedBy === user) outcome = 'done';
      }
      if (![200, 403, 409].includes(r.status)) throw new Error(`complete ${task.id} as ${user}: ${r.status} ${JSON.stringify(r.body)}`);
      const c: Completion = { taskId: task.id, proposalId: task.proposalId, user, outcome, status: r.status, attempts: r.attempts };
      completions.push(c);
      return c;
    },
  };
}
export type FundClient = ReturnType<typeof fundClient>;
