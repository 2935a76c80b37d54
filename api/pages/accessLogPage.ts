import { pageNumber } from '../params';
import { Router } from 'express';
import { z } from 'zod';
import { caseFilter, typedText } from '../../domain/freeText';
import { accessLogReaders } from '../../domain/accessLog';
import type { AccessLogDoc, Store } from '../../store';
import { recordRead } from '../accessLog';
import { readAccessLog, recordLookup, type AccessLogQuery } from '../routes/accessLog';
import { accessLogWords } from '../../i18n/accessLog';
import { requireRolePage } from './access';
import { errorSummary, failedFormStatus, selectField, textField, zodFieldErrors, type FieldErrors } from './forms';
import { html, type Html } from './html';
import { formatDateTime, type Lang } from '../../i18n';
import { langOf } from './lang';
import { layout } from './layout';
import { fromLocalInput } from '../../domain/localTime';
import { caseLink } from './caseLink';

const day = z.iso.date().optional();
/** The page's search: days in Copenhagen time, where the API takes instants. */
const searchSchema = z.strictObject({
  user: typedText().max(100).optional(),
  case: caseFilter().optional(),
  from: day,
  to: day,
  page: pageNumber,
});

const lastInstantOf = (date: string) => new Date(Date.parse(fromLocalInput(`${date}T23:59`)) + 59_999).toISOString();

/** The access log for IT operations and the data protection officer, the same entries as GET /api/access-log. */
export function accessLogPageRoutes(store: Store) {
  const router = Router();

  router.get('/access-log', async (req, res) => {
    const reader = requireRolePage(req, ...accessLogReaders);
    const lang = langOf(req);
    const w = accessLogWords(lang);
    const values = Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === 'string' && v !== '')) as Record<string, string>;
    const search = searchSchema.safeParse(values);
    const errors: FieldErrors = search.success ? {} : zodFieldErrors(search.error, lang);
    const s = search.success ? search.data : { page: 1 };
    const q: AccessLogQuery = {
      user: s.user || undefined,
      case: s.case || undefined,
      from: s.from ? fromLocalInput(`${s.from}T00:00`) : undefined,
      to: s.to ? lastInstantOf(s.to) : undefined,
      page: s.page,
      pageSize: 50,
    };
    const [{ total, items }, users] = await Promise.all([
      search.success ? readAccessLog(store, q) : { total: 0, items: [] },
      store.users.find({}, { name: 1 }).sort({ name: 1 }).lean(),
      // The search offers everyone by name: that is a read of the user list too.
      recordRead(store, req, reader.actor.userId, { what: 'users' }),
    ]);
    if (search.success) await recordLookup(store, req, reader.actor.userId, q);
    const names = new Map(users.map((u) => [u._id, u.name]));
    const nameOf = (id: string) => names.get(id) ?? id;
    const first = (q.page - 1) * q.pageSize + 1;
    const last = first + items.length - 1;
    const pageLink = (page: number, label: string, rel: string) => {
      const p = new URLSearchParams(values);
      p.set('page', String(page));
      return html`<li><a href="/access-log?${p.toString()}" rel="${rel}">${label}</a></li>`;
    };
    const pager = [q.page > 1 ? pageLink(q.page - 1, w.newer, 'prev') : '', last < total ? pageLink(q.page + 1, w.older, 'next') : ''].filter(Boolean);

    // Drawn before the summary above it, which names the fields it draws.
    const searchForm = html`<form method="get" action="/access-log" class="access-log-search" aria-labelledby="search-title">
          <h2 id="search-title">${w.filter}</h2>
          <div class="grid">
            ${selectField({ name: 'user', label: w.user, value: values.user, errors, options: [{ value: '', label: w.anyone }, ...users.map((u) => ({ value: u._id, label: `${u.name} (${u._id})` }))] })}
            ${textField({ name: 'case', label: w.case, hint: w.caseHint, value: values.case, errors })}
            ${textField({ name: 'from', label: w.from, type: 'date', value: values.from, errors })}
            ${textField({ name: 'to', label: w.to, type: 'date', value: values.to, errors })}
          </div>
          <button type="submit">${w.show}</button>
        </form>`;
    res
      .status(search.success ? 200 : failedFormStatus(search.error))
      .type('html')
      .send(
        layout(req, {
          title: w.title,
          current: 'accessLog',
          body: html`<h1>${w.title}</h1>
        <p>${w.intro}</p>
        ${errorSummary(lang, errors)}
        ${searchForm}
        ${
          items.length === 0
            ? html`<p>${w.none}</p>`
            : html`<table class="data access-log">
          <caption>${w.caption(first, last, total)}</caption>
          <thead><tr><th scope="col">${w.at}</th><th scope="col">${w.who}</th><th scope="col">${w.what}</th><th scope="col">${w.through}</th><th scope="col">${w.route}</th></tr></thead>
          <tbody>${items.map((e) => row(lang, e, nameOf))}</tbody>
        </table>`
        }
        ${pager.length ? html`<nav aria-label="${w.pages}"><ul class="pager">${pager}</ul></nav>` : ''}`,
        }),
      );
  });

  return router;
}

function row(lang: Lang, e: AccessLogDoc, nameOf: (id: string) => string): Html {
  const w = accessLogWords(lang);
  const what = html`${w.kinds[e.what] ?? e.what}${e.proposalId ? html` <a href="${caseLink(e.proposalId)}">${e.proposalId}</a>` : ''}${e.taskId ? html` <span class="muted">(${e.taskId})</span>` : ''}${e.meetingId && e.meetingId !== e.proposalId ? html` <a href="/meetings/${encodeURIComponent(e.meetingId)}">${e.meetingId}</a>` : ''}`;
  return html`<tr>
    <td>${formatDateTime(lang, e.at)}</td>
    <td>${nameOf(e.userId)} <span class="muted">(${e.userId})</span></td>
    <td>${what}</td>
    <td>${w.via[e.via] ?? e.via}</td>
    <td><code>${e.route}</code></td>
  </tr>`;
}
