import { dkkText, radioGroup, str, textArea, textField, type FieldErrors } from '../forms';
import { html } from '../html';
import { dict } from '../../../i18n';
import { filledRows, listRows, oneForm, rowField, type TaskForm } from './form';

/** "12,5" or "12.5" percent as whole basis points (1250); undefined if not a percentage with at most two decimals. */
export function percentToBasisPoints(text: string): number | undefined {
  const m = /^(\d{1,3})(?:[.,](\d{1,2}))?\s*%?$/.exec(text.trim());
  if (!m) return undefined;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return bp >= 1 && bp <= 10000 ? bp : undefined;
}

const perYear = 'savingsShare.perYear';

export const cooperationAgreement: TaskForm = {
  render: (c) => {
    const { lang, values: v, errors } = c;
    const t = dict(lang);
    return oneForm(
      c,
      html`${radioGroup({
        name: 'savingsShare.kind',
        legend: t.agreement.shareLegend,
        value: v['savingsShare.kind'],
        errors,
        options: [
          { value: 'percentage', label: t.agreement.kindPercentage },
          { value: 'amounts', label: t.agreement.kindAmounts },
        ],
      })}
      ${textField({ name: 'savingsShare.percent', label: t.agreement.percentage, hint: t.agreement.percentageHint, value: v['savingsShare.percent'], errors, inputmode: 'decimal', className: 'short' })}
      <fieldset class="rows"><legend>${t.agreement.amountsCaption}</legend>
        ${Array.from(
          { length: listRows },
          (_, i) => html`<div class="row-pair">
          ${textField({ name: `${perYear}.${i}.year`, label: `${t.agreement.yearLabel} (${i + 1})`, value: v[`${perYear}.${i}.year`] ?? String(i + 1), errors, inputmode: 'numeric', className: 'tiny' })}
          ${textField({ name: `${perYear}.${i}.amount`, label: `${t.agreement.amount} (${i + 1})`, value: v[`${perYear}.${i}.amount`], errors, inputmode: 'decimal' })}
        </div>`,
        )}
      </fieldset>
      ${textArea({ name: 'conditions', label: t.agreement.conditions, hint: t.agreement.conditionsHint, value: v.conditions, errors, rows: 5 })}`,
      t.agreement.submit,
    );
  },
  read: (lang, body) => {
    const kind = str(body, 'savingsShare.kind') || undefined;
    const errors: FieldErrors = {};
    const percentage = dict(lang).zod.percentage;
    let savingsShare: Record<string, unknown> = { kind };
    let rowOf: number[] = [];
    if (kind === 'percentage') {
      const basisPoints = percentToBasisPoints(str(body, 'savingsShare.percent'));
      if (basisPoints === undefined) errors['savingsShare.percent'] = percentage;
      savingsShare = { kind, basisPoints: basisPoints ?? 0 };
    } else if (kind === 'amounts') {
      const rows = filledRows(
        listRows,
        (i) => str(body, `${perYear}.${i}.amount`) !== '',
        (i) => {
          const year = str(body, `${perYear}.${i}.year`);
          return { year: /^\d+$/.test(year) ? Number(year) : year, amount: dkkText(lang, str(body, `${perYear}.${i}.amount`)) };
        },
      );
      rowOf = rows.rowOf;
      savingsShare = { kind, perYear: rows.items };
    }
    return {
      input: { savingsShare, conditions: str(body, 'conditions') },
      errors,
      messages: { 'savingsShare.percent': percentage },
      fieldOf: (path) => {
        if (path === 'savingsShare.basisPoints') return 'savingsShare.percent';
        if (path === perYear) return `${perYear}.0.amount`;
        return rowField(perYear, rowOf, path) ?? path;
      },
    };
  },
};
