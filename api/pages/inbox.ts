import { Router } from 'express';
import type { Store } from '../../activities/store';
import type { TaskKind } from '../../workflows/domain/tasks';
import { requireUser } from './access';
import { html } from './html';
import { dict, formatDate, langOf } from './i18n';
import { layout } from './layout';

/** The inbox: my open tasks with their due dates, overdue first. */
export function inboxRoutes(store: Store) {
  const router = Router();

  router.get('/', async (req, res) => {
    const user = requireUser(req);
    const lang = langOf(req);
    const t = dict(lang);
    const now = Date.now();
    const tasks = await store.tasks.find({ assignee: user.actor.userId, status: 'open' }).lean();
    const isOverdue = (task: (typeof tasks)[number]) => task.overdue || new Date(task.dueAt).getTime() < now;
    tasks.sort((a, b) => Number(isOverdue(b)) - Number(isOverdue(a)) || new Date(a.dueAt).getTime() - new Date(b.dueAt).getTime() || a._id.localeCompare(b._id));

    res.type('html').send(
      layout(req, {
        title: t.inbox.title,
        current: 'inbox',
        body: html`<h1>${t.inbox.title}</h1>
        ${tasks.length === 0
          ? html`<p>${t.inbox.empty}</p>`
          : html`<table class="data">
          <caption>${t.inbox.caption}</caption>
          <thead><tr><th scope="col">${t.inbox.task}</th><th scope="col">${t.inbox.proposal}</th><th scope="col">${t.inbox.due}</th></tr></thead>
          <tbody>
          ${tasks.map(
            (task) => html`<tr${isOverdue(task) ? html` class="overdue"` : ''}>
              <td><a href="/tasks/${encodeURIComponent(task._id)}">${t.taskKind[task.kind as TaskKind] ?? task.kind}</a></td>
              <td>${task.title ?? task.proposalId} <span class="muted">(${task.proposalId})</span></td>
              <td>${formatDate(lang, task.dueAt)} ${isOverdue(task) ? html`<span class="badge badge-danger">${t.inbox.overdue}</span>` : ''}</td>
            </tr>`,
          )}
          </tbody>
        </table>`}`,
      }),
    );
  });

  return router;
}
