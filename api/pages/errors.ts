import type { ErrorRequestHandler, Request } from 'express';
import { HttpProblem } from '../problem';
import { CsrfRejected } from './csrf';
import { html } from './html';
import { dict, langOf, type Lang } from './i18n';
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

/** Signed-out visitors go to sign-in and come back here afterwards. */
export class SignInRequired extends Error {}

/** A safe place to return to after sign-in: a path on this site, never another site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

/**
 * What the workflow's refusal (an HttpProblem from the LifecycleClient) means to a
 * person: a stale, completed or someone else's task, a closed case.
 */
export function plainWords(lang: Lang, problem: HttpProblem): string {
  const t = dict(lang).problem;
  const d = problem.detail ?? problem.title;
  const stageName = (s: string) => dict(lang).stage[s] ?? s;
  let m: RegExpExecArray | null;
  if ((m = /the task is already (\w+)/.exec(d))) return t.alreadyDone(dict(lang).taskStatus[m[1]] ?? m[1]);
  if (/assigned to someone else/.test(d)) return t.someoneElse;
  if (/claim it first/.test(d)) return dict(lang).pool.claimFirst;
  if (/only the person who holds the task/.test(d)) return dict(lang).pool.notHolder;
  if (/the task is already yours/.test(d)) return dict(lang).pool.alreadyYours;
  if (/changed hands meanwhile/.test(d)) return dict(lang).pool.takenMeanwhile;
  if ((m = /the proposal is in (\w+); the task is stale/.exec(d))) return t.stale(stageName(m[1]));
  if (/is closed; nothing more can be done|does not belong to this proposal/.test(d)) return t.closed;
  if ((m = /the proposal is already (\w+)/.exec(d))) return `${t.closed} (${stageName(m[1])})`;
  if (/being withdrawn/.test(d)) return t.withdrawing;
  if (/revision is being saved|another revision/.test(d)) return t.busy;
  if ((m = /the proposal is in (\w+), not Motivation|can only be revised in Motivation; it is in (\w+)/.exec(d))) return t.notInMotivation(stageName(m[1] ?? m[2]));
  if (/already been submitted/.test(d)) return t.alreadySubmitted;
  if (/only the secretariat/.test(d)) return t.onlySecretariat;
  return t.other(d);
}

export function problemPage(req: Request, title: string, text: string): string {
  const t = dict(langOf(req));
  return layout(req, {
    title,
    body: html`<h1>${title}</h1><p>${text}</p><p><a href="/">${t.problem.backToInbox}</a></p>`,
  });
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
  if (err instanceof PageProblem) ({ status, title, text } = err);
  else if (err instanceof CsrfRejected) ({ status, title, text } = { status: 403, title: t.forbidden, text: t.csrf });
  else if (err instanceof HttpProblem) ({ status, text } = { status: err.status, text: plainWords(langOf(req), err) });
  else if (typeof (err as { status?: number }).status === 'number' && (err as { status: number }).status < 500) {
    status = (err as { status: number }).status;
    text = (err as Error).message;
  } else console.error(err);
  res.status(status).type('html').send(problemPage(req, title, text));
};
