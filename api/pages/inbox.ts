import { Router } from 'express';
import type { Store, TaskDoc } from '../../store';
import { poolKindsOf } from '../../domain/taskPool';
import { taskListExclusion } from '../../domain/accessPolicy';
import { requireUser } from './access';
import { csrfField } from './csrf';
import { html, type Html } from './html';
import { dict, formatDate, type Lang } from '../../i18n';
import { langOf } from './lang';
import { layout, notice } from './layout';
import { poolTasks } from './taskClaims';
import { meetingsOfTasks, taskCaseTitle, taskKindName } from './taskTitle';

/** The inbox: my open tasks with their due dates, overdue first; then the tasks my role may take. */
export function inboxRoutes(store: Store) {
  const router = Router();

  router.get('/', async (req, res) => {
    const user = requireUser(req);
    const lang = langOf(req);
    const t = dict(lang);
    const [tasks, pool] = await Promise.all([store.tasks.find({ assignee: user.actor.userId, status: 'open', ...taskListExclusion(user.actor) }).lean(), poolTasks(store, user)]);
    tasks.sort((a, b) => Number(isOverdue(b)) - Number(isOverdue(a)) || new Date(a.dueAt).getTime() - new Date(b.dueAt).getTime() || a._id.localeCompare(b._id));
    const meetings = await meetingsOfTasks(store, [...tasks, ...pool]);
    const titleOf = (task: TaskDoc) => taskCaseTitle(lang, task, meetings.get(task.proposalId));

    const claimButton = (task: TaskDoc) =>
      html`<form method="post" action="/tasks/${encodeURIComponent(task._id)}/claim" class="inline">${csrfField(req)}<button type="submit" class="small" aria-label="${t.pool.claimNamed(`${taskKindName(lang, task)}, ${titleOf(task)}`)}">${t.pool.claim}</button></form>`;

    res.type('html').send(
      layout(req, {
        title: t.inbox.title,
        current: 'inbox',
        body: html`<h1>${t.inbox.title}</h1>
        ${req.query.released === '1' ? notice('success', t.pool.released) : ''}
        ${tasks.length === 0 ? html`<p>${t.inbox.empty}</p>` : taskTable(lang, t.inbox.caption, tasks, titleOf, (task) => html`<a href="/tasks/${encodeURIComponent(task._id)}">${taskKindName(lang, task)}</a>`)}
        ${
          poolKindsOf(user.actor).length === 0
            ? ''
            : html`<h2>${t.pool.title}</h2>
            ${pool.length === 0 ? html`<p>${t.pool.empty}</p>` : taskTable(lang, t.pool.caption, pool, titleOf, (task) => html`<a href="/tasks/${encodeURIComponent(task._id)}">${taskKindName(lang, task)}</a> ${claimButton(task)}`)}`
        }`,
      }),
    );
  });

  return router;
}

const isOverdue = (task: TaskDoc) => task.overdue || new Date(task.dueAt).getTime() < Date.now();

function taskTable(lang: Lang, caption: string, tasks: TaskDoc[], titleOf: (task: TaskDoc) => string, first: (task: TaskDoc) => Html): Html {
  const t = dict(lang);
  return html`<table class="data">
    <caption>${caption}</caption>
    <thead><tr><th scope="col">${t.inbox.task}</th><th scope="col">${t.inbox.proposal}</th><th scope="col">${t.inbox.due}</th></tr></thead>
    <tbody>
    ${tasks.map(
      (task) => html`<tr${isOverdue(task) ? html` class="overdue"` : ''}>
        <td>${first(task)}</td>
        <td>${titleOf(task)} <span class="muted">(${task.proposalId})</span></td>
        <td>${formatDate(lang, task.dueAt)} ${isOverdue(task) ? html`<span class="badge badge-danger">${t.inbox.overdue}</span>` : ''}</td>
      </tr>`,
    )}
    </tbody>
  </table>`;
}
