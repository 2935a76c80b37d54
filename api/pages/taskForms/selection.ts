import { mayReadProcurement, procurementFor } from '../../../domain/accessPolicy';
import { radioGroup, str, textArea } from '../forms';
import { html } from '../html';
import { facts } from '../layout';
import { dict, formatMoney } from '../../../i18n';
import { bidsSection, evaluationSection } from '../procurementView';
import { contextSection, oneForm, type FormContext, type TaskForm } from './form';

/** A council member's answer on a recommendation: approve, return with comments, or a conflict of interest. */
function decisionForm(c: FormContext) {
  const { lang, values: v, errors } = c;
  const t = dict(lang).selectionForm;
  return oneForm(
    c,
    html`${radioGroup({
      name: 'decision',
      legend: t.legend,
      value: v.decision,
      errors,
      options: (['approve', 'return', 'conflictOfInterest'] as const).map((d) => ({ value: d, label: t[d] })),
    })}
    ${textArea({ name: 'comments', label: t.comments, hint: t.commentsHint, value: v.comments, errors })}`,
    t.submit,
  );
}

const readDecision = (_lang: unknown, body: Record<string, unknown>) => ({ input: { decision: str(body, 'decision') || undefined, comments: str(body, 'comments') || undefined } });

/** The recommended provider beside the bids and the ranking it rests on, as a council member may read them (the scores stay the secretariat's until the award). */
export const awardDecision: TaskForm = {
  usesState: true,
  context: ({ lang, state, reader, nameOf }) => {
    // As the reader may read them now: a holder who has since left the council sees no bids, as in the API and on the procurement page.
    const p = state?.procurement;
    const r = p?.recommendations.at(-1);
    if (!p || !r || !mayReadProcurement(reader)) return '';
    const t = dict(lang).selectionForm;
    const view = procurementFor(reader, p);
    return contextSection(
      t.recommendationTitle,
      html`${facts([
        [t.supplier, r.supplier],
        [t.price, formatMoney(lang, r.priceOre)],
        [t.reasons, r.reasons],
        [t.rationale, r.rationale ?? (p.procedure === 'directAward' ? p.rationale : undefined)],
        [t.recommendedBy, nameOf(r.by)],
      ])}
      ${p.tender ? html`${bidsSection(lang, view, nameOf)}${evaluationSection(lang, view, nameOf)}` : ''}`,
    );
  },
  render: decisionForm,
  read: readDecision,
};

/** The recommended investor beside every offer and the secretariat's comparison. */
export const investorDecision: TaskForm = {
  usesState: true,
  context: ({ lang, state, reader, nameOf }) => {
    // As the reader may read them now: a holder who has since left the council sees no offers, as in the API.
    const c = state?.contracting;
    if (!c || !mayReadProcurement(reader)) return '';
    const r = c.recommendations.at(-1);
    const offer = c.offers.find((o) => o.id === r?.offerId);
    if (!r || !offer) return '';
    const t = dict(lang).selectionForm;
    const words = dict(lang).contractForm;
    return contextSection(
      t.recommendationTitle,
      html`${facts([
        [words.investor, offer.investor],
        [words.committed, formatMoney(lang, offer.amountCommittedOre)],
        [words.expectedReturn, offer.expectedReturnBasisPoints !== undefined ? words.percent(offer.expectedReturnBasisPoints) : undefined],
        [words.repaymentCap, offer.repaymentCapOre !== undefined ? formatMoney(lang, offer.repaymentCapOre) : undefined],
        [t.recommendedBy, nameOf(r.by)],
      ])}
      <h3>${words.offerConditions}</h3><p>${offer.conditions}</p>
      <h3>${t.comparison}</h3><p>${r.comparison}</p>
      <h3>${t.reasons}</h3><p>${r.rationale}</p>
      <table class="data"><caption>${words.offers}: ${c.offers.length}</caption>
        <thead><tr><th scope="col">${words.investor}</th><th scope="col" class="num">${words.committed}</th><th scope="col" class="num">${words.expectedReturn}</th><th scope="col" class="num">${words.repaymentCap}</th><th scope="col">${words.offerConditions}</th></tr></thead>
        <tbody>${c.offers.map(
          (o) => html`<tr><th scope="row">${o.investor}</th><td class="num">${formatMoney(lang, o.amountCommittedOre)}</td>
            <td class="num">${o.expectedReturnBasisPoints === undefined ? '' : words.percent(o.expectedReturnBasisPoints)}</td>
            <td class="num">${o.repaymentCapOre === undefined ? '' : formatMoney(lang, o.repaymentCapOre)}</td><td>${o.conditions}</td></tr>`,
        )}</tbody>
      </table>`,
    );
  },
  render: decisionForm,
  read: readDecision,
};
