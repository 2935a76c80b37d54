import type { Transporter } from 'nodemailer';
import { obsoleteReason, sendOutboxEntry } from '../activities/notifications';
import type { DeliverySettings } from '../domain/outbox';
import type { OutboxDoc, Store } from '../store';
import { outbox } from '../store/outbox';
import { eachSecondUntil } from '../store/serialised';

export interface DeliveryOptions {
  settings: DeliverySettings;
  mailFrom: string;
  mailer?: Transporter;
  webhook?: { url: string; secret: string };
  /** Entries claimed per round. */
  batch?: number;
  onError?: (err: unknown) => void;
}

/**
 * Delivers the outbox outside the cases' workflows: claims each due entry (one
 * process at a time, see store/outbox.ts), sends it, marks it sent; a failure
 * schedules the next attempt with exponential backoff until the give-up limit,
 * then the entry is `failed` until someone retries it. Reminders and escalations
 * of tasks no longer open are not sent. Runs in every worker process.
 */
export function outboxDelivery(store: Store, o: DeliveryOptions) {
  const box = outbox(store);
  const batch = o.batch ?? 50;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;
  /** Set by stop(): a round under way ends after the entry it is on. */
  let stopping = false;

  /** What became of one entry: handed over, failed (tried again later), or left to someone else. */
  async function deliverOne(entryId: string, now: Date): Promise<'delivered' | 'failed' | 'notMine'> {
    const claim = await box.claim(entryId, o.settings.lease);
    if (!claim) return 'notMine';
    let marking = false;
    try {
      const entry = claim.entry;
      // Read again under the claim: another process may have sent it since the list was made.
      if (!entry || !['pending', 'sending'].includes(entry.status)) return 'notMine';
      if (entry.nextAttemptAt && entry.nextAttemptAt.getTime() > now.getTime()) return 'notMine';
      const obsolete = await obsoleteReason(store, entry);
      if (obsolete) {
        await box.markSkipped(claim, obsolete);
        return 'delivered';
      }
      await box.markSending(claim);
      try {
        await sendOutboxEntry(entry, o);
      } catch (err) {
        await box.markFailed(claim, o.settings, err instanceof Error ? err.message : String(err));
        return 'failed';
      }
      try {
        await box.markSent(claim);
      } catch (err) {
        // Sent but not marked: released, it would be sent again. The claim is kept, so no
        // deliverer takes the entry before its lease runs out, and the mark tried each second
        // beside the round until it takes (then the claim is let go) or the lease has passed.
        marking = true;
        void eachSecondUntil(claim.leaseUntil.getTime(), async () => {
          try {
            await box.markSent(claim);
          } catch {
            return false;
          }
          await box.release(claim).catch(() => undefined); // let go, or given up with the lease
          return true;
        });
        throw err;
      }
      return 'delivered';
    } finally {
      if (!marking) await box.release(claim);
    }
  }

  /**
   * One round: the entries due now, mails and webhooks each in a lane of their own (up to
   * `batch` each), and a lane's round ends at its first failure (the rest wait for the next
   * round). A mail server that does not answer costs one timeout a round, not one a mail,
   * and holds up no webhook however many mails wait. Returns how many were handled (sent,
   * failed, skipped) and whether a lane had more than it took.
   */
  async function deliverDue(): Promise<{ handled: number; more: boolean }> {
    const now = new Date();
    const dueNow = await box.due(now, batch);
    const lane = async (channel: OutboxDoc['channel']) => {
      const due = dueNow[channel];
      let handled = 0;
      for (const { _id } of due) {
        if (stopping) return { handled, more: false }; // a stopping worker finishes the entry it is on, not the round
        const outcome = await deliverOne(_id, now);
        if (outcome !== 'notMine') handled += 1;
        if (outcome === 'failed') return { handled, more: false };
      }
      return { handled, more: due.length >= batch };
    };
    // Both lanes end before the round does, a failing one too: a stop waits for the other's send.
    const lanes = await Promise.allSettled([lane('email'), lane('webhook')]);
    const failed = lanes.find((l) => l.status === 'rejected');
    if (failed) throw failed.reason;
    const done = lanes.map((l) => (l as PromiseFulfilledResult<{ handled: number; more: boolean }>).value);
    return { handled: done.reduce((n, l) => n + l.handled, 0), more: done.some((l) => l.more) };
  }

  function schedule(ms: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void round(), ms);
    timer.unref?.();
  }

  async function round(): Promise<void> {
    if (running) {
      again = true; // woken while delivering: look once more when this round ends
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          if ((await deliverDue()).more) again = true;
        } catch (err) {
          o.onError?.(err);
        }
      } while (again && !stopped);
    })();
    try {
      await running;
    } finally {
      running = undefined;
      schedule(o.settings.pollEvery);
    }
  }

  return {
    deliverDue,
    start() {
      stopped = false;
      stopping = false;
      schedule(0);
    },
    /** A notification was written: deliver without waiting for the next poll. */
    wake() {
      if (!stopped) void round();
    },
    async stop() {
      stopped = true;
      stopping = true;
      clearTimeout(timer);
      await running;
    },
  };
}
export type OutboxDelivery = ReturnType<typeof outboxDelivery>;
