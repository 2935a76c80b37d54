import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { caseLink } from './caseLink';
import { outboxStatuses, retryableStatuses, type OutboxStatus } from '../../domain/outbox';
import type { OutboxDoc, Store } from '../../store';
import { outbox } from '../../store/outbox';
import { HttpProblem } from '../problem';
import { outboxReaders } from '../../domain/accessPolicy';
import { outboxQuerySchema, retryOutboxEntry } from '../routes/outbox';
import { requireRolePage, requireUser } from './access';
import { recordRead } from '../accessLog';
import { csrfField } from './csrf';
import { badQuery } from './errors';
import { html, type Html } from './html';
import { formatDateTime, reasonWords, type Lang } from '../../i18n';
import { langOf } from './lang';
import { layout, notice } from './layout';
import { outboxWords } from '../../i18n/outbox';

/**
 * The outbox for the secretariat and IT operations: what is pending, sent, failed
 * or not sent, why, when the next attempt is, and "retry now", the same as
 * GET /api/outbox and POST /api/outbox/:id/retry.
 */
export function outboxPageRoutes(config: Config, store: Store) {
  const router = Router();

  router.get('/outbox', async (req, res) => {
    requireRolePage(req, ...outboxReaders);
    await show(req, res);
  });

  router.post('/outbox/:id/retry', async (req, res) => {
    requireRolePage(req, ...outboxReaders);
    const status = outboxStatuses.find((s) => s === req.body?.status);
    const back = new URLSearchParams(status ? { status } : {});
    try {
      await retryOutboxEntry(config, store, String(req.params.id));
    } catch (err) {
      if (!(err instanceof HttpProblem) || (err.status !== 404 && err.status !== 409)) throw err;
      const w = outboxWords(langOf(req));
      const why = err.status === 404 ? w.notFound : err.refusal.code === 'notificationBusy' ? w.busy : w.notRetryable;
      await show(req, res, { refusal: why, status: err.status, filter: status });
      return;
    }
    back.set('retried', '1');
    res.redirect(303, `/outbox?${back.toString()}`);
  });

  async function show(req: Request, res: Response, o: { refusal?: string; status?: number; filter?: OutboxStatus } = {}) {
    const lang = langOf(req);
    const w = outboxWords(lang);
    const { retried, ...query } = req.method === 'GET' ? (req.query as Record<string, unknown>) : { status: o.filter };
    const q = outboxQuerySchema.safeParse(query);
    if (!q.success) throw badQuery(lang, q.error);
    const [{ items, total, counts }] = await Promise.all([outbox(store).list(q.data), recordRead(store, req, requireUser(req).actor.userId, { what: 'outbox' })]);
    const first = (q.data.page - 1) * q.data.pageSize + 1;
    const last = first + items.length - 1;
    const filterLink = (s: OutboxStatus | undefined, label: string, count?: number) =>
      html`<li><a href="/outbox${s ? `?status=${s}` : ''}"${q.data.status === s ? html` aria-current="page"` : ''}>${label}${count !== undefined ? ` (${count})` : ''}</a></li>`;
    const pageLink = (page: number, label: string, rel: string) => {
      const p = new URLSearchParams(q.data.status ? { status: q.data.status } : {});
      p.set('page', String(page));
      return html`<li><a href="/outbox?${p.toString()}" rel="${rel}">${label}</a></li>`;
    };
    const pager = [q.data.page > 1 ? pageLink(q.data.page - 1, w.newer, 'prev') : '', last < total ? pageLink(q.data.page + 1, w.older, 'next') : ''].filter(Boolean);

    res
      .status(o.status ?? 200)
      .type('html')
      .send(
        layout(req, {
          title: w.title,
          current: 'outbox',
          body: html`<h1>${w.title}</h1>
        ${retried && !o.status ? notice('success', w.retried) : ''}
        ${o.refusal ? notice('error', o.refusal) : ''}
        <p>${w.intro}</p>
        <nav aria-label="${w.filter}"><ul class="pager">${filterLink(undefined, w.all)}${outboxStatuses.map((s) => filterLink(s, w.statuses[s], counts[s]))}</ul></nav>
        ${
          items.length === 0
            ? html`<p>${w.none}</p>`
            : html`<table class="data outbox">
          <caption>${w.caption(first, last, total)}</caption>
          <thead><tr><th scope="col">${w.created}</th><th scope="col">${w.recipient}</th><th scope="col">${w.what}</th><th scope="col">${w.proposal}</th><th scope="col">${w.status}</th><th scope="col" class="num">${w.attempts}</th><th scope="col"><span class="visually-hidden">${w.retry}</span></th></tr></thead>
          <tbody>${items.map((e) => row(req, lang, e, q.data.status))}</tbody>
        </table>`
        }
        ${pager.length ? html`<nav aria-label="${w.pages}"><ul class="pager">${pager}</ul></nav>` : ''}`,
        }),
      );
  }

  return router;
}

function row(req: Request, lang: Lang, e: OutboxDoc, filter: OutboxStatus | undefined): Html {
  const w = outboxWords(lang);
  const what = w.events[e.event as keyof typeof w.events] ?? e.event;
  const to = e.channel === 'email' ? (e.toName ?? e.to ?? '') : (e.to ?? '');
  const when =
    e.status === 'pending' && e.nextAttemptAt ? w.next(formatDateTime(lang, e.nextAttemptAt)) : e.status === 'sent' && e.sentAt ? w.sentAt(formatDateTime(lang, e.sentAt)) : '';
  return html`<tr>
    <td>${formatDateTime(lang, e.createdAt)}</td>
    <td>${w.channels[e.channel] ?? e.channel}: ${to}</td>
    <td>${what}${e.subject ? html`<br><span class="muted" lang="${e.language ?? 'da'}">${e.subject}</span>` : ''}</td>
    <td>${e.proposalId ? html`<a href="${caseLink(e.proposalId)}">${e.proposalId}</a>` : ''}</td>
    <td>${w.statuses[e.status] ?? e.status}${when ? html`<br><span class="muted">${when}</span>` : ''}${e.skipReason ? html`<br><span class="muted">${reasonWords(lang, e.skipReason)}</span>` : e.lastError && e.status !== 'sent' ? html`<br><span class="muted">${w.error}: ${e.lastError}</span>` : ''}</td>
    <td class="num">${e.attempts ?? 0}</td>
    <td>${
      retryableStatuses.includes(e.status)
        ? html`<form method="post" action="/outbox/${encodeURIComponent(e._id)}/retry" class="inline">${csrfField(req)}${filter ? html`<input type="hidden" name="status" value="${filter}">` : ''}<button type="submit" class="secondary" aria-label="${w.retryLabel(what, to)}">${w.retry}</button></form>`
        : ''
    }</td>
  </tr>`;
}
