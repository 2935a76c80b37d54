import type { Request } from 'express';
import type { Proposal } from '../../domain/proposal';
import type { LifecycleState } from '../../domain/lifecycleState';
import { csrfField } from './csrf';
import { dkkText, str, textField, type FieldErrors } from './forms';
import { html, type Html, type Renderable } from './html';
import { dict, type Lang } from '../../i18n';
import { fieldGroup, filledRows, rowField, type Reading, type Values } from './taskForms/form';

export type { Values };

/** The procurement page's view of the case, drawn from the workflow's live state. */
export interface StepContext {
  req: Request;
  lang: Lang;
  state: LifecycleState;
  proposal: Proposal;
  userId: string;
  /** What was posted to this form, when it comes back with errors; otherwise undefined. */
  values?: Values;
  errors: FieldErrors;
  /** Where every form posts: the page itself. */
  action: string;
  thresholds: { lightRegimeOre: number; servicesOre: number };
  minimumTenderMs: number;
  nameOf(userId: string): string;
}

/**
 * One secretariat step (one `action` of the procurement or contracting Update) as a
 * form. Several forms share the page, so each names its fields `<step>.<field>`.
 */
export interface StepForm {
  part: 'procurement' | 'contracting';
  /** Whether the workflow would take this step now, so the page offers only those. */
  offered(state: LifecycleState): boolean;
  render(c: StepContext): Html;
  /** The posted fields as the step's input, without `action`; its paths name the fields without the step's prefix. */
  read(lang: Lang, body: Record<string, unknown>, state: LifecycleState): Reading;
  /** Names for the error summary, for fields whose label only a screen reader sees. */
  labels?(lang: Lang, state: LifecycleState): Record<string, string>;
}

/** A form's field names: `<step>.<field>`, so that two forms never share an id. */
export const named = (step: string) => (field: string) => `${step}.${field}`;

/** Money as typed, or undefined for an empty field, so the schema says it is required. */
export const moneyText = (lang: Lang, text: string) => (text === '' ? undefined : dkkText(lang, text));

/**
 * An organisation's CVR number, which is optional: the secretariat often has it from the bid
 * or the offer, and with it the organisation is one party in the procurement data (OCDS)
 * however its name is spelt. Written as people write it, with spaces ("5513 3018").
 */
export function cvrField(c: Pick<StepContext, 'lang' | 'errors'>, name: string, values: Values): Html {
  const t = dict(c.lang).form;
  return textField({ name, label: t.cvr, hint: t.cvrHint, value: values[name], errors: c.errors, inputmode: 'numeric', className: 'short' });
}

/** The CVR number as typed without its spaces, or undefined for an empty field. */
export const cvrText = (body: Record<string, unknown>, name: string) => str(body, name).replace(/\s+/g, '') || undefined;

/** The frame of a step: its own form and fieldset, the step's name in a hidden field. */
export function stepFrame(c: StepContext, step: string, o: { legend: string; explain?: Renderable; submit: string; secondary?: boolean }, fields: Renderable): Html {
  return html`<form method="post" action="${c.action}" novalidate class="stacked-form step-form">
    ${csrfField(c.req)}<input type="hidden" name="step" value="${step}">
    <fieldset><legend>${o.legend}</legend>
      ${o.explain ? html`<p class="hint">${o.explain}</p>` : ''}
      ${fields}
      <button type="submit"${o.secondary ? html` class="secondary"` : ''}>${o.submit}</button>
    </fieldset>
  </form>`;
}

export interface Column {
  field: string;
  label: string;
  inputmode?: string;
  className?: string;
}

/** A list as rows of fields (`<list>.<row>.<field>`); the person leaves the rows they do not need empty. */
export function rowsGroup(c: StepContext, o: { list: string; legend: string; hint?: string; row: (n: number) => string; rows: number; columns: Column[]; values: Values }): Html {
  const name = (i: number, field: string) => `${o.list}.${i}.${field}`;
  return fieldGroup(
    { name: o.list, legend: o.legend, hint: o.hint, errors: c.errors },
    Array.from(
      { length: o.rows },
      (_, i) => html`<fieldset class="row"><legend>${o.row(i + 1)}</legend><div class="row-pair">
        ${o.columns.map((col) => textField({ name: name(i, col.field), label: col.label, group: o.row(i + 1), value: o.values[name(i, col.field)], errors: c.errors, inputmode: col.inputmode, className: col.className }))}
      </div></fieldset>`,
    ),
  );
}

/** The filled-in rows of a list, and where a zod path into them shows on the form. */
export function readRows<T>(body: Record<string, unknown>, list: string, rows: number, fields: string[], read: (cell: (field: string) => string) => T) {
  const cellOf = (i: number) => (field: string) => str(body, `${list}.${i}.${field}`);
  const { items, rowOf } = filledRows(
    rows,
    (i) => fields.some((f) => cellOf(i)(f) !== ''),
    (i) => read(cellOf(i)),
  );
  return { items, fieldOf: (path: string) => rowField(list, rowOf, path) };
}
