import { z } from 'zod';
import { cancelReason, instant, statePart } from './common';

const reportStatus = z.string().describe('drafting, withCouncil, approved, sent, …');

const councilAnswer = z.looseObject({
  taskId: z.string(),
  member: z.string(),
  status: z.string(),
  dueAt: instant,
  overdue: z.boolean(),
  decision: z.enum(['approve', 'return']).optional(),
  comments: z.string().optional(),
  answeredAt: instant.optional(),
  withheld: z.literal(true).optional(),
  cancelReason: cancelReason.optional().describe('why the task closed without an answer: the council decided, the member left'),
});

export const reportReply = z.looseObject({
  year: z.int(),
  version: z.int().min(1),
  evaluationChangedSince: z
    .literal(true)
    .optional()
    .describe('of a kept version: the evaluation was saved again after it was sent, so what the council got of it is not known (evaluation null)'),
  asOf: z.enum(['current', 'kept', 'notKept']).describe('the report as it stands, a version as the council got it, or a version never kept shown as the report stands'),
  status: reportStatus,
  report: statePart("the year's figures (DKK)"),
  projects: z.array(z.looseObject({})),
  narrative: statePart("the secretariat's text, by whom and when").nullable(),
  evaluation: statePart("the evaluation of the council's work").nullable(),
  missing: z.array(z.string()).describe('what the text still lacks before the council may have it'),
  councilRounds: z.array(z.looseObject({ version: z.int(), answers: z.array(councilAnswer) })),
  markdown: z.string(),
  history: z.array(z.looseObject({ status: z.string(), by: z.string(), at: instant, version: z.int(), comments: z.string().nullable().optional() })),
});

export const reportStartedReply = z.looseObject({ year: z.int(), workflowId: z.string() });
export const narrativeReply = z.looseObject({ narrative: statePart('the text as saved'), missing: z.array(z.string()) });
export const evaluationReply = z.looseObject({ evaluation: z.string() });
export const reportProgressReply = statePart("the report's progress after the step: status and version").extend({ status: reportStatus });
