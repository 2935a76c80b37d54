import { earliestDeadline, fourEyesProblem, procedures, proposedProcedure, rankBids, serviceKinds, type ProcurementState } from '../../domain/procurement';
import { withCouncil } from '../../domain/councilSelection';
import type { LifecycleState } from '../../domain/lifecycleState';
import { fieldId, num, radioGroup, selectField, str, textArea, textField } from './forms';
import { attr, html } from './html';
import { dict, formatDateTime, formatDuration, formatMoney, moneyInputValue } from '../../i18n';
import { fromLocalInput, toLocalInput } from '../../domain/localTime';
import { points } from './procurementView';
import { cvrField, cvrText, moneyText, named, readRows, rowsGroup, stepFrame, type StepContext, type StepForm, type Values } from './stepForm';

const criteriaRows = 6;
const documentRows = 3;
const priceRows = 3;

/** Offered while the proposal is in Procurement and the procurement is as `when` asks. */
const inProcurement =
  (when: (p: ProcurementState) => boolean) =>
  (s: LifecycleState): boolean =>
    s.stage === 'Procurement' && !!s.procurement && when(s.procurement);
const windowOpen = (p: ProcurementState) => !!p.tender?.publishedAt && !p.tender.closedAt;
const openComplaints = (p: ProcurementState) => p.complaints.filter((c) => !c.resolution);

/** A form that has been posted shows what was typed; a fresh one what the case already holds. */
const valuesOr = (c: StepContext, fresh: () => Values): Values => c.values ?? fresh();

function documentsGroup(c: StepContext, list: string, v: Values) {
  const t = dict(c.lang).procurement;
  return rowsGroup(c, {
    list,
    legend: t.documents,
    hint: t.documentsHint,
    row: t.documentNumber,
    rows: documentRows,
    columns: [
      { field: 'title', label: t.documentTitle },
      { field: 'url', label: t.documentUrl },
    ],
    values: v,
  });
}

const readDocuments = (body: Record<string, unknown>, list: string) => readRows(body, list, documentRows, ['title', 'url'], (cell) => ({ title: cell('title'), url: cell('url') }));

const f = named('decideProcedure');
const decideProcedure: StepForm = {
  part: 'procurement',
  offered: inProcurement((p) => !p.procedure),
  render: (c) => {
    const t = dict(c.lang).procurement;
    const requested = c.proposal.businessCase?.requestedFromFund;
    const v = valuesOr(c, () => ({
      [f('serviceKind')]: 'social',
      [f('estimatedValue')]: moneyInputValue(c.lang, requested),
      [f('procedure')]: requested === undefined ? '' : proposedProcedure('social', requested, c.thresholds),
    }));
    return stepFrame(
      c,
      'decideProcedure',
      {
        legend: t.decideProcedure,
        explain: t.thresholdsExplain(formatMoney(c.lang, c.thresholds.lightRegimeOre), formatMoney(c.lang, c.thresholds.servicesOre)),
        submit: t.decideSubmit,
      },
      html`${radioGroup({ name: f('serviceKind'), legend: t.serviceKind, value: v[f('serviceKind')], errors: c.errors, options: serviceKinds.map((k) => ({ value: k, label: t.serviceKinds[k] })) })}
      ${textField({ name: f('estimatedValue'), label: t.estimatedValueDkk, hint: dict(c.lang).form.moneyHint, value: v[f('estimatedValue')], errors: c.errors, inputmode: 'decimal', className: 'short' })}
      ${radioGroup({ name: f('procedure'), legend: t.procedure, hint: t.procedureHint, value: v[f('procedure')], errors: c.errors, options: procedures.map((p) => ({ value: p, label: t.procedures[p] })) })}
      ${textArea({ name: f('rationale'), label: t.rationale, hint: t.procedureRationaleHint, value: v[f('rationale')], errors: c.errors })}`,
    );
  },
  read: (lang, body) => ({
    input: {
      serviceKind: str(body, f('serviceKind')) || undefined,
      estimatedValue: moneyText(lang, str(body, f('estimatedValue'))),
      procedure: str(body, f('procedure')) || undefined,
      rationale: str(body, f('rationale')) || undefined,
    },
  }),
};

const g = named('prepareTender');
const prepareTender: StepForm = {
  part: 'procurement',
  offered: inProcurement((p) => !!p.procedure && p.procedure !== 'directAward' && !p.tender?.publishedAt),
  render: (c) => {
    const t = dict(c.lang).procurement;
    const p = c.state.procurement!;
    const tender = p.tender;
    const v = valuesOr(c, () => ({
      [g('title')]: tender?.title ?? c.proposal.title,
      [g('description')]: tender?.description ?? '',
      [g('estimatedValue')]: moneyInputValue(c.lang, tender?.estimatedValueOre ?? p.estimatedValueOre),
      [g('deadline')]: toLocalInput(tender?.deadline),
      ...Object.fromEntries(
        (tender?.awardCriteria ?? []).flatMap((k, i) => [
          [g(`awardCriteria.${i}.name`), k.name],
          [g(`awardCriteria.${i}.weight`), String(k.weight)],
        ]),
      ),
      ...Object.fromEntries(
        (tender?.documents ?? []).flatMap((d, i) => [
          [g(`documents.${i}.title`), d.title],
          [g(`documents.${i}.url`), d.url],
        ]),
      ),
    }));
    const earliest = formatDateTime(c.lang, new Date(earliestDeadline(Date.now(), c.minimumTenderMs)));
    return stepFrame(
      c,
      'prepareTender',
      { legend: tender ? t.changeTender : t.prepareTender, explain: t.prepareExplain, submit: t.prepareSubmit },
      html`${textField({ name: g('title'), label: t.tenderTitle, value: v[g('title')], errors: c.errors })}
      ${textArea({ name: g('description'), label: t.description, value: v[g('description')], errors: c.errors, rows: 5 })}
      ${textField({ name: g('estimatedValue'), label: t.estimatedValueDkk, hint: dict(c.lang).form.moneyHint, value: v[g('estimatedValue')], errors: c.errors, inputmode: 'decimal', className: 'short' })}
      ${textField({ name: g('deadline'), label: t.deadline, hint: t.deadlineHint(formatDuration(c.lang, c.minimumTenderMs), earliest), type: 'datetime-local', value: v[g('deadline')], errors: c.errors, className: 'short' })}
      ${rowsGroup(c, {
        list: g('awardCriteria'),
        legend: t.criteria,
        hint: t.criteriaHint,
        row: t.criterionNumber,
        rows: criteriaRows,
        columns: [
          { field: 'name', label: t.criterion },
          { field: 'weight', label: t.weight, inputmode: 'numeric', className: 'tiny' },
        ],
        values: v,
      })}
      ${documentsGroup(c, g('documents'), v)}`,
    );
  },
  read: (lang, body) => {
    const criteria = readRows(body, g('awardCriteria'), criteriaRows, ['name', 'weight'], (cell) => ({ name: cell('name'), weight: num(lang, cell('weight')) }));
    const documents = readDocuments(body, g('documents'));
    return {
      input: {
        title: str(body, g('title')),
        description: str(body, g('description')),
        documents: documents.items,
        awardCriteria: criteria.items,
        estimatedValue: moneyText(lang, str(body, g('estimatedValue'))),
        deadline: fromLocalInput(str(body, g('deadline'))) || undefined,
      },
      fieldOf: (path) => criteria.fieldOf(g(path)) ?? documents.fieldOf(g(path)) ?? g(path),
    };
  },
};

const publishTender: StepForm = {
  part: 'procurement',
  offered: inProcurement((p) => !!p.tender && !p.tender.publishedAt),
  render: (c) => {
    const t = dict(c.lang).procurement;
    return stepFrame(
      c,
      'publishTender',
      { legend: t.publishTender, explain: t.publishExplain(formatDateTime(c.lang, c.state.procurement!.tender!.deadline)), submit: t.publishSubmit },
      '',
    );
  },
  read: () => ({ input: {} }),
};

const b = named('registerBid');
const registerBid: StepForm = {
  part: 'procurement',
  offered: inProcurement(windowOpen),
  render: (c) => {
    const t = dict(c.lang).procurement;
    const v = valuesOr(c, () => ({}));
    return stepFrame(
      c,
      'registerBid',
      { legend: t.registerBid, explain: t.registerExplain, submit: t.registerSubmit },
      html`${textField({ name: b('bidder'), label: t.bidder, value: v[b('bidder')], errors: c.errors })}
      ${cvrField(c, b('cvr'), v)}
      ${textField({ name: b('price'), label: t.priceDkk, hint: dict(c.lang).form.moneyHint, value: v[b('price')], errors: c.errors, inputmode: 'decimal', className: 'short' })}
      ${rowsGroup(c, {
        list: b('outcomePrices'),
        legend: t.outcomePrices,
        hint: t.outcomePricesHint(c.proposal.outcomes.map((o) => o.metric).join('; ')),
        row: t.outcomePriceNumber,
        rows: priceRows,
        columns: [
          { field: 'metric', label: t.metric },
          { field: 'pricePerUnit', label: t.pricePerUnit, inputmode: 'decimal' },
        ],
        values: v,
      })}
      ${documentsGroup(c, b('documents'), v)}`,
    );
  },
  read: (lang, body) => {
    const prices = readRows(body, b('outcomePrices'), priceRows, ['metric', 'pricePerUnit'], (cell) => ({
      metric: cell('metric'),
      pricePerUnit: moneyText(lang, cell('pricePerUnit')),
    }));
    const documents = readDocuments(body, b('documents'));
    return {
      input: {
        bidder: str(body, b('bidder')),
        cvr: cvrText(body, b('cvr')),
        price: moneyText(lang, str(body, b('price'))),
        outcomePrices: prices.items,
        documents: documents.items,
      },
      fieldOf: (path) => prices.fieldOf(b(path)) ?? documents.fieldOf(b(path)) ?? b(path),
    };
  },
};

/** Every bid on every criterion, in that order: the n-th score is field `evaluate.scores.<n>`. */
function scoreCells(p: ProcurementState) {
  return p.bids.flatMap((bid) => p.tender!.awardCriteria.map((criterion) => ({ bid, criterion })));
}

const e = named('evaluate');
const evaluate: StepForm = {
  part: 'procurement',
  offered: inProcurement((p) => !!p.tender?.closedAt && !p.award && !awardWithCouncil(p) && p.bids.length > 0),
  render: (c) => {
    const t = dict(c.lang).procurement;
    const p = c.state.procurement!;
    const cells = scoreCells(p);
    const mine = p.evaluations.find((ev) => ev.evaluator === c.userId);
    const v = valuesOr(c, () =>
      Object.fromEntries(
        cells.map(({ bid, criterion }, n) => [e(`scores.${n}`), String(mine?.scores.find((s) => s.bidId === bid.id && s.criterion === criterion.name)?.score ?? '')]),
      ),
    );
    const cell = (n: number, label: string) => {
      const name = e(`scores.${n}`);
      const id = fieldId(name);
      const message = c.errors[name];
      return html`<td class="score${message ? ' has-error' : ''}"><label class="visually-hidden" for="${id}">${label}</label>
        ${message ? html`<p class="field-error" id="${id}-error">${message}</p>` : ''}
        <input id="${id}" name="${name}" type="text" inputmode="numeric" value="${v[name] ?? ''}"${message ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}></td>`;
    };
    const criteria = p.tender!.awardCriteria;
    return stepFrame(
      c,
      'evaluate',
      { legend: mine ? t.evaluateAgain : t.evaluate, explain: t.evaluateExplain, submit: t.evaluateSubmit },
      html`${c.errors[e('scores')] ? html`<p class="field-error" id="${fieldId(e('scores'))}">${c.errors[e('scores')]}</p>` : ''}
      <table class="data scores-form"><caption>${t.scoresCaption}</caption>
        <thead><tr><th scope="col">${t.bid}</th>${criteria.map((k) => html`<th scope="col">${k.name} (${k.weight} %)</th>`)}</tr></thead>
        <tbody>${p.bids.map(
          (bid, i) => html`<tr><th scope="row">${bid.bidder}</th>${criteria.map((k, j) => cell(i * criteria.length + j, t.scoreLabel(bid.bidder, k.name)))}</tr>`,
        )}</tbody>
      </table>`,
    );
  },
  read: (lang, body, state) => ({
    input: { scores: scoreCells(state.procurement!).map(({ bid, criterion }, n) => ({ bidId: bid.id, criterion: criterion.name, score: num(lang, str(body, e(`scores.${n}`))) })) },
    fieldOf: (path) => e(path.replace(/^(scores\.\d+)\.score$/, '$1')),
  }),
  labels: (lang, state) =>
    Object.fromEntries(scoreCells(state.procurement!).map(({ bid, criterion }, n) => [e(`scores.${n}`), dict(lang).procurement.scoreLabel(bid.bidder, criterion.name)])),
};

const awardWithCouncil = (p: ProcurementState) => withCouncil(p.recommendations);

const a = named('recommendAward');
const recommendAward: StepForm = {
  part: 'procurement',
  offered: inProcurement(
    (p) =>
      !!p.tender?.closedAt &&
      !p.award &&
      !awardWithCouncil(p) &&
      p.evaluations.length > 0 &&
      !fourEyesProblem(
        p.tender,
        p.evaluations.map((ev) => ev.evaluator),
      ),
  ),
  render: (c) => {
    const t = dict(c.lang).procurement;
    const p = c.state.procurement!;
    const ranking = rankBids(
      p.bids.map((bid) => bid.id),
      p.tender!.awardCriteria,
      p.evaluations,
    );
    const v = valuesOr(c, () => ({ [a('bidId')]: ranking[0].bidId }));
    const options = ranking.map((r) => {
      const bid = p.bids.find((x) => x.id === r.bidId)!;
      return { value: r.bidId, label: t.rankedBid(r.rank, bid.bidder, formatMoney(c.lang, bid.priceOre), points(c.lang, r.total)) };
    });
    return stepFrame(
      c,
      'recommendAward',
      { legend: t.award, explain: t.awardExplain, submit: t.awardSubmit },
      html`${radioGroup({ name: a('bidId'), legend: t.awardTo, value: v[a('bidId')], errors: c.errors, options })}
      ${textArea({ name: a('reasons'), label: t.reasons, hint: t.reasonsHint, value: v[a('reasons')], errors: c.errors })}
      ${textArea({ name: a('rationale'), label: t.rationale, hint: t.awardRationaleHint, value: v[a('rationale')], errors: c.errors })}`,
    );
  },
  read: (_lang, body) => ({ input: { bidId: str(body, a('bidId')), reasons: str(body, a('reasons')), rationale: str(body, a('rationale')) || undefined } }),
};

const d = named('recommendDirectAward');
const recommendDirectAward: StepForm = {
  part: 'procurement',
  offered: inProcurement((p) => p.procedure === 'directAward' && !p.award && !awardWithCouncil(p)),
  render: (c) => {
    const t = dict(c.lang).procurement;
    const v = valuesOr(c, () => ({ [d('price')]: moneyInputValue(c.lang, c.state.procurement!.estimatedValueOre) }));
    return stepFrame(
      c,
      'recommendDirectAward',
      { legend: t.directAward, explain: t.awardExplain, submit: t.directAwardSubmit },
      html`${textField({ name: d('supplier'), label: t.supplier, value: v[d('supplier')], errors: c.errors })}
      ${cvrField(c, d('cvr'), v)}
      ${textField({ name: d('price'), label: t.priceDkk, hint: dict(c.lang).form.moneyHint, value: v[d('price')], errors: c.errors, inputmode: 'decimal', className: 'short' })}
      ${textArea({ name: d('reasons'), label: t.reasons, hint: t.reasonsHint, value: v[d('reasons')], errors: c.errors })}
      ${textArea({ name: d('rationale'), label: t.rationale, hint: t.directAwardHint, value: v[d('rationale')], errors: c.errors })}`,
    );
  },
  read: (lang, body) => ({
    input: {
      supplier: str(body, d('supplier')),
      cvr: cvrText(body, d('cvr')),
      price: moneyText(lang, str(body, d('price'))),
      reasons: str(body, d('reasons')),
      rationale: str(body, d('rationale')),
    },
  }),
};

const k = named('recordComplaint');
const recordComplaint: StepForm = {
  part: 'procurement',
  // After the standstill's end too, while another complaint holds the award: one lodged in time may be recorded late.
  offered: inProcurement((p) => !!p.award?.standstillEndsAt && !p.award.stands),
  render: (c) => {
    const t = dict(c.lang).procurement;
    const v = valuesOr(c, () => ({}));
    return stepFrame(
      c,
      'recordComplaint',
      { legend: t.recordComplaint, explain: t.complaintExplain, submit: t.complaintSubmit },
      html`${textField({ name: k('complainant'), label: t.complainant, value: v[k('complainant')], errors: c.errors })}
      ${textArea({ name: k('summary'), label: t.complaintSummary, value: v[k('summary')], errors: c.errors })}
      ${textField({ name: k('lodgedAt'), label: t.lodgedAt, hint: t.lodgedAtHint(formatDateTime(c.lang, c.state.procurement!.award!.standstillEndsAt)), type: 'datetime-local', value: v[k('lodgedAt')], errors: c.errors, className: 'short' })}`,
    );
  },
  read: (_lang, body) => ({
    input: { complainant: str(body, k('complainant')), summary: str(body, k('summary')), lodgedAt: fromLocalInput(str(body, k('lodgedAt'))) || undefined },
  }),
};

const r = named('resolveComplaint');
const resolveComplaint: StepForm = {
  part: 'procurement',
  offered: inProcurement((p) => openComplaints(p).length > 0),
  render: (c) => {
    const t = dict(c.lang).procurement;
    const open = openComplaints(c.state.procurement!);
    const v = valuesOr(c, () => ({ [r('number')]: String(open[0].number) }));
    return stepFrame(
      c,
      'resolveComplaint',
      { legend: t.resolveComplaint, submit: t.resolveSubmit },
      html`${selectField({ name: r('number'), label: t.complaint, value: v[r('number')], errors: c.errors, options: open.map((o) => ({ value: String(o.number), label: `${o.number}. ${o.complainant}` })) })}
      ${radioGroup({
        name: r('upheld'),
        legend: t.outcome,
        value: v[r('upheld')],
        errors: c.errors,
        options: [
          { value: 'false', label: t.dismissed },
          { value: 'true', label: t.upheld },
        ],
      })}
      ${textArea({ name: r('note'), label: t.resolutionNote, value: v[r('note')], errors: c.errors })}`,
    );
  },
  read: (lang, body) => {
    const upheld = str(body, r('upheld'));
    return { input: { number: num(lang, str(body, r('number'))), upheld: upheld === '' ? undefined : upheld === 'true', note: str(body, r('note')) } };
  },
};

/** A round may end, with a reason, whenever no bid window is open and no award is pending. */
const roundMayEnd = (p: ProcurementState) => !p.award && !awardWithCouncil(p) && !(p.procedure !== 'directAward' && windowOpen(p));

function endOfRound(step: 'retender' | 'cancelTender', offered: (p: ProcurementState) => boolean): StepForm {
  const n = named(step);
  return {
    part: 'procurement',
    offered: inProcurement((p) => roundMayEnd(p) && offered(p)),
    render: (c) => {
      const t = dict(c.lang).procurement;
      const v = valuesOr(c, () => ({}));
      // Rarely wanted, so folded away unless it comes back with an error.
      return html`<details class="rare-action"${attr('open', !!c.values)}><summary>${t[step]}</summary>
        ${stepFrame(c, step, { legend: t[step], explain: t[`${step}Explain`], submit: t[`${step}Submit`], secondary: true }, textArea({ name: n('reason'), label: t.reason, value: v[n('reason')], errors: c.errors }))}
      </details>`;
    },
    read: (_lang, body) => ({ input: { reason: str(body, n('reason')) } }),
  };
}

const retender = endOfRound('retender', (p) => !!p.procedure && p.procedure !== 'directAward');
const cancelTender = endOfRound('cancelTender', () => true);

export const procurementForms: Record<string, StepForm> = {
  decideProcedure,
  prepareTender,
  publishTender,
  registerBid,
  evaluate,
  recommendAward,
  recommendDirectAward,
  recordComplaint,
  resolveComplaint,
  retender,
  cancelTender,
};
