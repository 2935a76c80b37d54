import { z } from 'zod';
import { contractingActionInput } from '../domain/contract';
import { formatDkk } from '../domain/money';
import { procurementActionInput } from '../domain/procurementInput';
import { proposalSchema, type Proposal } from '../domain/proposal';
import { taskInputSchemas, type TaskKind } from '../domain/tasks';

// What the API shows: money as DKK strings, as it takes them, never raw øre.

export function proposalContentView(content: Proposal) {
  return z.encode(proposalSchema, content);
}

export function taskInputView(kind: string, input: unknown) {
  const schema = taskInputSchemas[kind as TaskKind];
  return schema && input ? z.encode(schema as z.ZodType, input) : (input ?? null);
}

/** A procurement or contracting step as the timeline recorded it (money in øre), shown as it was sent: in DKK. */
export function stepInputView(type: string, input: unknown) {
  const part = type.split('.')[0];
  const schema = part === 'procurement' ? procurementActionInput : part === 'contracting' ? contractingActionInput : undefined;
  return schema && input ? z.encode(schema as z.ZodType, input) : input;
}

/** Fields named `…Ore` become DKK under the name without the suffix. */
export function oreFieldsAsDkk(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(oreFieldsAsDkk);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => {
      if (key.endsWith('Ore') && typeof v === 'number') return [key.slice(0, -3), formatDkk(v)];
      if (key.endsWith('Ore') && v && typeof v === 'object') {
        return [key.slice(0, -3), Object.fromEntries(Object.entries(v).map(([k, n]) => [k, formatDkk(n as number)]))];
      }
      return [key, oreFieldsAsDkk(v)];
    }),
  );
}

export function decisionPaperView(paper: { proposal: Proposal } & Record<string, unknown>) {
  const { proposal, ...rest } = paper;
  return { ...(oreFieldsAsDkk(rest) as object), proposal: proposalContentView(proposal) };
}
