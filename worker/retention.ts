import type { Config } from '../config';
import type { Store } from '../store';
import { accessLog } from '../store/accessLog';
import { outbox } from '../store/outbox';
import { purgeShortLived } from '../store/shortLived';

/** How often each worker deletes what has outlived its retention period (and once at start). */
const purgeEveryMs = 60 * 60_000;

/**
 * Keeps what holds personal data only as long as `dataProtection` says: the access log
 * (`accessLogRetention`) and the notifications delivered or skipped (`outboxRetention`);
 * the API's kept answers a day and unadopted drafts seven days (store/shortLived.ts).
 * FerretDB v1 has no TTL index, so each worker deletes the older entries now and then.
 * Any number of workers may, even at once; a delete done twice deletes nothing more.
 */
export function retention(store: Store, o: { settings: Config['dataProtection']; onError?: (err: unknown) => void }) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const before = (ms: number) => new Date(Date.now() - ms);
  const purge = () => {
    // A purge still at work when the hour comes round (a large first purge) is left to finish.
    if (running) return;
    running = Promise.allSettled([
      accessLog(store).purge(before(o.settings.accessLogRetention)),
      outbox(store).purge(before(o.settings.outboxRetention)),
      purgeShortLived(store),
    ]).then((results) => {
      for (const r of results) if (r.status === 'rejected') o.onError?.(r.reason);
      running = undefined;
    });
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
