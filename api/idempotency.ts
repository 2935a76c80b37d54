import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { describeError } from '../domain/logText';
import type { IdempotencyDoc, Store } from '../store';
import type { Role } from '../domain/people';
import { badRequest, conflict, forbidden, HttpProblem, sendProblem } from './problem';
import { runInRequestContext, type KeptRead } from './requestContext';
import { accessLog } from '../store/accessLog';
import { eachSecondUntil } from '../store/serialised';
import { shortLivedMs } from '../store/shortLived';

/** A request still marked as under way after this long died with its process; a retry takes over. */
const abandonedAfterMs = 60_000;
const keyPattern = /^[\x21-\x7e]{1,200}$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `Idempotency-Key` on the API's POST and PUT: a retry with the same key (from the same
 * person, for the same request) gets the first attempt's answer again, never a second
 * effect and never a misleading 409. Updates additionally carry an Update ID made from
 * the key, so even a first attempt that answered 503 but was applied is found by Temporal.
 * Answers of 5xx, and any that says when to try again (Retry-After: a 409 while a step is
 * under way), are not remembered: the retry runs again.
 */
export function idempotency(store: Store) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = req.get('idempotency-key');
    if (key === undefined || !['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method) || !req.subject || !req.person) return next();
    if (!keyPattern.test(key)) {
      await req.person; // someone who is not an active user is told that first
      throw badRequest([{ field: 'Idempotency-Key', code: 'invalidIdempotencyKey', message: 'must be 1 to 200 visible ASCII characters' }]);
    }
    const userId = req.subject;
    const _id = sha256(`${userId}\n${key}`);
    const fingerprint = fingerprintOf(req);
    // The answer is a document of its own beside the claim: an insert, where an update of the
    // claim would cost the embedded database a scan of every key of the last day.
    const answerId = `${_id}:answer`;

    // The key is claimed while the person is read (both need only the token's subject); an
    // earlier answer is given only to someone who is still an active user.
    const [claim, person] = await Promise.allSettled([claimKey(store, _id, answerId, fingerprint), req.person]);
    if (person.status === 'rejected') {
      if (claim.status === 'fulfilled' && isClaimed(claim.value)) await unclaim(store, _id, claim.value).catch(() => undefined);
      throw person.reason;
    }
    if (claim.status === 'rejected') throw claim.reason;
    // The same request under way: its answer, given a moment, or the key once it lets it go.
    const claimed = await afterUnderWay(store, _id, answerId, fingerprint, claim.value, answerWaitMs, 50);
    if (!isClaimed(claimed)) {
      const earlier = claimed;
      if (earlier.fingerprint !== fingerprint) throw new HttpProblem(422, 'Unprocessable', { code: 'idempotencyKeyReused' });
      if (earlier.state !== 'done') return sendProblem(res.set('retry-after', '2'), conflict({ code: 'idempotencyInProgress' }));
      // An answer is what the person's roles let them have then: not given again to one who has lost any of them since.
      const lost = (earlier.roles ?? []).filter((r) => !person.value.roles.includes(r as Role));
      if (lost.length) throw forbidden({ code: 'rolesChangedSinceAnswer', roles: lost });
      // The answer shows again what it showed (bidders, attendance, an address): each read it recorded is recorded
      // again, before anything of the answer is set, so a log that cannot be written answers a plain 503.
      await Promise.all((earlier.reads ?? []).map((read) => accessLog(store).record({ ...read, userId })));
      res
        .status(earlier.status!)
        .set('idempotent-replayed', 'true')
        .type(earlier.contentType ?? 'application/json');
      if (earlier.location) res.location(earlier.location);
      res.send(earlier.body);
      return;
    }
    forgetOldKeysNowAndThen(store);

    const context = { idempotency: { userId, key }, reads: [] as KeptRead[] };
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      const status = res.statusCode;
      if (status >= 500 || res.get('retry-after')) {
        // Not kept: the key is let go before the answer goes out, so a retry that follows at once runs again.
        void unclaimSoon(store, _id, claimed)
          .catch((err: unknown) => console.error('could not let an Idempotency-Key go:', describeError(err)))
          .finally(() => send(body));
        return res;
      }
      // The answer goes out while it is put on record: a retry sent meanwhile waits for the record (`afterUnderWay`).
      recording(
        store.idempotency.create({
          _id: answerId,
          fingerprint,
          state: 'done',
          status,
          body: typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body),
          contentType: res.get('content-type'),
          location: res.get('location'),
          roles: [...person.value.roles].sort(),
          // A refusal shows nothing of what was read on the way to it: only an answer that was given keeps its reads.
          ...(status < 300 && context.reads.length ? { reads: context.reads } : {}),
          createdAt: new Date(),
        }),
      );
      return send(body);
    };
    runInRequestContext(context, next);
  };
}

/** How long a form sent a second time waits for its first sending to be answered (a double click): past the longest bounded call to Temporal. */
const formWaitMs = 40_000;

/**
 * The pages' forms carry a key made when the form was drawn, so a form sent twice (a
 * double click, the browser sending it again) acts once. The first sending claims the
 * key; a second one meanwhile waits for it and goes where it went. Only that redirect
 * (the form taken) is remembered: a form drawn again with errors or a refusal is
 * answered afresh, and an outage's 503 leaves the key free for *Send igen*. Its Updates
 * carry an Update ID made from the key, as the API's do. A form changed and sent again
 * under its key (the browser's back button brings both back) is another request.
 * Signing in is left out: its answer is a cookie, which a replayed redirect would not carry.
 */
export function formIdempotency(store: Store) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const key = req.method === 'POST' ? (req.body as Record<string, unknown> | undefined)?._idempotencyKey : undefined;
    const userId = req.pageSession?.userId;
    if (typeof key !== 'string' || !keyPattern.test(key) || !userId || req.path === '/sign-in') return next();
    const fingerprint = fingerprintOf(req);
    // Apart from the API's keys, which a client chooses.
    const _id = sha256(`form\n${userId}\n${key}\n${fingerprint}`);
    const answerId = `${_id}:answer`;
    const claim = await afterUnderWay(store, _id, answerId, fingerprint, await claimKey(store, _id, answerId, fingerprint), formWaitMs, 200);
    if (!isClaimed(claim)) {
      if (claim.state === 'done') return res.redirect(303, claim.location!);
      res.set('retry-after', '2');
      throw conflict({ code: 'idempotencyInProgress' });
    }
    forgetOldKeysNowAndThen(store);

    // The key is let go when the handler answers anything but a redirect, not when the browser
    // gives up waiting (a double click abandons the first sending, which still runs to its end).
    let redirected = false;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      if (!redirected) void unclaimSoon(store, _id, claim).catch(() => undefined);
      return end(...args);
    }) as Response['end'];
    const redirect = res.redirect.bind(res) as (status: number, url: string) => void;
    res.redirect = (statusOrUrl: number | string, maybeUrl?: string) => {
      const [status, url] = typeof statusOrUrl === 'number' ? [statusOrUrl, maybeUrl!] : [302, statusOrUrl];
      redirected = true;
      // On record before it goes out, so a second sending finds it; one not recorded lets the key go.
      void store.idempotency
        .create({ _id: answerId, fingerprint, state: 'done', status, location: url, createdAt: new Date() })
        .catch(async (err: unknown) => {
          console.error("could not record a form's answer:", describeError(err));
          await unclaim(store, _id, claim).catch(() => undefined);
        })
        .finally(() => {
          if (!res.headersSent) redirect(status, url);
        });
    };
    runInRequestContext({ idempotency: { userId, key: `${key}\n${fingerprint}` } }, next);
  };
}

/** What a request asks, so a key sent again is known for the same request: method, address and body. */
const fingerprintOf = (req: Request) => sha256(`${req.method} ${req.originalUrl}\n${JSON.stringify(req.body ?? null)}`);

/** Keys older than a day are deleted by about one request in a hundred, and by the workers' retention hourly. */
function forgetOldKeysNowAndThen(store: Store) {
  if (Math.random() < 0.01) void store.idempotency.deleteMany({ createdAt: { $lt: new Date(Date.now() - shortLivedMs) } }).catch(() => undefined);
}

/**
 * Claims a key for this request, or finds the request that holds it: its answer once
 * there is one, its claim while it is under way. A claim left behind by a process that
 * died is taken over after a minute. A new key is the common case: claiming it first
 * costs one round trip; only a key in use is looked up.
 */
async function claimKey(store: Store, _id: string, answerId: string, fingerprint: string): Promise<Claimed | IdempotencyDoc> {
  for (;;) {
    try {
      const claimedAt = new Date();
      await store.idempotency.create({ _id, fingerprint, state: 'inProgress', createdAt: claimedAt });
      return { claimedAt };
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
    const [answer, claim] = await Promise.all([store.idempotency.findById(answerId).lean(), store.idempotency.findById(_id).lean()]);
    // A claim that holds its answer itself was written before answers had their own document.
    const earlier = answer ?? claim;
    if (!earlier) continue; // abandoned and taken away meanwhile: claim it again
    if (earlier.fingerprint !== fingerprint || earlier.state === 'done' || Date.now() - earlier.createdAt.getTime() < abandonedAfterMs) return earlier;
    await store.idempotency.deleteOne({ _id, createdAt: earlier.createdAt });
  }
}

/** How long an API retry waits for the answer of the request that holds its key: the moment it takes to be put on record after it went out. */
const answerWaitMs = 1_000;

/**
 * What a request meets once the same request, sent before and holding its key, is done: its
 * answer once given; the key, claimed for this one, once that request lets it go (an answer
 * not kept), or abandons it; or, still under way after `waitMs`, its claim. The key is claimed
 * again every `everyMs`. Anything else (this request's claim, another body's) is as it was.
 */
async function afterUnderWay(store: Store, _id: string, answerId: string, fingerprint: string, first: Claimed | IdempotencyDoc, waitMs: number, everyMs: number) {
  let earlier = first;
  for (const until = Date.now() + waitMs; !isClaimed(earlier) && earlier.state !== 'done' && earlier.fingerprint === fingerprint && Date.now() < until;) {
    await new Promise((r) => setTimeout(r, everyMs));
    earlier = await claimKey(store, _id, answerId, fingerprint);
  }
  return earlier;
}

/** Answers being put on record after they went out: a process that stops waits for them (`answersRecorded`). */
const beingRecorded = new Set<Promise<unknown>>();

function recording(record: Promise<unknown>) {
  const kept = record.catch((err: unknown) => console.error('could not record an idempotent answer:', describeError(err))).finally(() => beingRecorded.delete(kept));
  beingRecorded.add(kept);
}

/** Once every answer already given is on record (or failed to be): before the database is closed. */
export const answersRecorded = () => Promise.allSettled([...beingRecorded]);

/** A key this request holds, since when. */
interface Claimed {
  claimedAt: Date;
}
const isClaimed = (c: Claimed | IdempotencyDoc): c is Claimed => 'claimedAt' in c;

/** Lets a key go: only the claim this request made, never one another request took over after it was abandoned. */
const unclaim = (store: Store, _id: string, claim: Claimed) => store.idempotency.deleteOne({ _id, createdAt: claim.claimedAt });

/**
 * Lets a key go after a 5xx, and when the database fails that too (it is often why the
 * answer was a 5xx), tries again each second beside the answer until the claim would be
 * taken for abandoned anyway: a retry is then taken as soon as the database is back,
 * where it was refused 409 idempotencyInProgress for a minute.
 */
function unclaimSoon(store: Store, _id: string, claim: Claimed): Promise<unknown> {
  return unclaim(store, _id, claim).catch((err: unknown) => {
    void eachSecondUntil(claim.claimedAt.getTime() + abandonedAfterMs, () =>
      unclaim(store, _id, claim).then(
        () => true,
        () => false,
      ),
    );
    throw err;
  });
}
