import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Supervised } from './supervisor';

/** Set for the worker and API processes `npm start` runs: they end when their stdin closes. */
export const supervisedEnv = 'SIF_SUPERVISED';

/**
 * Runs one of the project's TypeScript entry points (the worker, the API) as a
 * process of its own, as production does, and resolves once a line of its output
 * says it is ready. Its output is passed on with its name in front. Its stdin is a
 * pipe from this process, so it ends when this process dies, even by SIGKILL.
 */
export function startNodeProcess(name: string, script: string, env: NodeJS.ProcessEnv, ready: RegExp, out: (line: string) => void, startTimeoutMs = 120_000): Promise<Supervised> {
  // tsx as a loader in this one process (its CLI would put a second process between).
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: resolve(__dirname, '..'),
    env: { ...env, [supervisedEnv]: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C reaches the supervisor, which stops the processes in order.
    detached: true,
  });
  child.on('error', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let isReady = false;
  let markReady: () => void = () => undefined;
  const readyNow = new Promise<void>((resolve) => (markReady = resolve));
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      out(`[${name}] ${line}`);
      if (!isReady && ready.test(line)) {
        isReady = true;
        markReady();
      }
    });
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(force);
  };
  const supervised: Supervised = { pid: child.pid!, exited, stop };
  return new Promise<Supervised>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${name} was not ready within ${startTimeoutMs / 1000} s`));
    }, startTimeoutMs);
    void readyNow.then(() => (clearTimeout(timer), resolve(supervised)));
    void exited.then((e) => {
      clearTimeout(timer);
      reject(new Error(`${name} ended before it was ready (${e.signal ?? `code ${e.code}`})`));
    });
  });
}

/** In a supervised process: run `stop` when the supervisor goes away. */
export function stopWhenSupervisorEnds(stop: () => void) {
  if (!process.env[supervisedEnv]) return;
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
}
