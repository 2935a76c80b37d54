import { Router } from 'express';
import type { PersonStanding, RoleChangeDoc, Store } from '../../store';
import { roleChangesPage } from '../../store/people';
import { changeReaders, roleChangesQuerySchema } from '../routes/users';
import { requireRolePage } from './access';
import { badQuery } from './errors';
import { html, type Html } from './html';
import { dict, formatDateTime, type Lang } from '../../i18n';
import { langOf } from './lang';
import { layout } from './layout';
import { userNames } from './userNames';
import { recordRead } from '../accessLog';

/** For IT operations and the administrator: every change of roles on record, the same as GET /api/role-changes. */
export function roleChangesPageRoutes(store: Store) {
  const router = Router();

  router.get('/role-changes', async (req, res) => {
    const reader = requireRolePage(req, ...changeReaders);
    const lang = langOf(req);
    const t = dict(lang);
    const w = t.roleChanges;
    const q = roleChangesQuerySchema.safeParse(req.query);
    if (!q.success) throw badQuery(lang, q.error);
    const [{ items, total }, nameOf] = await Promise.all([roleChangesPage(store, q.data), userNames(store), recordRead(store, req, reader.actor.userId, { what: 'roleChanges' })]);
    const first = (q.data.page - 1) * q.data.pageSize + 1;
    const last = first + items.length - 1;
    const pageLink = (page: number, label: string, rel: string) => {
      const p = new URLSearchParams(q.data.userId ? { userId: q.data.userId } : {});
      p.set('page', String(page));
      return html`<li><a href="/role-changes?${p.toString()}" rel="${rel}">${label}</a></li>`;
    };
    const pager = [q.data.page > 1 ? pageLink(q.data.page - 1, w.newer, 'prev') : '', last < total ? pageLink(q.data.page + 1, w.older, 'next') : ''].filter(Boolean);
    const row = (c: RoleChangeDoc) => html`<tr>
      <td>${formatDateTime(lang, c.at)}</td>
      <td>${nameOf(c.userId)} <span class="muted">(${c.userId})</span></td>
      <td>${c.by === 'configuration' ? w.configuration : nameOf(c.by)}</td>
      <td>${c.before ? standingWords(lang, c.before) : w.created}</td>
      <td>${standingWords(lang, c.after)}${c.emailChanged ? html`; <strong>${w.emailChanged}</strong>` : ''}</td>
    </tr>`;
    res.type('html').send(
      layout(req, {
        title: w.title,
        current: 'roleChanges',
        body: html`<h1>${w.title}</h1>
        <p>${w.intro}</p>
        ${
          items.length === 0
            ? html`<p>${w.none}</p>`
            : html`<table class="data">
          <caption>${w.caption(first, last, total)}</caption>
          <thead><tr><th scope="col">${w.at}</th><th scope="col">${w.person}</th><th scope="col">${w.by}</th><th scope="col">${w.before}</th><th scope="col">${w.after}</th></tr></thead>
          <tbody>${items.map(row)}</tbody>
        </table>`
        }
        ${pager.length ? html`<nav aria-label="${w.pages}"><ul class="pager">${pager}</ul></nav>` : ''}`,
      }),
    );
  });

  return router;
}

/** Roles in the reader's words, the department, and whether the person is active. */
function standingWords(lang: Lang, s: PersonStanding): Html {
  const t = dict(lang);
  const roles = s.roles.length ? s.roles.map((r) => t.roles[r] ?? r).join(', ') : t.roleChanges.noRoles;
  return html`${roles}${s.department ? ` (${s.department})` : ''}${s.active ? '' : html`; <strong>${t.roleChanges.inactive}</strong>`}`;
}
