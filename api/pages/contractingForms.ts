import type { ContractingState } from '../../domain/contract';
import { contractDeclinesExhausted } from '../../domain/contractDeclines';
import { reservationRefusalsExhausted } from '../../domain/ledger';
import { chosenOffer, withCouncil } from '../../domain/councilSelection';
import type { LifecycleState } from '../../domain/lifecycleState';
import { num, radioGroup, str, textArea, textField } from './forms';
import { html } from './html';
import { dict, formatMoney, moneyInputValue } from '../../i18n';
import { cvrField, cvrText, moneyText, named, readRows, rowsGroup, stepFrame, type StepForm } from './stepForm';
import { percentToBasisPoints } from './taskForms/agreement';

const rateCardRows = 4;

/** Offered while the proposal is in Contracting and the contracting is as `when` asks. */
const inContracting =
  (when: (c: ContractingState) => boolean) =>
  (s: LifecycleState): boolean =>
    s.stage === 'Contracting' && !!s.contracting && when(s.contracting);
const investorApproved = (c: ContractingState) => c.recommendations.some((r) => r.council?.result === 'approved');
const investorWithCouncil = (c: ContractingState) => withCouncil(c.recommendations);

const o = named('registerInvestorOffer');
const registerInvestorOffer: StepForm = {
  part: 'contracting',
  offered: inContracting((c) => !investorApproved(c)),
  render: (c) => {
    const t = dict(c.lang).contracting;
    const v = c.values ?? {};
    const money = dict(c.lang).form.moneyHint;
    return stepFrame(
      c,
      'registerInvestorOffer',
      { legend: t.registerOffer, submit: t.registerOfferSubmit },
      html`${textField({ name: o('investor'), label: t.investor, value: v[o('investor')], errors: c.errors })}
      ${cvrField(c, o('cvr'), v)}
      ${textField({ name: o('amountCommitted'), label: t.amountCommitted, hint: money, value: v[o('amountCommitted')], errors: c.errors, inputmode: 'decimal', className: 'short' })}
      ${textField({ name: o('expectedReturn'), label: t.expectedReturn, hint: t.expectedReturnHint, value: v[o('expectedReturn')], errors: c.errors, inputmode: 'decimal', className: 'short' })}
      ${textField({ name: o('repaymentCap'), label: t.repaymentCap, hint: money, value: v[o('repaymentCap')], errors: c.errors, inputmode: 'decimal', className: 'short' })}
      ${textArea({ name: o('conditions'), label: t.conditions, value: v[o('conditions')], errors: c.errors })}`,
    );
  },
  read: (lang, body) => {
    const expected = str(body, o('expectedReturn'));
    const basisPoints = expected === '' ? undefined : percentToBasisPoints(expected);
    return {
      input: {
        investor: str(body, o('investor')),
        cvr: cvrText(body, o('cvr')),
        amountCommitted: moneyText(lang, str(body, o('amountCommitted'))),
        expectedReturnBasisPoints: basisPoints,
        repaymentCap: moneyText(lang, str(body, o('repaymentCap'))),
        conditions: str(body, o('conditions')),
      },
      errors: expected !== '' && basisPoints === undefined ? { [o('expectedReturn')]: dict(lang).zod.percentage } : undefined,
      fieldOf: (path) => o(path === 'expectedReturnBasisPoints' ? 'expectedReturn' : path),
    };
  },
};

const s = named('recommendInvestor');
const recommendInvestor: StepForm = {
  part: 'contracting',
  offered: inContracting((c) => c.offers.length > 0 && !investorWithCouncil(c) && !investorApproved(c)),
  render: (c) => {
    const t = dict(c.lang).contracting;
    const offers = c.state.contracting!.offers;
    const v = c.values ?? { [s('offerId')]: offers.length === 1 ? offers[0].id : '' };
    return stepFrame(
      c,
      'recommendInvestor',
      { legend: t.selectInvestor, explain: t.selectExplain, submit: t.selectSubmit },
      html`${radioGroup({
        name: s('offerId'),
        legend: t.offer,
        value: v[s('offerId')],
        errors: c.errors,
        options: offers.map((x) => ({ value: x.id, label: t.offerLabel(x.investor, formatMoney(c.lang, x.amountCommittedOre)) })),
      })}
      ${textArea({ name: s('comparison'), label: t.comparison, value: v[s('comparison')], errors: c.errors })}
      ${textArea({ name: s('rationale'), label: t.rationale, value: v[s('rationale')], errors: c.errors })}`,
    );
  },
  read: (_lang, body) => ({ input: { offerId: str(body, s('offerId')), comparison: str(body, s('comparison')), rationale: str(body, s('rationale')) } }),
};

const p = named('proposeContract');
const proposeContract: StepForm = {
  part: 'contracting',
  offered: inContracting((c) => investorApproved(c) && !c.contract && !reservationRefusalsExhausted(c.refusedByFund) && !contractDeclinesExhausted(c.declines)),
  render: (c) => {
    const t = dict(c.lang).contracting;
    const words = dict(c.lang).contractForm;
    // Paid to the investor (the default), the cap is also bounded by the repayment cap of the offer the council chose.
    const chosen = c.state.contracting && chosenOffer(c.state.contracting);
    const cap = Math.min(c.state.procurement?.award?.priceOre ?? Infinity, chosen?.repaymentCapOre ?? Infinity);
    const v = c.values ?? { [p('totalCap')]: moneyInputValue(c.lang, Number.isFinite(cap) ? cap : undefined), [p('payee')]: 'investor' };
    return stepFrame(
      c,
      'proposeContract',
      { legend: t.proposeContract, explain: t.proposeExplain, submit: t.proposeSubmit },
      html`${textField({ name: p('startDate'), label: words.startDate, type: 'date', value: v[p('startDate')], errors: c.errors, className: 'short' })}
      ${textField({ name: p('measurementMonths'), label: words.measurementMonths, hint: dict(c.lang).form.measuredAtHint, value: v[p('measurementMonths')], errors: c.errors })}
      ${rowsGroup(c, {
        list: p('rateCard'),
        legend: words.rateCard,
        hint: t.rateCardHint(c.proposal.outcomes.map((o) => o.metric).join('; ')),
        row: t.rateNumber,
        rows: rateCardRows,
        columns: [
          { field: 'metric', label: words.metric },
          { field: 'unit', label: words.unit },
          { field: 'pricePerUnit', label: words.pricePerUnit, inputmode: 'decimal' },
          { field: 'targetUnits', label: words.targetUnits, inputmode: 'numeric' },
          { field: 'maxPayment', label: words.maxPayment, inputmode: 'decimal' },
        ],
        values: v,
      })}
      ${textField({ name: p('totalCap'), label: words.totalCap, hint: t.totalCapHint, value: v[p('totalCap')], errors: c.errors, inputmode: 'decimal', className: 'short' })}
      ${radioGroup({
        name: p('payee'),
        legend: words.payee,
        value: v[p('payee')],
        errors: c.errors,
        options: (['investor', 'provider'] as const).map((x) => ({ value: x, label: words.payees[x] })),
      })}`,
    );
  },
  read: (lang, body) => {
    const rates = readRows(body, p('rateCard'), rateCardRows, ['metric', 'unit', 'pricePerUnit', 'targetUnits', 'maxPayment'], (cell) => ({
      metric: cell('metric'),
      unit: cell('unit'),
      pricePerUnit: moneyText(lang, cell('pricePerUnit')),
      targetUnits: num(lang, cell('targetUnits')),
      maxPayment: moneyText(lang, cell('maxPayment')),
    }));
    return {
      input: {
        startDate: str(body, p('startDate')) || undefined,
        measurementMonths: str(body, p('measurementMonths'))
          .split(/[,;\s]+/)
          .filter(Boolean)
          .map((m) => num(lang, m)),
        rateCard: rates.items,
        totalCap: moneyText(lang, str(body, p('totalCap'))),
        payee: str(body, p('payee')) || undefined,
      },
      fieldOf: (path) => rates.fieldOf(p(path)) ?? p(path.replace(/^measurementMonths\.\d+$/, 'measurementMonths')),
    };
  },
};

export const contractingForms: Record<string, StepForm> = { registerInvestorOffer, recommendInvestor, proposeContract };
