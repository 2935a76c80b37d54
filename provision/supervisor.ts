/** A process the supervisor keeps running: how to tell it ended, and how to stop it. */
export interface Supervised {
  pid: number;
  exited: Promise<unknown>;
  stop(): Promise<void>;
}

export interface RestartPolicy {
  /** Delays before each restart in a row; the last repeats. */
  backoffMs: number[];
  /** More crashes than this within `windowMs` and the supervisor gives up. */
  maxCrashes: number;
  windowMs: number;
}

export const defaultPolicy: RestartPolicy = { backoffMs: [1_000, 2_000, 5_000, 10_000, 30_000], maxCrashes: 5, windowMs: 5 * 60_000 };

/**
 * Keeps one process running: starts it, and when it ends without being asked to,
 * says so and starts it again after a growing pause. After more crashes than the
 * policy allows within its window, `gaveUp` resolves with the reason and nothing is
 * restarted any more.
 */
export function supervise(name: string, start: () => Promise<Supervised>, log: (line: string) => void, policy: RestartPolicy = defaultPolicy) {
  let current: Supervised | undefined;
  let stopping = false;
  let giveUp: (reason: string) => void = () => undefined;
  const gaveUp = new Promise<string>((resolve) => (giveUp = resolve));
  const crashes: number[] = [];
  let wake: () => void = () => undefined;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => (clearTimeout(timer), resolve());
    });

  async function run(): Promise<void> {
    for (;;) {
      let endedHow: string;
      try {
        current = await start();
        log(`${name} running (pid ${current.pid})`);
        const exit = (await current.exited) as { code?: number | null; signal?: string | null } | undefined;
        endedHow = exit?.signal ? `was killed by ${exit.signal}` : `exited with code ${exit?.code ?? '?'}`;
      } catch (err) {
        endedHow = `could not start: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
      }
      current = undefined;
      if (stopping) return;
      const now = Date.now();
      crashes.push(now);
      while (crashes.length && crashes[0] < now - policy.windowMs) crashes.shift();
      if (crashes.length > policy.maxCrashes) {
        giveUp(`${name} ${endedHow}; it ended ${crashes.length} times within ${Math.round(policy.windowMs / 1000)} s, so the supervisor gives up`);
        return;
      }
      const delay = policy.backoffMs[Math.min(crashes.length - 1, policy.backoffMs.length - 1)];
      log(
        `${name} ${endedHow}; restarting in ${delay / 1000} s (crash ${crashes.length}; after ${policy.maxCrashes} within ${Math.round(policy.windowMs / 1000)} s the next one stops everything)`,
      );
      await pause(delay);
      if (stopping) return;
    }
  }
  const running = run();

  return {
    gaveUp,
    pid: () => current?.pid,
    async stop() {
      stopping = true;
      wake();
      await current?.stop();
      await running;
    },
  };
}
export type Supervisor = ReturnType<typeof supervise>;
