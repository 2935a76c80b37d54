import type { ContractingState } from '../../../domain/contract';
import { checkbox, str } from '../forms';
import { html, type Html } from '../html';
import { facts } from '../layout';
import { dict, formatDate, formatMoney, type Lang } from '../i18n';
import { confirmOrDecline, contextSection, noteField, oneForm, readConfirmation, type TaskForm } from './form';

export type Contract = NonNullable<ContractingState['contract']>;

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

export const investorConfirmation: TaskForm = {
  usesState: true,
  context: ({ lang, state, nameOf }) => {
    const c = state?.contracting;
    const offer = c?.offers.find((o) => o.id === c.selection?.offerId);
    if (!c?.selection || !offer) return '';
    const t = dict(lang).contractForm;
    return contextSection(
      t.offerTitle,
      html`${facts([
        [t.investor, offer.investor],
        [t.committed, formatMoney(lang, offer.amountCommittedOre)],
        [t.expectedReturn, offer.expectedReturnBasisPoints !== undefined ? t.percent(offer.expectedReturnBasisPoints) : undefined],
        [t.repaymentCap, offer.repaymentCapOre !== undefined ? formatMoney(lang, offer.repaymentCapOre) : undefined],
        [t.offers, c.offers.length],
      ])}
      <h3>${t.offerConditions}</h3><p>${offer.conditions}</p>
      <h3>${t.rationale(nameOf(c.selection.by))}</h3><p>${c.selection.rationale}</p>`,
    );
  },
  render: (c) => confirmOrDecline(c, dict(c.lang).contractForm),
  read: (_lang, body) => readConfirmation(body),
};

export const contractSigning: TaskForm = {
  usesState: true,
  context: ({ lang, state, nameOf }) => {
    const contract = state?.contracting?.contract;
    if (!contract) return '';
    const t = dict(lang).contractForm;
    return contextSection(
      t.termsTitle,
      html`${facts([
        [t.provider, contract.provider],
        [t.investor, contract.investor],
        [t.payee, t.payees[contract.payee]],
        [t.totalCap, formatMoney(lang, contract.totalCapOre)],
        [t.startDate, formatDate(lang, contract.startDate)],
        [t.measurementMonths, contract.measurementMonths.join(', ')],
      ])}
      ${rateCardTable(lang, contract)}
      <p>${t.signedBy}: ${contract.signatures.length === 0 ? t.noSignatures : contract.signatures.map((s) => nameOf(s.by)).join(', ')}</p>`,
    );
  },
  render: (c) => {
    const { lang, values: v, errors } = c;
    const t = dict(lang);
    return oneForm(
      c,
      html`${checkbox({ name: 'signed', label: t.contractForm.sign, checked: v.signed === 'yes', errors })}
      ${noteField(c)}`,
      t.contractForm.signSubmit,
    );
  },
  read: (lang, body) => ({
    input: { signed: str(body, 'signed') === 'yes' || undefined, note: str(body, 'note') || undefined },
    messages: { signed: dict(lang).contractForm.mustSign },
  }),
};
