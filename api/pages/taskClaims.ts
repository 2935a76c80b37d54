import { Router, type Request } from 'express';
import type { Store, TaskDoc } from '../../store';
import { hasRole } from '../../domain/people';
import { poolKindsOf, taskPool } from '../../domain/taskPool';
import type { TaskKind } from '../../domain/tasks';
import { claimTaskUpdate, releaseTaskUpdate } from '../../workflows/messages';
import type { LifecycleClient } from '../lifecycle';
import { openPoolTasks } from '../../store/poolTasks';
import { requireUser } from './access';
import { csrfField } from './csrf';
import { PageProblem } from './errors';
import { claimSchema } from '../routes/tasks';
import { html, type Html } from './html';
import { dict, refusalWords } from '../../i18n';
import { langOf } from './lang';
import type { SignedInUser } from './session';

/**
 * Claim and release of the secretariat's pooled tasks from the inbox and the task
 * page: the same Updates as POST /api/tasks/:id/claim and /release, so the
 * workflow's validators decide who may.
 */
export function taskClaimRoutes(store: Store, lifecycle: LifecycleClient) {
  const router = Router();

  async function pooled(req: Request) {
    const t = dict(langOf(req)).problem;
    const task = await store.tasks.findById(req.params.id).lean();
    if (!task || !taskPool[task.kind as TaskKind]) throw new PageProblem(404, t.notFound, t.notFoundText);
    return task;
  }

  router.post('/tasks/:id/claim', async (req, res) => {
    const user = requireUser(req);
    const task = await pooled(req);
    // The holder the page showed; another colleague's claim meanwhile is refused, not overridden. Bounded as the API's is.
    const claim = claimSchema.safeParse({ from: req.body?.from || null });
    if (!claim.success) throw new PageProblem(400, dict(langOf(req)).problem.title, refusalWords(langOf(req), { code: 'invalidRequest' }));
    const from = claim.data.from ?? null;
    await lifecycle.updateTask(task, claimTaskUpdate, { actor: user.actor, taskId: task._id, from });
    res.redirect(303, `/tasks/${encodeURIComponent(task._id)}?claimed=1`);
  });

  router.post('/tasks/:id/release', async (req, res) => {
    const user = requireUser(req);
    const task = await pooled(req);
    await lifecycle.updateTask(task, releaseTaskUpdate, { actor: user.actor, taskId: task._id });
    res.redirect(303, '/?released=1');
  });

  return router;
}

/** May this user take the task: a pooled kind of their role, held by nobody or a colleague. */
export function mayClaim(user: SignedInUser, task: TaskDoc): boolean {
  const pool = taskPool[task.kind as TaskKind];
  return task.status === 'open' && !!pool && hasRole(user.actor, pool) && task.assignee !== user.actor.userId;
}

/** The task page's claim or release button for a pooled task; nothing for personal tasks. */
export function poolActions(req: Request, user: SignedInUser, task: TaskDoc): Html | '' {
  const t = dict(langOf(req)).pool;
  const action = (verb: 'claim' | 'release') => `/tasks/${encodeURIComponent(task._id)}/${verb}`;
  if (mayClaim(user, task)) {
    return html`<form method="post" action="${action('claim')}" class="pool-action">${csrfField(req)}<input type="hidden" name="from" value="${task.assignee ?? ''}">
      <p>${t.takeOver}</p><button type="submit">${t.claim}</button></form>`;
  }
  if (task.status === 'open' && taskPool[task.kind as TaskKind] && task.assignee === user.actor.userId) {
    return html`<form method="post" action="${action('release')}" class="pool-action">${csrfField(req)}
      <p class="hint">${t.releaseExplain}</p><button type="submit" class="secondary">${t.release}</button></form>`;
  }
  return '';
}

/** The inbox's second list: open tasks nobody holds that the user's roles may take. */
export async function poolTasks(store: Store, user: SignedInUser): Promise<TaskDoc[]> {
  if (poolKindsOf(user.actor).length === 0) return [];
  return (await openPoolTasks(store, poolKindsOf(user.actor))).slice(0, 200);
}
