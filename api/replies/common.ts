import { z } from 'zod';

// What the API answers, described by these schemas: the OpenAPI document's response
// schemas are generated from them, and the end-to-end tests hold every answer to them.
// Objects are open to fields added later (a client ignores what it does not know);
// every field named is required unless marked optional, so a field renamed fails.

/** DKK as the API writes it: two decimals, no separators. */
export const dkkText = z
  .string()
  .regex(/^-?\d+\.\d{2}$/)
  .describe('DKK, two decimals');
/** An instant as JSON writes a date: ISO 8601 in UTC. */
export const instant = z.iso.datetime({ offset: true });
export const calendarDate = z.iso.date();

/** Another part of the state, as the pages show it too; its shape belongs to the workflow (domain/lifecycleState.ts). */
export const statePart = (description: string) => z.looseObject({}).describe(description);

/** A page of a list, with how many there are in all. */
export const page = <T extends z.ZodType>(item: T) => z.looseObject({ page: z.int().min(1), pageSize: z.int().min(1), total: z.int().min(0), items: z.array(item) });

/** A list answered whole. */
export const list = <T extends z.ZodType>(item: T) => z.looseObject({ items: z.array(item) });

/** Why a task was closed without an answer: a code with its parameters (older tasks hold English text). */
export const cancelReason = z.union([z.string(), z.looseObject({ code: z.string() })]);
