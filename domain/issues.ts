import type { z } from 'zod';
import { render, type Wording } from './codes';

/**
 * The schemas' own rules, as codes with parameters: the API's `errors[]` carries the
 * code, pages translate it from a typed table. zod's own rules (a required field, a
 * number too small) keep zod's codes and words.
 */
export type Issue =
  | { code: 'reasonRequired' }
  | { code: 'withinLaw' }
  | { code: 'withinPriorities' }
  | { code: 'conditionsRequired' }
  | { code: 'sayWhatToChange' }
  | { code: 'userIdFormat' }
  | { code: 'userIdReserved' }
  | { code: 'metricNameOneLine' }
  | { code: 'metricNameReserved' }
  | { code: 'reportYear' }
  | { code: 'dkkAmount' }
  | { code: 'tranchesSum' }
  | { code: 'tranchesOrder' }
  | { code: 'moreThanZero' }
  | { code: 'weightsSum'; sum: number }
  | { code: 'criterionOnce' }
  | { code: 'metricOnce' }
  | { code: 'metricNotApproved'; approved: string[] }
  | { code: 'monthsRising' }
  | { code: 'unknownDepartment'; departments: string[] }
  | { code: 'projectOnce' }
  | { code: 'projectNotInReport' }
  | { code: 'webLink' }
  | { code: 'cvrNumber' }
  | { code: 'closedFundYear'; first: number; last: number }
  | { code: 'meetingAhead' }
  | { code: 'placeOrVideo' }
  | { code: 'cprNumber' }
  | { code: 'controlCharacter' }
  | { code: 'revisionTag' };

/** Codes without parameters can stand as the message of zod's own checks (`.min(1, issue('reasonRequired'))`). */
type PlainCode = { [C in Issue['code']]: keyof Omit<Extract<Issue, { code: C }>, 'code'> extends never ? C : never }[Issue['code']];

export const issueEnglish: Wording<Issue> = {
  reasonRequired: () => 'a reason is required',
  withinLaw: () => 'the decision must lie within administrative and procurement law',
  withinPriorities: () => "the decision must lie within the city council's values and priorities",
  conditionsRequired: () => 'state the conditions for the return of savings',
  sayWhatToChange: () => 'say what to change',
  userIdFormat: () => 'lower-case letters, digits, dot, dash or underscore',
  userIdReserved: () => 'me, anyone and pool are words of the task list, not names for a person',
  metricNameOneLine: () => "a metric's name is one line",
  metricNameReserved: () => 'a word of the programming language, not a name for a metric',
  reportYear: () => "the report's year, in four digits",
  dkkAmount: () => 'must be an amount in DKK with at most two decimals, e.g. "1234567.89"',
  tranchesSum: () => 'the tranches must add up to the amount',
  tranchesOrder: () => 'tranches must be in date order',
  moreThanZero: () => 'must be more than zero',
  weightsSum: (p) => `the weights must sum to 100, not ${p.sum}`,
  criterionOnce: () => 'each criterion once',
  metricOnce: () => 'each metric once: units are reported and paid by its name',
  metricNotApproved: (p) => `must be one of the outcome metrics the council approved: ${p.approved.join('; ')}`,
  monthsRising: () => 'months after start, rising, each once',
  unknownDepartment: (p) => `must be one of ${p.departments.join(', ')}`,
  projectOnce: () => 'each project once',
  projectNotInReport: () => 'the report does not cover this project',
  webLink: () => 'must be a web address starting with https:// or http://',
  cvrNumber: () => 'a CVR number is eight digits, e.g. "55133018"',
  closedFundYear: (p) => (p.first > p.last ? `no year of the fund has closed yet (it began in ${p.first})` : `must be a closed year of the fund, ${p.first} to ${p.last}`),
  meetingAhead: () => 'must lie ahead, and within two years',
  placeOrVideo: () => 'give a place or a video link',
  cprNumber: () => 'holds what looks like a CPR number; the fund records counts of outcomes, never people: leave it out',
  controlCharacter: () => 'holds a control character (such as U+0000); only tab and line breaks may stand in text',
  revisionTag: () => 'must be the revision read (the proposal\'s `revision`) in double quotes, such as "3", or *',
};

export const issueText = (i: Issue): string => render(issueEnglish, i);

/** The message of one of zod's own checks: the code, which `ownIssue` reads back. */
export const issue = (code: PlainCode): string => code;

/** A rule of our own in a refinement: English words for whoever reads zod's message, the code in params. */
export const customIssue = (i: Issue, path: PropertyKey[], input?: unknown) => ({ code: 'custom', path, input, message: issueText(i), params: i }) as const;

/** Our issue in a zod issue, if it is one: from a refinement's params, or a check's message that is a code. */
export function ownIssue(i: z.core.$ZodIssue): Issue | undefined {
  const params = (i as { params?: unknown }).params;
  if (i.code === 'custom' && isIssue(params)) return params;
  if (Object.hasOwn(issueEnglish, i.message)) return { code: i.message } as Issue;
  return undefined;
}

/** Issues that refuse only what the text says (a CPR number), not its form: the request is well-formed, so 422 rather than 400. */
export const onlyCprNumbers = (issues: readonly z.core.$ZodIssue[]): boolean => issues.length > 0 && issues.every((i) => ownIssue(i)?.code === 'cprNumber');

/**
 * Rules across fields, against the case's own state or against the clock: JSON Schema
 * cannot state them, so a body the API document allows may still break one. Such a body
 * is well-formed (422), not malformed (400); a route names those its body has (`rules`).
 */
export const beyondSchema = [
  'weightsSum',
  'criterionOnce',
  'metricOnce',
  'metricNotApproved',
  'monthsRising',
  'tranchesSum',
  'tranchesOrder',
  'moreThanZero',
  'projectOnce',
  'projectNotInReport',
  'meetingAhead',
  'placeOrVideo',
] as const satisfies readonly Issue['code'][];
export type RuleBeyondSchema = (typeof beyondSchema)[number];

const wellFormedRefusals = new Set<string>([...beyondSchema, 'cprNumber']);
/** Whether a body breaks only rules beyond its schema (and perhaps holds a CPR number): well-formed by the document. */
export const onlyBeyondSchema = (issues: readonly z.core.$ZodIssue[]): boolean => issues.length > 0 && issues.every((i) => wellFormedRefusals.has(ownIssue(i)?.code ?? ''));

const isIssue = (x: unknown): x is Issue => typeof x === 'object' && x !== null && Object.hasOwn(issueEnglish, (x as { code?: string }).code ?? '');
