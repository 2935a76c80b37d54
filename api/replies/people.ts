import { z } from 'zod';
import { languages, roles } from '../../domain/people';
import { instant, page } from './common';

export const meReply = z.looseObject({ userId: z.string(), roles: z.array(z.enum(roles)), department: z.string().optional() });

export const userReply = z.looseObject({
  id: z.string(),
  name: z.string(),
  email: z.string().optional().describe('not shown to operators'),
  roles: z.array(z.enum(roles)),
  department: z.string().nullable(),
  language: z.enum(languages),
  active: z.boolean(),
});
export const usersReply = page(userReply);

export const userChangedReply = userReply.extend({
  movedTasks: z
    .array(z.looseObject({ taskId: z.string(), assignee: z.string().nullable() }))
    .describe('open tasks that needed a role they lost, and who holds them now: null for a task back in its pool, or closed where nobody could take it over'),
});

const standing = z.looseObject({ roles: z.array(z.string()), department: z.string().nullable(), active: z.boolean() });
export const roleChangesReply = page(
  z.looseObject({
    id: z.string(),
    userId: z.string(),
    by: z.string(),
    at: instant,
    before: standing.nullable(),
    after: standing,
    emailChanged: z.boolean().describe('the e-mail address changed (by which the Temporal UI knows an operator); the addresses are not kept'),
  }),
);
