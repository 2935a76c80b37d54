import type { Request, Response } from 'express';
import type { LifecycleState } from '../../domain/lifecycleState';
import { dict } from '../../i18n';
import { dependencyTimeoutMs, retryAfterSeconds } from '../dependencies';
import type { LifecycleClient } from '../lifecycle';
import { html, type Html } from './html';
import { langOf } from './lang';

export type PageLiveState = { state: LifecycleState; awaiting?: undefined } | { state?: undefined; awaiting: boolean };

/** A page drawn right after someone acted waits this long: that is when the workflow is busiest, and the Update itself may take longer. */
const afterActingWaitMs = 10_000;

/** The flags with which a step's form sends a person back to the page (`?done=`, `?submitted=1`, …). */
const actedFlags = ['done', 'created', 'saved', 'submitted', 'claimed'];

/**
 * The case's live state for a page, or whether it is worth asking again. A workflow
 * running its local activities answers a query only after them, and a busy machine or a
 * worker that is down makes that longer than a page should wait. A workflow Temporal no
 * longer has (its retention ran out) will not answer later either: that page says nothing.
 */
export async function liveStateForPage(lifecycle: LifecycleClient, req: Request, proposalId: string): Promise<PageLiveState> {
  const acted = req.method === 'POST' || actedFlags.some((flag) => Object.hasOwn(req.query, flag));
  const answer = await lifecycle.stateWithin(proposalId, acted ? afterActingWaitMs : dependencyTimeoutMs);
  return answer.state ? { state: answer.state } : { awaiting: answer.unanswered !== 'workflowNotFound' };
}

/**
 * Said on a page drawn without the workflow's state while it may still come: what shows
 * is the read model's, and a form that needs the state is left out. `unavailable`: the
 * page is nothing without it (see `unavailableStatus`). The link opens the page again
 * (`again`, its own address: a page drawn in answer to a form has the form's). Tests find
 * the notice by `data-awaiting-workflow`.
 */
export function awaitingWorkflow(req: Request, opts: { unavailable: boolean; again: string; text?: string }): Html {
  const t = dict(langOf(req)).awaitingWorkflow;
  return html`<div class="notice notice-info" role="status" data-awaiting-workflow><p>${opts.text ?? (opts.unavailable ? t.unavailable : t.partial)} <a href="${opts.again}">${t.again}</a></p></div>`;
}

/** The status of a page that is nothing without its workflow: 503 with Retry-After, so neither a person nor a client acts on it. */
export function unavailableStatus(res: Response): number {
  res.set('retry-after', String(retryAfterSeconds));
  return 503;
}
