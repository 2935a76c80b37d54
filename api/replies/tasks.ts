import { z } from 'zod';
import { taskKinds } from '../../domain/tasks';
import { stages } from '../../domain/stages';
import { cancelReason, instant, page } from './common';

export const taskStatuses = ['open', 'completed', 'cancelled', 'expired'] as const;

/** A task as lists and answers show it (api/routes/tasks.ts, taskView). */
export const taskReply = z.looseObject({
  id: z.string(),
  proposalId: z.string().describe("the case's id, the annual report's workflow id, or the meeting's id"),
  kind: z.enum(taskKinds),
  title: z.string().optional(),
  assignee: z.string().nullable().describe("null while it waits in its role's pool"),
  role: z.string().nullable().describe('what whoever answers must hold when they answer'),
  department: z.string().nullable(),
  round: z.int().nullable(),
  dueAt: instant,
  status: z.enum(taskStatuses),
  overdue: z.boolean(),
  openedAt: instant.optional(),
  completedBy: z.string().nullable(),
  completedAt: instant.nullable(),
  cancelReason: cancelReason.optional(),
});

export const taskListReply = page(taskReply);

export const taskDetailReply = taskReply.extend({
  input: z.unknown().describe("the answer as it was sent (DKK), null while open; another member's ballot in an open round is null and `withheld`"),
  withheld: z.literal(true).optional(),
  proposal: z.looseObject({ id: z.string(), title: z.string(), summary: z.string(), stage: z.enum(stages) }).nullable(),
});
