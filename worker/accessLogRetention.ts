import type { Store } from '../store';
import { accessLog } from '../store/accessLog';

/** How often each worker deletes what has outlived the retention period (and once at start). */
const purgeEveryMs = 60 * 60_000;

/**
 * Keeps the access log within its retention period (`dataProtection.accessLogRetention`):
 * FerretDB v1 has no TTL index, so each worker deletes the older entries now and then.
 * Any number of workers may, even at once; a delete done twice deletes nothing more.
 */
export function accessLogRetention(store: Store, o: { retentionMs: number; onError?: (err: unknown) => void }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const purge = () => {
    running = accessLog(store)
      .purge(new Date(Date.now() - o.retentionMs))
      .then(
        () => undefined,
        (err: unknown) => o.onError?.(err),
      );
  };
  return {
    start() {
      purge();
      timer = setInterval(purge, purgeEveryMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
