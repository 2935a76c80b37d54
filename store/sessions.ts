import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '.';

export interface SessionTimeouts {
  /** Ended after this long without a request. */
  idleMs: number;
  /** Ended this long after sign-in, however busy. */
  absoluteMs: number;
}

/** What the cookie carries: 32 random bytes, base64url. Anything else is not looked up. */
const idPattern = /^[A-Za-z0-9_-]{43}$/;
const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');
const randomToken = () => randomBytes(32).toString('base64url');

/**
 * The pages' sessions in the database. Each is one document written at sign-in and
 * deleted when it ends (a delete is atomic on FerretDB v1 as on MongoDB). The only
 * update is `lastSeenAt`, made at most every twentieth of the idle timeout; of two at
 * once either may win, both say "just now", and one racing a sign-out does not bring
 * the session back (test/e2e/sessions.test.ts).
 */
export function pageSessions(store: Store, timeouts: SessionTimeouts) {
  const touchEvery = Math.min(60_000, timeouts.idleMs / 20);
  const expired = (now: number) => ({ $or: [{ createdAt: { $lt: new Date(now - timeouts.absoluteMs) } }, { lastSeenAt: { $lt: new Date(now - timeouts.idleMs) } }] });

  return {
    /** A new session for the user: the cookie's id (never stored as such) and its CSRF token. */
    async start(userId: string): Promise<{ id: string; csrf: string }> {
      const now = Date.now();
      // Sessions nobody signed out of are removed here, so the collection holds no more than the sign-ins of one absolute timeout.
      await store.sessions.deleteMany(expired(now));
      const id = randomToken();
      const csrf = randomToken();
      await store.sessions.create({ _id: hashOf(id), userId, csrf, createdAt: new Date(now), lastSeenAt: new Date(now) });
      return { id, csrf };
    },

    /** The live session the cookie names; one that has timed out is ended here. */
    async find(id: string | undefined): Promise<{ userId: string; csrf: string } | undefined> {
      if (!id || !idPattern.test(id)) return undefined;
      const _id = hashOf(id);
      const doc = await store.sessions.findById(_id).lean();
      if (!doc) return undefined;
      const now = Date.now();
      if (doc.createdAt.getTime() + timeouts.absoluteMs <= now || doc.lastSeenAt.getTime() + timeouts.idleMs <= now) {
        await store.sessions.deleteOne({ _id });
        return undefined;
      }
      if (now - doc.lastSeenAt.getTime() >= touchEvery) await store.sessions.updateOne({ _id }, { $set: { lastSeenAt: new Date(now) } });
      return { userId: doc.userId, csrf: doc.csrf };
    },

    async end(id: string | undefined): Promise<void> {
      if (id && idPattern.test(id)) await store.sessions.deleteOne({ _id: hashOf(id) });
    },

    /** Every session of one person: when they are deactivated. */
    async endAllOf(userId: string): Promise<void> {
      await store.sessions.deleteMany({ userId });
    },
  };
}
export type PageSessions = ReturnType<typeof pageSessions>;
