import type { ContractingState } from '../../../domain/contract';
import { checkbox, str, textArea } from '../forms';
import { html, type Html } from '../html';
import { facts } from '../layout';
import { dict, formatDate, formatMoney, type Lang } from '../../../i18n';
import { contextSection, noteField, oneForm, yesOrNo, type TaskForm } from './form';

export type Contract = NonNullable<ContractingState['contract']>;

/** The contract's terms: its parties, cap and dates, and its rate card. */
export function contractTerms(lang: Lang, contract: Contract): Html {
  const t = dict(lang).contractForm;
  return html`${facts([
    [t.provider, contract.provider],
    [t.investor, contract.investor],
    [t.payee, t.payees[contract.payee]],
    [t.totalCap, formatMoney(lang, contract.totalCapOre)],
    [t.startDate, formatDate(lang, contract.startDate)],
    [t.measurementMonths, contract.measurementMonths.join(', ')],
  ])}
  ${rateCardTable(lang, contract)}`;
}

/** Who has signed the contract so far. */
export const signatories = (lang: Lang, contract: Contract, nameOf: (id: string) => string) =>
  contract.signatures.length === 0 ? dict(lang).contractForm.noSignatures : contract.signatures.map((s) => nameOf(s.by)).join(', ');

/** What each metric pays, up to what, and what it aims at. */
export function rateCardTable(lang: Lang, contract: Contract): Html {
  const t = dict(lang).contractForm;
  return html`<table class="data">
    <caption>${t.rateCard}</caption>
    <thead><tr><th scope="col">${t.metric}</th><th scope="col">${t.unit}</th><th scope="col" class="num">${t.pricePerUnit}</th><th scope="col" class="num">${t.targetUnits}</th><th scope="col" class="num">${t.maxPayment}</th></tr></thead>
    <tbody>${contract.rateCard.map(
      (r) =>
        html`<tr><th scope="row">${r.metric}</th><td>${r.unit}</td><td class="num">${formatMoney(lang, r.pricePerUnitOre)}</td><td class="num">${r.targetUnits}</td><td class="num">${formatMoney(lang, r.maxPaymentOre)}</td></tr>`,
    )}</tbody>
  </table>`;
}

export const contractSigning: TaskForm = {
  usesState: true,
  context: ({ lang, state, nameOf }) => {
    const contract = state?.contracting?.contract;
    if (!contract) return '';
    const t = dict(lang).contractForm;
    return contextSection(
      t.termsTitle,
      html`${contractTerms(lang, contract)}
      <p>${t.signedBy}: ${signatories(lang, contract, nameOf)}</p>`,
    );
  },
  render: (c) => {
    const { lang, values: v, errors } = c;
    const t = dict(lang).contractForm;
    const sign = {
      value: 'sign',
      legend: t.signLegend,
      fields: html`${checkbox({ name: 'signed', label: t.sign, checked: v.signed === 'yes', errors })}
        ${noteField(c)}`,
      submit: t.signSubmit,
    };
    // A case whose signing began before a contract could be declined takes signatures only (and its state unknown, both are offered).
    if (c.state?.contracting && !c.state.contracting.declinable) return oneForm(c, sign.fields, sign.submit);
    return yesOrNo(c, 'answer', sign, {
      value: 'decline',
      legend: t.declineLegend,
      explain: t.declineExplain,
      fields: textArea({ name: 'reason', label: t.declineReason, value: v.reason, errors }),
      submit: t.declineSubmit,
    });
  },
  read: (lang, body) =>
    str(body, 'answer') === 'decline'
      ? { input: { signed: false, reason: str(body, 'reason') } }
      : {
          input: { signed: str(body, 'signed') === 'yes' || undefined, note: str(body, 'note') || undefined },
          messages: { signed: dict(lang).contractForm.mustSign },
        },
};
