import type { GrantState } from '../../../domain/grant';
import { dkkText, str, textArea, textField } from '../forms';
import { html, type Html } from '../html';
import { facts } from '../layout';
import { dict, formatDate, formatMoney, moneyInputValue, type Lang } from '../../../i18n';
import { confirmOrDecline, contextSection, fieldGroup, filledRows, listRows, oneForm, readConfirmation, rowField, type TaskForm } from './form';

const tranches = 'tranches';

/** The grant's tranches, their conditions and how far each has come. */
function tranchesTable(lang: Lang, grant: GrantState): Html {
  const t = dict(lang).grantForm;
  return html`<table class="data">
    <caption>${t.tranchesCaption}</caption>
    <thead><tr><th scope="col">${t.tranche}</th><th scope="col">${t.dueDate}</th><th scope="col" class="num">${t.amount}</th><th scope="col">${t.condition}</th><th scope="col">${t.status}</th></tr></thead>
    <tbody>${grant.tranches.map(
      (r, i) =>
        html`<tr><th scope="row">${i + 1}</th><td>${formatDate(lang, r.dueDate)}</td><td class="num">${formatMoney(lang, r.amountOre)}</td><td>${r.condition}</td><td>${t.statuses[r.status]}</td></tr>`,
    )}</tbody>
  </table>`;
}

export const grantAgreement: TaskForm = {
  context: ({ lang, proposal }) => {
    const approved = proposal?.businessCase?.requestedFromFund;
    if (approved === undefined) return '';
    const t = dict(lang).grantForm;
    return contextSection(t.approvedTitle, html`${facts([[t.approved, formatMoney(lang, approved)]])}<p>${t.approvedExplain}</p>`);
  },
  render: (c) => {
    const { lang, values: v, errors, proposal } = c;
    const t = dict(lang).grantForm;
    const row = (i: number, field: string) => `${tranches}.${i}.${field}`;
    return oneForm(
      c,
      html`${textField({ name: 'grantee', label: t.grantee, value: v.grantee, errors })}
      ${textField({ name: 'amount', label: t.amountDkk, hint: t.amountHint, value: v.amount ?? moneyInputValue(lang, proposal?.businessCase?.requestedFromFund), errors, inputmode: 'decimal', className: 'short' })}
      ${fieldGroup(
        { name: tranches, legend: t.tranchesLegend, hint: t.tranchesHint, errors },
        Array.from(
          { length: listRows },
          (_, i) => html`<fieldset class="row"><legend>${t.trancheNumber(i + 1)}</legend>
            <div class="row-pair">
              ${textField({ name: row(i, 'dueDate'), label: t.dueDate, group: t.trancheNumber(i + 1), type: 'date', value: v[row(i, 'dueDate')], errors, className: 'short' })}
              ${textField({ name: row(i, 'amount'), label: t.amountDkk, group: t.trancheNumber(i + 1), value: v[row(i, 'amount')], errors, inputmode: 'decimal' })}
            </div>
            ${textField({ name: row(i, 'condition'), label: t.condition, group: t.trancheNumber(i + 1), value: v[row(i, 'condition')], errors })}
          </fieldset>`,
        ),
      )}
      ${textArea({ name: 'conditions', label: t.conditions, hint: t.conditionsHint, value: v.conditions, errors, rows: 5 })}`,
      t.agreeSubmit,
    );
  },
  read: (lang, body) => {
    const cell = (i: number, field: string) => str(body, `${tranches}.${i}.${field}`);
    const { items, rowOf } = filledRows(
      listRows,
      (i) => ['dueDate', 'amount', 'condition'].some((f) => cell(i, f) !== ''),
      (i) => ({ dueDate: cell(i, 'dueDate') || undefined, amount: dkkText(lang, cell(i, 'amount')), condition: cell(i, 'condition') }),
    );
    return {
      input: { grantee: str(body, 'grantee'), amount: dkkText(lang, str(body, 'amount')), tranches: items, conditions: str(body, 'conditions') },
      fieldOf: (path) => rowField(tranches, rowOf, path) ?? path,
    };
  },
};

export const trancheConfirmation: TaskForm = {
  usesState: true,
  context: ({ lang, state }) => {
    const grant = state?.grant;
    const i = grant?.tranches.findIndex((r) => r.status === 'due') ?? -1;
    if (!grant || i < 0) return '';
    const t = dict(lang).grantForm;
    const due = grant.tranches[i];
    return contextSection(
      t.trancheOf(i + 1, grant.tranches.length),
      html`${facts([
        [t.grantee, grant.grantee],
        [t.amount, formatMoney(lang, due.amountOre)],
        [t.dueDate, formatDate(lang, due.dueDate)],
      ])}
      <p><strong>${t.condition}:</strong> ${due.condition}</p>
      ${tranchesTable(lang, grant)}`,
    );
  },
  render: (c) => confirmOrDecline(c, dict(c.lang).grantForm),
  read: (_lang, body) => readConfirmation(body),
};

export const grantFinalReport: TaskForm = {
  showsResults: true,
  render: (c) => {
    const { lang, values: v, errors } = c;
    const t = dict(lang).grantForm;
    return oneForm(
      c,
      html`${textArea({ name: 'summary', label: t.summary, hint: t.summaryHint, value: v.summary, errors, rows: 5 })}
      ${textArea({ name: 'resultsAchieved', label: t.resultsAchieved, hint: t.resultsHint, value: v.resultsAchieved, errors, rows: 5 })}
      ${textArea({ name: 'documents', label: t.documents, hint: t.documentsHint, value: v.documents, errors, rows: 3 })}`,
      t.reportSubmit,
    );
  },
  read: (_lang, body) => ({
    input: {
      summary: str(body, 'summary'),
      resultsAchieved: str(body, 'resultsAchieved'),
      documents: str(body, 'documents')
        .split(/\s*\n\s*/)
        .filter(Boolean),
    },
    fieldOf: (path) => (path.startsWith('documents') ? 'documents' : path),
  }),
};
