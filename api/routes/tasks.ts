import type { Request } from 'express';
import { idParam, pageNumber } from '../params';
import { caseFilter, typedText } from '../../domain/freeText';
import { z } from 'zod';
import type { Store, TaskDoc } from '../../store';
import type { Proposal } from '../../domain/proposal';
import { taskInputSchemas, type TaskInput, type TaskKind } from '../../domain/tasks';
import { claimTaskUpdate, completeTaskUpdate, releaseTaskUpdate } from '../../workflows/messages';
import { actorOf } from '../auth';
import type { Actor } from '../../domain/people';
import type { LifecycleClient } from '../lifecycle';
import { forbidden, HttpProblem, notFound, parseBody } from '../problem';
import { onlyBeyondSchema } from '../../domain/issues';
import { ballotKinds, mayReadTask, openCouncilRounds, overseesTasks, taskAnswerFor, taskListExclusion } from '../../domain/accessPolicy';
import { openPoolTasks } from '../../store/poolTasks';
import { poolKindsOf } from '../../domain/taskPool';
import { taskInputView } from '../views';
import { recordRead } from '../accessLog';
import { named, route, type AnyRoute } from '../registry';
import { taskDetailReply, taskListReply, taskReply, taskStatuses } from '../replies/tasks';
import { taskExamples } from '../examples';

export function taskView(t: TaskDoc) {
  return {
    id: t._id,
    proposalId: t.proposalId,
    kind: t.kind,
    title: t.title,
    assignee: t.assignee,
    /** What whoever answers must hold when they answer. */
    role: t.role ?? null,
    department: t.department ?? null,
    round: t.round ?? null,
    dueAt: t.dueAt,
    status: t.status,
    overdue: t.overdue ?? false,
    openedAt: t.openedAt,
    completedBy: t.completedBy ?? null,
    completedAt: t.completedAt ?? null,
    ...(t.cancelReason ? { cancelReason: t.cancelReason } : {}),
  };
}

export const taskListQuerySchema = z.strictObject({
  /** A user id, `me`, `anyone`, or `pool`: open tasks nobody holds that my roles may take. */
  assignee: typedText().max(100).default('me'),
  status: z.enum(taskStatuses).optional(),
  proposalId: caseFilter().optional(),
  page: pageNumber,
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** The holder the claimant saw (null: nobody); without it, the holder when the request arrives. */
export const claimSchema = z.strictObject({ from: typedText().min(1).max(100).nullable().optional() });

/** Whether a schema takes the body, or refuses it only by a rule beyond what the document states. */
const wellFormedFor = (schema: z.ZodType, body: unknown) => {
  const r = schema.safeParse(body ?? {});
  return r.success || onlyBeyondSchema(r.error.issues);
};

/**
 * The answer to a task: its own kind decides the body. The document offers every kind's
 * body, so one that answers another kind is well-formed but not this task's (422, naming
 * the kind); one no kind takes is malformed (400, each field named by the task's kind).
 */
function answerFor(kind: TaskKind, body: unknown): TaskInput {
  const own = taskInputSchemas[kind] as z.ZodType<TaskInput>;
  if (!wellFormedFor(own, body) && Object.values(taskInputSchemas).some((other) => other !== own && wellFormedFor(other as z.ZodType, body))) {
    throw new HttpProblem(422, 'Unprocessable content', { code: 'answerOfAnotherKind', kind });
  }
  return parseBody(own, body);
}

export function taskRoutes(store: Store, lifecycle: LifecycleClient): AnyRoute[] {
  const readTask = (id: string) => store.tasks.findById(id).lean().exec();
  /** The task an id names (none: a 404), read as the request comes in. */
  const readAheadTask = async (id: string) => ({ id, task: await readTask(id) });
  /** A task the person may see; read when the request came in (`readAhead`), or now. */
  async function loadVisible(req: Parameters<typeof actorOf>[0], id: string) {
    const ahead = await (req.readAhead as ReturnType<typeof readAheadTask> | undefined);
    // Only for the id it was read for: a route that read ahead for something else reads the task now.
    const task = ahead?.id === id ? ahead.task : await readTask(id);
    if (!task) throw notFound('task', id);
    if (!mayReadTask(actorOf(req), task)) throw forbidden({ code: 'assignedToSomeoneElse' });
    return task;
  }
  const mine = (description: string) => ({ 200: { description, schema: named('Task', taskReply) } });

  type ListQuery = z.infer<typeof taskListQuerySchema>;
  const pageOf = (q: ListQuery) => ({ from: (q.page - 1) * q.pageSize, to: q.page * q.pageSize });

  /** The pool is open tasks only: asked for another status, it has none. */
  async function poolPage(actor: Actor, q: ListQuery) {
    if (q.status && q.status !== 'open') return { total: 0, tasks: [] };
    const pool = await openPoolTasks(store, poolKindsOf(actor), q.proposalId ? { proposalId: q.proposalId } : {});
    const { from, to } = pageOf(q);
    return { total: pool.length, tasks: pool.slice(from, to) };
  }

  async function listPage(req: Request, actor: Actor, q: ListQuery) {
    // Read from what was asked, not from the id it stands for: a person may not be called `anyone`, but one who was would see everyone's.
    const anyone = q.assignee === 'anyone';
    const assignee = q.assignee === 'me' ? actor.userId : q.assignee;
    const others = anyone || assignee !== actor.userId;
    if (others && !overseesTasks(actor)) throw forbidden({ code: 'othersTasks' });
    const filter: Record<string, unknown> = {};
    if (!anyone) filter.assignee = assignee;
    if (q.status) filter.status = q.status;
    if (q.proposalId) filter.proposalId = q.proposalId;
    Object.assign(filter, taskListExclusion(actor));
    // Both read only the tasks the filter matches: its fields are indexed (store/index.ts), and
    // on FerretDB an index serves equalities only, so the page is cut after the sort.
    const [total, tasks] = await Promise.all([
      store.tasks.countDocuments(filter),
      store.tasks.find(filter).sort({ dueAt: 1, _id: 1 }).skip(pageOf(q).from).limit(q.pageSize).lean(),
      // Whose tasks, and who did them, are personal data: a list of other people's is on record, as one task is.
      others ? recordRead(store, req, actor.userId, { what: 'taskList', proposalId: q.proposalId }) : undefined,
    ]);
    return { total, tasks };
  }

  return [
    route({
      id: 'listTasks',
      method: 'get',
      path: '/tasks',
      summary: 'Tasks, by default my own (assignee=me); assignee=pool lists open tasks nobody holds that my roles may take; by due date, paged, with the total',
      query: taskListQuerySchema,
      replies: {
        200: {
          description: 'a page of tasks, soonest due first, with their total',
          schema: taskListReply,
          links: {
            getTask: { operationId: 'getTask', parameters: { id: '$response.body#/items/0/id' }, description: 'read the first task, with its proposal' },
            completeTask: { operationId: 'completeTask', parameters: { id: '$response.body#/items/0/id' }, description: 'answer the first task' },
          },
        },
      },
      errors: [403, 422],
      handle: async (req, res, input) => {
        const actor = actorOf(req);
        const q = input.query();
        const { total, tasks } = q.assignee === 'pool' ? await poolPage(actor, q) : await listPage(req, actor, q);
        res.json({ page: q.page, pageSize: q.pageSize, total, items: tasks.map(taskView) });
      },
    }),
    route({
      id: 'getTask',
      method: 'get',
      path: '/tasks/:id',
      summary: "One task with its proposal; another member's ballot in an open council round has `input: null, withheld: true`",
      params: idParam,
      replies: {
        200: {
          description: 'the task',
          schema: taskDetailReply,
          links: { completeTask: { operationId: 'completeTask', parameters: { id: '$response.body#/id' }, description: 'answer it' } },
        },
      },
      errors: [403, 404],
      readAhead: (input) => readAheadTask(input.params().id),
      handle: async (req, res, input) => {
        const task = await loadVisible(req, input.params().id);
        const [proposal, openVotes] = await Promise.all([
          store.proposals.findById(task.proposalId, { content: 1, stage: 1 }).lean(),
          store.tasks.find({ proposalId: task.proposalId, kind: { $in: [...ballotKinds] }, status: 'open' }, { kind: 1, round: 1, status: 1 }).lean(),
          recordRead(store, req, actorOf(req).userId, { what: 'task', taskId: task._id, proposalId: task.proposalId }),
        ]);
        const content = proposal?.content as Proposal | undefined;
        const answer = taskAnswerFor(actorOf(req), task, openCouncilRounds(openVotes));
        res.json({
          ...taskView(task),
          input: taskInputView(task.kind, answer.input),
          ...(answer.withheld ? { withheld: true } : {}),
          proposal: content ? { id: task.proposalId, title: content.title, summary: content.summary, stage: proposal!.stage } : null,
        });
      },
    }),
    route({
      id: 'completeTask',
      method: 'post',
      path: '/tasks/:id/complete',
      summary: "Complete a task; the body is the TaskInput_<kind> schema of the task (another kind's is 422 answerOfAnotherKind)",
      params: idParam,
      body: Object.entries(taskInputSchemas).map(([kind, schema]) => named(`TaskInput_${kind}`, schema as z.ZodType)),
      examples: taskExamples,
      replies: mine('completed'),
      errors: [403, 404, 409],
      rules: ['answerOfAnotherKind', 'tranchesSum', 'tranchesOrder', 'moreThanZero'],
      readAhead: (input) => readAheadTask(input.params().id),
      handle: async (req, res, input) => {
        const actor = actorOf(req);
        const task = await loadVisible(req, input.params().id);
        const answer = answerFor(task.kind as TaskKind, req.body);
        // The workflow's validator decides: the right person, an open task, the right stage.
        const { completedAt } = await lifecycle.updateTask(task, completeTaskUpdate, { actor, taskId: task._id, input: answer });
        // The Update returns once the answer is on record: the task as it now stands, without
        // reading it again. An Update completed by an earlier version (found again by a retry's
        // Update ID) did not say when: then the record is read.
        const done = completedAt
          ? { ...task, assignee: actor.userId, status: 'completed', completedBy: actor.userId, completedAt: new Date(completedAt) }
          : await store.tasks.findById(task._id).lean();
        res.json(taskView(done!));
      },
    }),
    // Claim and release: the workflow's validators decide who may (the task's pool role, its holder).
    route({
      id: 'claimTask',
      method: 'post',
      path: '/tasks/:id/claim',
      summary: 'Take a pooled task (secretariat case work), from the pool or from a colleague; `from` is the holder you saw',
      params: idParam,
      body: claimSchema,
      replies: mine('the task, now mine'),
      errors: [403, 404, 409],
      readAhead: (input) => readAheadTask(input.params().id),
      handle: async (req, res, input) => {
        const actor = actorOf(req);
        const { from } = input.body();
        const task = await loadVisible(req, input.params().id);
        await lifecycle.updateTask(task, claimTaskUpdate, { actor, taskId: task._id, from: from === undefined ? task.assignee : from });
        res.json(taskView((await store.tasks.findById(task._id).lean())!));
      },
    }),
    route({
      id: 'releaseTask',
      method: 'post',
      path: '/tasks/:id/release',
      summary: 'Hand a pooled task I hold back to the pool; the role is notified',
      params: idParam,
      body: z.strictObject({}),
      replies: mine('the task, unassigned'),
      errors: [403, 404, 409],
      readAhead: (input) => readAheadTask(input.params().id),
      handle: async (req, res, input) => {
        const actor = actorOf(req);
        input.body();
        const task = await loadVisible(req, input.params().id);
        await lifecycle.updateTask(task, releaseTaskUpdate, { actor, taskId: task._id });
        res.json(taskView((await store.tasks.findById(task._id).lean())!));
      },
    }),
  ];
}
