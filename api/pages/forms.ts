import type { z } from 'zod';
import { z as zod } from 'zod';
import { attr, html, type Html, type Renderable } from './html';
import { onlyCprNumbers, ownIssue } from '../../domain/issues';
import { dict, issueWords, type Lang } from '../../i18n';

/** Messages per form field, keyed by the field's name (a dotted path like `outcomes.0.metric`). */
export type FieldErrors = Record<string, string>;

export const fieldId = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** A zod issue in the reader's language; the schemas' own rules are translated by their code. */
export function issueMessage(issue: z.core.$ZodIssue, lang: Lang): string {
  const t = dict(lang).zod;
  const i = issue as z.core.$ZodIssue & { origin?: string; minimum?: number | bigint; maximum?: number | bigint; expected?: string; input?: unknown; format?: string };
  const own = ownIssue(issue);
  if (own) return issueWords(lang, own);
  switch (issue.code) {
    case 'too_small':
      if (i.origin === 'string' && Number(i.minimum) <= 1) return t.required;
      if (i.origin === 'array' && Number(i.minimum) <= 1) return t.atLeastOne;
      return t.min(Number(i.minimum));
    case 'too_big':
      return i.origin === 'string' ? t.tooLong(Number(i.maximum)) : t.max(Number(i.maximum));
    case 'invalid_type':
      if (i.input === undefined || i.input === '') return t.required;
      if (i.expected === 'int') return t.wholeNumber;
      if (i.expected === 'number') return t.number;
      break;
    case 'invalid_union':
    case 'invalid_value':
      return t.choose;
    case 'invalid_format':
      if (i.format === 'url') return t.url;
      break;
  }
  if (lang === 'da') {
    const localized = zod.locales.da().localeError(issue as never);
    if (typeof localized === 'string') return localized;
    if (localized?.message) return localized.message;
  }
  return issue.message;
}

/** First message per field; `fieldOf` maps a zod path to the form field that shows it. */
export function zodFieldErrors(error: z.ZodError, lang: Lang, fieldOf: (path: string) => string = (p) => p): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = fieldOf(issue.path.map(String).join('.'));
    errors[field] ??= issueMessage(issue, lang);
  }
  return errors;
}

/** A form that failed: 422 when it is refused only for a CPR number in it (the API's answer too), else 400. */
export function failedFormStatus(error: z.ZodError | undefined, otherErrors: FieldErrors = {}): 400 | 422 {
  return error && onlyCprNumbers(error.issues) && Object.keys(otherErrors).length === 0 ? 422 : 400;
}

/**
 * The label each field with an error was drawn with, by the form's errors: the summary
 * names the field without every page listing its labels again. So a page draws its form
 * before the summary above it.
 */
const drawnLabels = new WeakMap<FieldErrors, Record<string, string>>();
export function noteLabel(errors: FieldErrors, name: string, label: string, group?: string) {
  if (!errors[name]) return;
  drawnLabels.set(errors, { ...drawnLabels.get(errors), [name]: group ? `${group}, ${lowerFirst(label)}` : label });
}

/** "Beløb (DKK)" after its row's name is "beløb (DKK)"; an abbreviation ("CVR-nummer") keeps its capitals. */
const lowerFirst = (label: string) => (/^\p{Lu}\p{Ll}/u.test(label) ? label.charAt(0).toLocaleLowerCase('da') + label.slice(1) : label);

/** The list at the top of a form that failed: each error links to its field, and names it (`labels` beside those drawn). */
export function errorSummary(lang: Lang, errors: FieldErrors, given: Record<string, string> = {}): Html {
  const entries = Object.entries(errors);
  if (entries.length === 0) return html``;
  const labels = { ...drawnLabels.get(errors), ...given };
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
    <h2 id="error-summary-title">${dict(lang).form.errorSummary}</h2>
    <ul>${entries.map(([field, message]) => html`<li><a href="#${fieldId(field)}">${labels[field] ? `${labels[field]}: ` : ''}${message}</a></li>`)}</ul>
  </div>`;
}

interface FieldOpts {
  name: string;
  label: string;
  value?: string | number;
  errors: FieldErrors;
  /** The row or part of the form the field sits in: fields alike in each row ("Punkt 2", "Rate 3") are told apart in the error summary. */
  group?: string;
  hint?: string;
  required?: boolean;
  type?: string;
  inputmode?: string;
  autocomplete?: string;
  rows?: number;
  className?: string;
}

function describedBy(o: FieldOpts): { describedBy: string; hint: Renderable; error: Renderable; invalid: boolean } {
  const id = fieldId(o.name);
  const message = o.errors[o.name];
  noteLabel(o.errors, o.name, o.label, o.group);
  return {
    describedBy: describedByIds(id, o.hint, message),
    hint: o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : '',
    error: message ? html`<p class="field-error" id="${id}-error">${message}</p>` : '',
    invalid: !!message,
  };
}

/** The ids of a field's hint and error, where it has them, for its aria-describedby. */
export const describedByIds = (id: string, hint: unknown, error: unknown) => [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
export const ariaDescribed = (ids: string) => (ids ? html` aria-describedby="${ids}"` : '');

export function textField(o: FieldOpts): Html {
  const id = fieldId(o.name);
  const d = describedBy(o);
  return html`<div class="field${d.invalid ? ' has-error' : ''}${o.className ? ` ${o.className}` : ''}">
    <label for="${id}">${o.label}</label>${d.hint}${d.error}
    <input id="${id}" name="${o.name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}"${ariaDescribed(d.describedBy)}${attr('aria-invalid="true"', d.invalid)}${attr('required', o.required)}${o.inputmode ? html` inputmode="${o.inputmode}"` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}>
  </div>`;
}

export function textArea(o: FieldOpts): Html {
  const id = fieldId(o.name);
  const d = describedBy(o);
  return html`<div class="field${d.invalid ? ' has-error' : ''}">
    <label for="${id}">${o.label}</label>${d.hint}${d.error}
    <textarea id="${id}" name="${o.name}" rows="${o.rows ?? 4}"${ariaDescribed(d.describedBy)}${attr('aria-invalid="true"', d.invalid)}${attr('required', o.required)}>${o.value ?? ''}</textarea>
  </div>`;
}

export function selectField(o: FieldOpts & { options: { value: string; label: string }[] }): Html {
  const id = fieldId(o.name);
  const d = describedBy(o);
  return html`<div class="field${d.invalid ? ' has-error' : ''}${o.className ? ` ${o.className}` : ''}">
    <label for="${id}">${o.label}</label>${d.hint}${d.error}
    <select id="${id}" name="${o.name}"${ariaDescribed(d.describedBy)}${attr('aria-invalid="true"', d.invalid)}${attr('required', o.required)}>
      ${o.options.map((opt) => html`<option value="${opt.value}"${attr('selected', String(o.value ?? '') === opt.value)}>${opt.label}</option>`)}
    </select>
  </div>`;
}

/** A group of radio buttons in a fieldset with a legend; the error names the group. */
export function radioGroup(o: { name: string; legend: string; value?: string; errors: FieldErrors; options: { value: string; label: string }[]; hint?: string }): Html {
  const id = fieldId(o.name);
  const message = o.errors[o.name];
  noteLabel(o.errors, o.name, o.legend);
  // The hint is read with the group, as a field's is (WCAG 1.3.1): a screen reader reaches it only through aria-describedby.
  return html`<fieldset class="field radios${message ? ' has-error' : ''}" id="${id}"${ariaDescribed(describedByIds(id, o.hint, message))}>
    <legend>${o.legend}</legend>${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
    ${message ? html`<p class="field-error" id="${id}-error">${message}</p>` : ''}
    ${o.options.map(
      (opt, i) =>
        html`<div class="radio"><input type="radio" id="${id}-${i}" name="${o.name}" value="${opt.value}"${attr('checked', o.value === opt.value)}><label for="${id}-${i}">${opt.label}</label></div>`,
    )}
  </fieldset>`;
}

export function checkbox(o: { name: string; label: string; checked?: boolean; errors: FieldErrors }): Html {
  const id = fieldId(o.name);
  const message = o.errors[o.name];
  noteLabel(o.errors, o.name, o.label);
  return html`<div class="field checkbox${message ? ' has-error' : ''}">
    ${message ? html`<p class="field-error" id="${id}-error">${message}</p>` : ''}
    <input type="checkbox" id="${id}" name="${o.name}" value="yes"${attr('checked', o.checked)}${message ? html` aria-describedby="${id}-error" aria-invalid="true"` : ''}><label for="${id}">${o.label}</label>
  </div>`;
}

/** What a form posted, its text fields only, to show again beside the errors. */
export function postedValues(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

/** A form field's text, trimmed; '' when absent. */
export function str(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  return typeof v === 'string' ? v.trim() : '';
}

/**
 * A number as people type it; the text itself when it is not one, so zod names the error.
 * Danish groups thousands with dots and marks decimals with a comma ("1.200", "12,5");
 * English the other way round ("1,200", "12.5"). A mark not followed by groups of three
 * digits can only be a decimal one, so "12,5" and "12.5" are read alike in both.
 */
export function num(lang: Lang, text: string): number | string | undefined {
  if (text === '') return undefined;
  const t = text.replace(/\s/g, '');
  const [group, decimal] = lang === 'da' ? ['.', ','] : [',', '.'];
  const grouped = new RegExp(`^-?\\d{1,3}(\\${group}\\d{3})+(\\${decimal}\\d+)?$`);
  const normal = grouped.test(t) ? t.replaceAll(group, '').replace(decimal, '.') : t.replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(normal) ? Number(normal) : text;
}

/**
 * DKK as people type it into the plain notation the dkk codec reads ("23000000.50").
 * Danish: "23.000.000,50" (dots group by three, a comma is the decimal mark);
 * English: "23,000,000.50". Spaces, and "kr." or "DKK" before or after the amount, are
 * ignored. Anything else, e.g. the plain "23000000.50" or "10kr50", goes as typed and the
 * codec judges it.
 */
export function dkkText(lang: Lang, text: string): string {
  const t = text.replace(/\s/g, '').replace(/^(kr\.?|DKK)|(kr\.?|DKK)$/gi, '');
  if (lang === 'da' && /^\d{1,3}(\.\d{3})*(,\d{1,2})?$/.test(t)) return t.replace(/\./g, '').replace(',', '.');
  if (lang === 'da' && /^\d+,\d{1,2}$/.test(t)) return t.replace(',', '.');
  if (lang === 'en' && /^\d{1,3}(,\d{3})*(\.\d{1,2})?$/.test(t)) return t.replace(/,/g, '');
  return t;
}
