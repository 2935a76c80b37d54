import { idParam, pageNumber } from '../params';
import type { Request } from 'express';
import { z } from 'zod';
import { issue, issueText, type Issue } from '../../domain/issues';
import { paramsOf } from '../../domain/codes';
import { optionalText, text, typedText } from '../../domain/freeText';
import { containsCprNumber } from '../../domain/cpr';
import type { Store, UserDoc } from '../../store';
import { changePerson, councilToday, personOf, roleChangesPage, type PersonFields } from '../../store/people';
import { isDuplicateKey } from '../../store/serialised';
import type { Config } from '../../config';
import { hasRole, isTaskListWord, languages, roles, type Actor, type Person, type Role } from '../../domain/people';
import type { Refusal } from '../../domain/refusals';
import { standing, whyTaskMoves } from '../../domain/roleChanges';
import { councilChangedSignal, reassignTaskUpdate } from '../../workflows/messages';
import { pageSessions } from '../../store/sessions';
import { actorOf, requireRole } from '../auth';
import type { LifecycleClient } from '../lifecycle';
import { badRequest, conflict, forbidden, HttpProblem, notFound } from '../problem';
import { named, route, type AnyRoute } from '../registry';
import { meReply, roleChangesReply, userChangedReply, usersReply } from '../replies/people';
import { forStep } from '../requestContext';
import { recordRead } from '../accessLog';

export const userSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9._-]{2,60}$/, issue('userIdFormat'))
    .refine((id) => !isTaskListWord(id), issue('userIdReserved'))
    // Every record of the person carries the id, for as long as the record is kept.
    .refine((id) => !containsCprNumber(id), issue('cprNumber')),
  name: text(200),
  // 254: the longest address SMTP carries (RFC 5321).
  email: z.email().max(254),
  roles: z.array(z.enum(roles)).min(1).max(10),
  department: optionalText(100).optional(),
  /** The language of their mail. */
  language: z.enum(languages).optional(),
  active: z.boolean().default(true),
});
/**
 * A person may be left with no role at all (the account stays, it can do nothing). A field
 * left out stays as it is: `active` has no default here, or every change would reactivate
 * the deactivated. An empty department removes it.
 */
export const userUpdateSchema = userSchema
  .omit({ id: true })
  .extend({ roles: z.array(z.enum(roles)).max(10), active: z.boolean() })
  .partial();

export const roleChangesQuerySchema = z.strictObject({
  userId: typedText().max(100).optional(),
  page: pageNumber,
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

const view = (u: UserDoc) => ({
  id: u._id,
  name: u.name,
  email: u.email,
  roles: u.roles,
  department: u.department ?? null,
  language: u.language ?? 'da',
  active: u.active === true,
});

/** Who reads the list of people and the record of role changes. */
const peopleReaders: Role[] = ['secretariat', 'operator', 'administrator'];
export const userListQuerySchema = z.strictObject({
  page: pageNumber,
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
});

export const changeReaders: Role[] = ['operator', 'administrator'];

/** A refusal of domain/roleChanges.ts as its status: one's own roles are not one's to change (403); a needed role is (409). */
const refusedChange = (refusal: Refusal) => (refusal.code === 'ownRoles' || refusal.code === 'ownEmail' ? forbidden(refusal) : conflict(refusal));

/** A task that had moved or closed before its reassignment arrived: nothing left to do for it. */
// A task role changes have moved as often as a task may be moved stays where it is: the person's change stands.
const alreadySettled = new Set<Refusal['code']>(['taskChangedHands', 'taskNotOpen', 'taskNotHere', 'workflowClosed', 'reassignmentsExhausted']);

/**
 * People and their roles. The administrator (IT and HR) manages them, nobody their own;
 * people seeded from configuration start the same way. A change that takes a role from
 * someone moves their open tasks that need it to whoever holds it now, and a council
 * round waiting for a complete council looks again.
 */
/** IT operations read the list to see who holds which role; how to reach people is for those who manage and contact them. */
const withoutAddress = (u: UserDoc) => {
  const { email: _email, ...rest } = view(u);
  return rest;
};

export function userRoutes(config: Config, store: Store, lifecycle: LifecycleClient): AnyRoute[] {
  const departments = config.people.departments.map((d) => d.code);

  function checkDepartment(u: { roles?: string[]; department?: string }) {
    if (u.roles?.includes('department') && !(u.department && departments.includes(u.department))) {
      const unknown: Issue = { code: 'unknownDepartment', departments };
      throw badRequest([{ field: 'department', code: unknown.code, message: issueText(unknown), params: paramsOf(unknown) }]);
    }
  }

  /**
   * The person's open tasks they may no longer answer, each asked to move. Run after
   * every change, also one that changed nothing: a request retried after it failed
   * half-way moves what the first attempt did not.
   */
  async function moveTasksOf(person: Person, by: Actor) {
    const moved: { taskId: string; assignee: string | null }[] = [];
    for (const task of await store.tasks.find({ assignee: person.id, status: 'open' }).lean()) {
      const reason = task.role ? whyTaskMoves(person, { role: task.role as Role, ...(task.department ? { department: task.department } : {}) }) : undefined;
      if (!reason) continue;
      try {
        const { assignee } = await forStep(task._id, () => lifecycle.updateTask(task, reassignTaskUpdate, { actor: by, taskId: task._id, from: person.id, reason }));
        moved.push({ taskId: task._id, assignee });
      } catch (err) {
        if (!(err instanceof HttpProblem && alreadySettled.has(err.refusal.code))) throw err;
      }
    }
    return moved;
  }

  /**
   * Rounds waiting for a complete council look again once it is complete: each look is a
   * step in their histories, and a look at an incomplete council changes nothing. Asked of
   * the council as it sits, not of this change, so a request retried after it failed
   * half-way still tells them, and one that changes nothing tells nobody twice.
   */
  async function tellWaitingRounds() {
    const waiting = await store.tasks.find({ kind: 'councilComposition', status: 'open' }, { proposalId: 1 }).lean();
    if (waiting.length === 0 || !(await councilToday(store)).complete) return;
    for (const proposalId of new Set(waiting.map((t) => t.proposalId))) await lifecycle.signal(proposalId, councilChangedSignal);
  }

  /** Whether a person on record is exactly the one an addition asks for. */
  const asAdded = (existing: UserDoc, fields: PersonFields) =>
    JSON.stringify(standing(personOf(existing))) === JSON.stringify(standing(personOf({ _id: existing._id, ...fields }))) &&
    existing.name === fields.name &&
    existing.email === fields.email &&
    existing.language === fields.language;

  async function change(req: Request, id: string, apply: (existing: UserDoc | null) => PersonFields) {
    const actor = requireRole(req, 'administrator');
    // The answer shows the person's record, an empty change included: on the log before the change is made, as a meeting's change is.
    await recordRead(store, req, actor.userId, { what: 'users' });
    const result = await changePerson(store, { by: actor.userId, id, departments, apply });
    if ('refused' in result) throw refusedChange(result.refused);
    // Deactivated: signed out of the pages at once, and not signed in again should they be active later.
    if (!result.after.active) await pageSessions(store, config.sessions).endAllOf(result.after._id);
    const movedTasks = await moveTasksOf(personOf(result.after), actor);
    await tellWaitingRounds();
    return { ...view(result.after), movedTasks };
  }

  return [
    route({
      id: 'getMe',
      method: 'get',
      path: '/me',
      summary: 'Who I am: user id, roles, department',
      replies: { 200: { description: 'me', schema: meReply } },
      handle: (req, res) => {
        res.json(actorOf(req));
      },
    }),
    route({
      id: 'listUsers',
      method: 'get',
      path: '/users',
      summary: 'People and roles (secretariat, administrator; operators without e-mail addresses)',
      query: userListQuerySchema,
      replies: { 200: { description: 'a page of people, with their total', schema: usersReply } },
      errors: [403],
      handle: async (req, res, input) => {
        const actor = requireRole(req, ...peopleReaders);
        const q = input.query();
        const [total, users] = await Promise.all([
          store.users.countDocuments(),
          store.users
            .find()
            .sort({ _id: 1 })
            .skip((q.page - 1) * q.pageSize)
            .limit(q.pageSize)
            .lean(),
          recordRead(store, req, actor.userId, { what: 'users' }),
        ]);
        const onlyOperator = !hasRole(actor, 'secretariat') && !hasRole(actor, 'administrator');
        res.json({ page: q.page, pageSize: q.pageSize, total, items: users.map(onlyOperator ? withoutAddress : view) });
      },
    }),
    route({
      id: 'addUser',
      method: 'post',
      path: '/users',
      summary: 'Add a person (administrator)',
      body: named('User', userSchema),
      examples: { member: { summary: 'A new council member', value: { id: 'ida.member', name: 'Ida Holm', email: 'ida.holm@example.dk', roles: ['councilMember'] } } },
      replies: { 201: { description: 'created', schema: named('UserChanged', userChangedReply) } },
      errors: [403, 409],
      handle: async (req, res, input) => {
        requireRole(req, 'administrator');
        const { id, ...fields } = input.body();
        checkDepartment(fields);
        const created = await change(req, id, (existing) => {
          // The same addition again (a retry after an outage, the person written but the council's rounds not yet told) stands, and finishes its work.
          if (existing && !asAdded(existing, fields)) throw conflict({ code: 'userExists', userId: id });
          return fields;
        }).catch((err: unknown) => {
          if (isDuplicateKey(err)) throw conflict({ code: 'userExists', userId: id }); // seeded meanwhile
          throw err;
        });
        res.status(201).json(created);
      },
    }),
    route({
      id: 'changeUser',
      method: 'put',
      path: '/users/:id',
      summary:
        "Change a person: roles, department, active (administrator, never one's own: 403 ownRoles; 409 lastHolder when a role the process needs would be left short). Their open tasks that need a role they lost move to its holder now (`movedTasks`)",
      params: idParam,
      body: named('UserUpdate', userUpdateSchema),
      replies: { 200: { description: 'updated, with the tasks moved', schema: named('UserChanged', userChangedReply) } },
      errors: [403, 404, 409],
      handle: async (req, res, input) => {
        requireRole(req, 'administrator');
        const patch = input.body();
        const { id } = input.params();
        const changed = await change(req, id, (existing) => {
          if (!existing) throw notFound('user', id);
          const after: PersonFields = {
            name: patch.name ?? existing.name,
            email: patch.email ?? existing.email,
            roles: patch.roles ?? existing.roles,
            active: patch.active ?? existing.active === true,
            ...((patch.language ?? existing.language) ? { language: patch.language ?? existing.language } : {}),
            ...((patch.department ?? existing.department) ? { department: patch.department ?? existing.department } : {}),
          };
          checkDepartment(after);
          return after;
        });
        res.json(changed);
      },
    }),
    /** Every change of roles, department or standing, newest first: who made it, when, before and after. */
    route({
      id: 'listRoleChanges',
      method: 'get',
      path: '/role-changes',
      summary:
        'Every change of roles, department or standing, and of an e-mail address (`emailChanged`, without the addresses), newest first: who, when, before, after (operator, administrator)',
      query: roleChangesQuerySchema,
      replies: { 200: { description: 'a page of changes', schema: roleChangesReply } },
      errors: [403],
      handle: async (req, res, input) => {
        const reader = requireRole(req, ...changeReaders);
        const q = input.query();
        const [{ items, total }] = await Promise.all([roleChangesPage(store, q), recordRead(store, req, reader.userId, { what: 'roleChanges' })]);
        res.json({
          items: items.map((c) => ({ id: c._id, userId: c.userId, by: c.by, at: c.at, before: c.before ?? null, after: c.after, emailChanged: c.emailChanged ?? false })),
          total,
          page: q.page,
          pageSize: q.pageSize,
        });
      },
    }),
  ];
}
