import type { ErrorRequestHandler, Request } from 'express';
import type { z } from 'zod';
import { describeError } from '../../domain/logText';
import { HttpProblem, outageProblem } from '../problem';
import { CsrfRejected, SessionEnded } from './csrf';
import { html, type Html } from './html';
import { dict, refusalWords, type Lang } from '../../i18n';
import { langOf } from './lang';
import { layout } from './layout';

/** A page that cannot be shown, with the reason in plain words. */
export class PageProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly text: string,
  ) {
    super(text);
  }
}

/** A page's address whose query its schema refuses: 400, naming each parameter that is wrong or unknown to the page. */
export function badQuery(lang: Lang, error: z.ZodError): PageProblem {
  const named = error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : [i.path.join('.')]));
  return new PageProblem(400, dict(lang).problem.title, dict(lang).problem.badAddress([...new Set(named)].join(', ')));
}

/** Signed-out visitors go to sign-in and come back here afterwards. */
export class SignInRequired extends Error {}

/** A safe place to return to after sign-in: a path on this site, never another site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

/**
 * What the workflow's refusal (an HttpProblem from the LifecycleClient) means to a
 * person: a stale, completed or someone else's task, a closed case. Translated by its
 * code, never by its English words.
 */
export function plainWords(lang: Lang, problem: HttpProblem): string {
  return refusalWords(lang, problem.refusal);
}

/**
 * A refusal a page answers in its own form (redrawn with a fresh key, for what is sent next is
 * a new request). An outage is not one: it goes on to the error page, which keeps the form to be
 * sent again with its key, so an Update applied after all is found, not applied twice.
 */
export function refusalIn(err: unknown): HttpProblem {
  if (err instanceof HttpProblem && !outageProblem(err)) return err;
  throw err;
}

export function problemPage(req: Request, title: string, text: string, more: Html | '' = ''): string {
  const t = dict(langOf(req));
  return layout(req, {
    title,
    body: html`<h1>${title}</h1><p>${text}</p>${more}<p><a href="/">${t.problem.backToInbox}</a></p>`,
  });
}

/**
 * A form sent while a dependency was down comes back with what was filled in, to be sent
 * again as it was, once the service is back. Its key comes along, so a sending that was
 * applied after all is found, not repeated (an Update's ID is made from it).
 */
function sendAgain(req: Request): Html | '' {
  if (req.method !== 'POST' || !req.body || typeof req.body !== 'object') return '';
  const t = dict(langOf(req)).problem;
  // The pages' forms are parsed flat (express.urlencoded, extended: false): strings, or lists of them.
  const fields = Object.entries(req.body as Record<string, unknown>).flatMap(([name, value]) =>
    [value].flat().flatMap((v) => (typeof v === 'string' ? [html`<input type="hidden" name="${name}" value="${v}">`] : [])),
  );
  return html`<form method="post" action="${req.originalUrl}" class="send-again">
    ${fields}
    <p>${t.keptToSendAgain}</p>
    <button type="submit">${t.sendAgain}</button>
  </form>`;
}

/**
 * A form sent after its session ended: the way back in, and what the person wrote, to
 * copy into the form once they are signed in again (its token was the old session's, so
 * it cannot simply be sent again).
 */
function signInAgain(req: Request): Html {
  const t = dict(langOf(req)).problem;
  const written = Object.entries((req.body ?? {}) as Record<string, unknown>).flatMap(([name, value]) =>
    name.startsWith('_') ? [] : [value].flat().flatMap((v) => (typeof v === 'string' && v.trim() ? [{ name, text: v }] : [])),
  );
  return html`<p><a href="/sign-in?next=${encodeURIComponent(req.path)}">${t.signInAgain}</a></p>
    ${
      written.length
        ? html`<details open class="written"><summary>${t.whatYouWrote}</summary>
          ${written.map((w) => html`<textarea readonly rows="3" aria-label="${w.name}">${w.text}</textarea>`)}
        </details>`
        : ''
    }`;
}

/** Every error on a page becomes a page in plain words, never a stack trace. */
export const pageErrorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const t = dict(langOf(req)).problem;
  if (err instanceof SignInRequired) {
    res.redirect(303, `/sign-in?next=${encodeURIComponent(req.method === 'GET' ? req.originalUrl : req.path)}`);
    return;
  }
  let status = 500;
  let title = t.title;
  let text = t.internal;
  let more: Html | '' = '';
  const outage = outageProblem(err);
  if (outage) {
    res.set('retry-after', String(outage.retryAfter));
    ({ status, title, text } = { status: 503, title: t.unavailable, text: plainWords(langOf(req), outage) });
    more = sendAgain(req);
  } else if (err instanceof PageProblem) ({ status, title, text } = err);
  else if (err instanceof CsrfRejected) ({ status, title, text } = { status: 403, title: t.forbidden, text: t.csrf });
  else if (err instanceof SessionEnded) {
    ({ status, title, text } = { status: 403, title: t.signedOut, text: t.sessionEnded });
    more = signInAgain(req);
  } else if (err instanceof HttpProblem) ({ status, text } = { status: err.status, text: plainWords(langOf(req), err) });
  else if (typeof (err as { status?: number }).status === 'number' && (err as { status: number }).status < 500) {
    // A library's refusal (the form too large, a path that does not decode) in the reader's words, not its English.
    status = (err as { status: number }).status;
    text = refusalWords(langOf(req), (err as { type?: string }).type === 'entity.too.large' ? { code: 'payloadTooLarge', limit: '' } : { code: 'invalidRequest' });
  } else console.error(describeError(err));
  res
    .status(status)
    .type('html')
    .send(problemPage(req, title, text, more));
};
