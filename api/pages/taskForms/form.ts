import type { Request } from 'express';
import type { ReportDoc, StoppedByOperator, TaskDoc } from '../../../store';
import type { Proposal } from '../../../domain/proposal';
import type { Meeting } from '../../../domain/meeting';
import type { LifecycleState } from '../../../domain/lifecycleState';
import type { Actor } from '../../../domain/people';
import { csrfField } from '../csrf';
import { ariaDescribed, describedByIds, fieldId, noteLabel, str, textArea, type FieldErrors } from '../forms';
import { html, type Html, type Renderable } from '../html';
import { dict, type Lang } from '../../../i18n';

export type Values = Record<string, string>;

/** What a task's form and its context are drawn from. */
export interface FormContext {
  req: Request;
  lang: Lang;
  /** Who reads the page: what of the case they may see (domain/accessPolicy.ts). */
  reader: Actor;
  /** What was posted, when the form comes back with errors. */
  values: Values;
  errors: FieldErrors;
  /** Where the form posts: the task page itself. */
  action: string;
  proposal?: Proposal;
  /** The workflow's live state; only loaded for forms that ask for it, and absent if the query fails. */
  state?: LifecycleState;
  /** What the fund held for the case when an operator stopped its workflow. */
  stopped?: StoppedByOperator;
  /** The annual report a council member's task is about. */
  report?: ReportDoc;
  /** The meeting whose minutes the chair's task is about. */
  meeting?: Meeting;
  /** The proposal's completed tasks, oldest first. */
  answered: TaskDoc[];
  nameOf(userId: string): string;
}

/** The posted fields as the task's input, before the task's schema judges it. */
export interface Reading {
  input: unknown;
  /** What the schema cannot say, e.g. a percentage that is not one. */
  errors?: FieldErrors;
  /** Where a zod path of the input shows on the form; the path itself by default. */
  fieldOf?: (path: string) => string;
  /** Plainer words than zod's for a field that fails. */
  messages?: FieldErrors;
}

/** One kind of task's answer on the task page. */
export interface TaskForm {
  /** The form needs the workflow's state (the grant, the contract, the measurements). */
  usesState?: boolean;
  /** The contract's or grant's results so far stand on the page while the task is open (resultsSection.ts). */
  showsResults?: boolean;
  /** What the person needs in front of them to answer; shown beside the proposal while the task is open. */
  context?(c: FormContext): Renderable;
  render(c: FormContext): Html;
  read(lang: Lang, body: Record<string, unknown>): Reading;
}

/** The task's context as a section of the page, under a heading of its own. */
export function contextSection(title: string, body: Renderable): Html {
  return html`<section aria-labelledby="context-title"><h2 id="context-title">${title}</h2>${body}</section>`;
}

interface Choice {
  value: string;
  legend: string;
  explain?: string;
  fields: Renderable;
  submit: string;
}

/**
 * Two forms for one answer: do it, or decline and say why. A hidden field tells
 * them apart, so each form carries only its own fields.
 */
export function yesOrNo(c: FormContext, field: string, yes: Choice, no: Choice): Html {
  const form = (choice: Choice, buttonClass: string) => html`<form method="post" action="${c.action}" novalidate class="stacked-form">
    ${csrfField(c.req)}<input type="hidden" name="${field}" value="${choice.value}">
    <fieldset><legend>${choice.legend}</legend>
      ${choice.explain ? html`<p class="hint">${choice.explain}</p>` : ''}
      ${choice.fields}
      <button type="submit"${buttonClass ? html` class="${buttonClass}"` : ''}>${choice.submit}</button>
    </fieldset>
  </form>`;
  return html`${form(yes, '')}${form(no, 'secondary')}`;
}

/** Approve, or return saying what to change: the two answers of a `decision`, each its own form. */
export function approveOrReturn(c: FormContext, approve: Omit<Choice, 'value'>, giveBack: Omit<Choice, 'value'>): Html {
  return yesOrNo(c, 'decision', { value: 'approve', ...approve }, { value: 'return', ...giveBack });
}

/** A form of one answer: the fields, then the button that sends it. */
export function oneForm(c: FormContext, fields: Renderable, submit: string): Html {
  return html`<form method="post" action="${c.action}" novalidate>
    ${csrfField(c.req)}
    ${fields}
    <button type="submit">${submit}</button>
  </form>`;
}

/** An optional note that goes on the record with the answer. */
export function noteField(c: FormContext): Html {
  const t = dict(c.lang);
  return textArea({ name: 'note', label: t.attest.note, hint: t.vote.commentHint, value: c.values.note, errors: c.errors });
}

/** The side of a two-way answer that needs no more than an optional note. */
export function withNote(c: FormContext, legend: string, submit: string): Choice {
  return { value: 'true', legend, fields: noteField(c), submit };
}

/** Confirm with an optional note, or decline with a reason: how a tranche's condition is answered. */
export function confirmOrDecline(
  c: FormContext,
  words: { confirmLegend: string; confirmSubmit: string; declineLegend: string; declineExplain: string; declineSubmit: string },
): Html {
  const t = dict(c.lang);
  const { values: v, errors } = c;
  return yesOrNo(c, 'confirmed', withNote(c, words.confirmLegend, words.confirmSubmit), {
    value: 'false',
    legend: words.declineLegend,
    explain: words.declineExplain,
    fields: textArea({ name: 'reason', label: t.attest.reason, value: v.reason, errors }),
    submit: words.declineSubmit,
  });
}

export function readConfirmation(body: Record<string, unknown>): Reading {
  return { input: str(body, 'confirmed') === 'true' ? { confirmed: true, note: str(body, 'note') || undefined } : { confirmed: false, reason: str(body, 'reason') } };
}

/** A group of fields (a list's rows) in a fieldset, which shows and names the error of the list as a whole. */
export function fieldGroup(o: { name: string; legend: string; hint?: string; errors: FieldErrors }, fields: Renderable): Html {
  const id = fieldId(o.name);
  const message = o.errors[o.name];
  noteLabel(o.errors, o.name, o.legend);
  return html`<fieldset class="rows${message ? ' has-error' : ''}" id="${id}"${ariaDescribed(describedByIds(id, o.hint, message))}>
    <legend>${o.legend}</legend>${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
    ${message ? html`<p class="field-error" id="${id}-error">${message}</p>` : ''}
    ${fields}
  </fieldset>`;
}

/** Rows the form shows for a list; the person leaves the ones they do not need empty. */
export const listRows = 6;

/**
 * The filled-in rows of a list and where each came from on the form, so an error
 * in the third item shows at the row the person typed it in.
 */
export function filledRows<T>(count: number, isFilled: (i: number) => boolean, read: (i: number) => T): { items: T[]; rowOf: number[] } {
  const items: T[] = [];
  const rowOf: number[] = [];
  for (let i = 0; i < count; i++) {
    if (!isFilled(i)) continue;
    rowOf.push(i);
    items.push(read(i));
  }
  return { items, rowOf };
}

/** Maps `list.<item>.<field>` of the input to `list.<row>.<field>` of the form. */
export function rowField(list: string, rowOf: number[], path: string): string | undefined {
  const m = new RegExp(`^${list.replace(/\./g, '\\.')}\\.(\\d+)\\.(\\w+)$`).exec(path);
  return m ? `${list}.${rowOf[Number(m[1])] ?? 0}.${m[2]}` : undefined;
}
