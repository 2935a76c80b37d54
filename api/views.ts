import { z } from 'zod';
import { contractingActionInput } from '../domain/contract';
import { formatDkk } from '../domain/money';
import { procurementActionInput } from '../domain/procurementInput';
import { proposalSchema, type Proposal } from '../domain/proposal';
import { taskInputSchemas, type TaskKind } from '../domain/tasks';

// What the API shows: money as DKK strings, as it takes them, never raw øre.

export function proposalContentView(content: Proposal) {
  return asStored(proposalSchema, content) as z.input<typeof proposalSchema>;
}

export function taskInputView(kind: string, input: unknown) {
  const schema = taskInputSchemas[kind as TaskKind];
  return schema && input ? asStored(schema as z.ZodType, input) : (input ?? null);
}

/** A procurement or contracting step as the timeline recorded it (money in øre), shown as it was sent: in DKK. */
export function stepInputView(type: string, input: unknown) {
  const part = type.split('.')[0];
  const schema = part === 'procurement' ? procurementActionInput : part === 'contracting' ? contractingActionInput : undefined;
  return schema && input ? asStored(schema as z.ZodType, input) : input;
}

/**
 * A stored value in the form the API takes it (money in DKK), by the schema that took it.
 * Encoding checks today's rules, and a record kept before a rule was added or tightened
 * (a longer text, a link now refused, a personal identity number in a comment) fails them:
 * then each part is shown by its own schema, and a part that fails itself as it was
 * stored. An old record is read as it stands, never answered 500.
 */
export function asStored(schema: z.ZodType, value: unknown): unknown {
  const whole = z.safeEncode(schema, value);
  if (whole.success) return whole.data;
  if (value === null || value === undefined) return value;
  if (schema instanceof z.ZodArray) return Array.isArray(value) ? value.map((v) => asStored(schema.element as z.ZodType, v)) : value;
  // Optional, nullable, default, readonly, lazy: the schema they wrap.
  if ('unwrap' in schema && typeof schema.unwrap === 'function') return asStored(schema.unwrap() as z.ZodType, value);
  if (typeof value !== 'object' || Array.isArray(value)) return value;
  const fields = value as Record<string, unknown>;
  if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<string, z.ZodType>;
    return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, k in shape ? asStored(shape[k], v) : v]));
  }
  if (schema instanceof z.ZodRecord) return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, asStored(schema.valueType as z.ZodType, v)]));
  if (schema instanceof z.ZodDiscriminatedUnion) {
    const discriminator = schema.def.discriminator;
    const option = (schema.options as z.ZodType[]).find(
      (o) => o instanceof z.ZodObject && z.safeEncode((o.shape as Record<string, z.ZodType>)[discriminator], fields[discriminator]).success,
    );
    return option ? asStored(option, value) : value;
  }
  return value;
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
