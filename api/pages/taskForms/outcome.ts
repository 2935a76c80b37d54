import { savingsShareThrough, type MeasurementState } from '../../../domain/payout';
import type { TaskInput } from '../../../domain/tasks';
import type { LifecycleState } from '../../../domain/lifecycleState';
import { dkkText, num, str, textArea, textField } from '../forms';
import { html, type Html } from '../html';
import { facts } from '../layout';
import { dict, formatDate, formatMoney, type Lang } from '../../../i18n';
import { rateCardTable, type Contract } from './contract';
import { contextSection, noteField, oneForm, withNote, yesOrNo, type FormContext, type TaskForm } from './form';

/** The measurement point now being settled: the last one the workflow opened. */
const currentPoint = (state?: LifecycleState): MeasurementState | undefined => state?.implementation?.measurements.at(-1);

function pointFacts(lang: Lang, contract: Contract, point: MeasurementState): Html {
  const t = dict(lang).outcomeForm;
  return facts([
    [t.point, t.months(point.months)],
    [t.due, formatDate(lang, point.dueAt)],
    [t.of, contract.measurementMonths.map((m) => t.months(m)).join(', ')],
  ]);
}

/** The contract's rate card at the point being measured. */
function rateCardContext({ lang, state }: FormContext): Html | '' {
  const contract = state?.contracting?.contract;
  const point = currentPoint(state);
  if (!contract || !point) return '';
  return contextSection(dict(lang).outcomeForm.pointTitle(point.months), html`${pointFacts(lang, contract, point)}${rateCardTable(lang, contract)}`);
}

/** The secretariat's latest outcome report: what the department verifies. */
function lastReport(answered: FormContext['answered']): TaskInput<'outcomeReport'> | undefined {
  return answered.filter((a) => a.kind === 'outcomeReport').at(-1)?.input as TaskInput<'outcomeReport'> | undefined;
}

/** A metric's name travels in a hidden field, so what is posted names exactly the rate card's metrics. */
function metricRows(contract: Contract, list: string, field: (i: number, r: Contract['rateCard'][number]) => Html): Html[] {
  return contract.rateCard.map((r, i) => html`<input type="hidden" name="${list}.${i}.metric" value="${r.metric}">${field(i, r)}`);
}

/** The posted rows of a metric list, as many as the form had metrics. */
function readMetricRows<T>(body: Record<string, unknown>, list: string, read: (i: number, metric: string) => T): T[] {
  const rows: T[] = [];
  for (let i = 0; str(body, `${list}.${i}.metric`) !== ''; i++) rows.push(read(i, str(body, `${list}.${i}.metric`)));
  return rows;
}

const whole = (lang: Lang, text: string) => (text === '' ? undefined : num(lang, text));

export const outcomeReport: TaskForm = {
  usesState: true,
  context: rateCardContext,
  render: (c) => {
    const { lang, values: v, errors, state } = c;
    const t = dict(lang).outcomeForm;
    const contract = state?.contracting?.contract;
    if (!contract) return html`<p>${t.noContract}</p>`;
    return oneForm(
      c,
      html`${metricRows(
        contract,
        'results',
        (i, r) => html`<fieldset class="row"><legend>${r.metric}</legend>
          ${textField({ name: `results.${i}.unitsAchieved`, label: t.unitsAchieved(r.unit), group: r.metric, hint: t.target(r.targetUnits), value: v[`results.${i}.unitsAchieved`], errors, inputmode: 'numeric', className: 'short' })}
          ${textArea({ name: `results.${i}.evidence`, label: t.evidence, group: r.metric, hint: t.evidenceHint, value: v[`results.${i}.evidence`], errors, rows: 2 })}
        </fieldset>`,
      )}`,
      t.reportSubmit,
    );
  },
  read: (lang, body) => ({
    input: {
      results: readMetricRows(body, 'results', (i, metric) => ({
        metric,
        unitsAchieved: whole(lang, str(body, `results.${i}.unitsAchieved`)),
        evidence: str(body, `results.${i}.evidence`),
      })),
    },
    fieldOf: (path) => (path === 'results' ? 'results.0.unitsAchieved' : path),
  }),
};

export const outcomeVerification: TaskForm = {
  usesState: true,
  showsResults: true,
  context: (c) => {
    const contract = c.state?.contracting?.contract;
    const point = currentPoint(c.state);
    const report = lastReport(c.answered);
    if (!contract || !point || !report) return '';
    const t = dict(c.lang).outcomeForm;
    const unitOf = new Map(contract.rateCard.map((r) => [r.metric, r.unit]));
    return contextSection(
      t.pointTitle(point.months),
      html`${pointFacts(c.lang, contract, point)}
      <table class="data">
        <caption>${t.reportedCaption}</caption>
        <thead><tr><th scope="col">${dict(c.lang).contractForm.metric}</th><th scope="col" class="num">${t.reportedUnits}</th><th scope="col">${t.evidence}</th></tr></thead>
        <tbody>${report.results.map((r) => html`<tr><th scope="row">${r.metric}</th><td class="num">${r.unitsAchieved} ${unitOf.get(r.metric) ?? ''}</td><td>${r.evidence}</td></tr>`)}</tbody>
      </table>
      ${rateCardTable(c.lang, contract)}`,
    );
  },
  render: (c) => {
    const t = dict(c.lang);
    const { values: v, errors } = c;
    const contract = c.state?.contracting?.contract;
    if (!contract) return html`<p>${t.outcomeForm.noContract}</p>`;
    const reported = new Map(lastReport(c.answered)?.results.map((r) => [r.metric, r.unitsAchieved]));
    return yesOrNo(c, 'confirmed', withNote(c, t.outcomeForm.confirmLegend, t.outcomeForm.confirmSubmit), {
      value: 'false',
      legend: t.outcomeForm.correctLegend,
      explain: t.outcomeForm.correctExplain,
      fields: html`${metricRows(contract, 'corrected', (i, r) =>
        textField({
          name: `corrected.${i}.units`,
          label: `${r.metric} (${r.unit})`,
          value: v[`corrected.${i}.units`] ?? reported.get(r.metric),
          errors,
          inputmode: 'numeric',
          className: 'short',
        }),
      )}
          ${textArea({ name: 'correctionNote', label: t.outcomeForm.correctionNote, value: v.correctionNote, errors })}`,
      submit: t.outcomeForm.correctSubmit,
    });
  },
  read: (lang, body) => {
    if (str(body, 'confirmed') === 'true') return { input: { confirmed: true, note: str(body, 'note') || undefined } };
    return {
      input: {
        confirmed: false,
        corrected: readMetricRows(body, 'corrected', (i, metric) => ({ metric, units: whole(lang, str(body, `corrected.${i}.units`)) })),
        note: str(body, 'correctionNote'),
      },
      fieldOf: (path) => (path === 'note' ? 'correctionNote' : path === 'corrected' ? 'corrected.0.units' : path),
    };
  },
};

export const savingsConfirmation: TaskForm = {
  usesState: true,
  context: ({ lang, state, proposal }) => {
    const point = currentPoint(state);
    const agreement = state?.cooperationAgreement;
    if (!point || !agreement) return '';
    const t = dict(lang).outcomeForm;
    const year = Math.ceil(point.months / 12);
    const share = agreement.savingsShare;
    // Yearly amounts are owed up to this year, less what earlier points returned: the workflow's rule, before the savings bound it.
    const agreed =
      share.kind === 'percentage'
        ? dict(lang).basisPoints(share.basisPoints)
        : t.owedUpTo(formatMoney(lang, savingsShareThrough(share, year, Number.MAX_SAFE_INTEGER, state?.implementation?.returnedOre ?? 0)), year);
    const expected = proposal?.businessCase?.expectedSavings.filter((s) => s.year === year && s.department === proposal.responsibleDepartment).reduce((s, y) => s + y.amount, 0);
    return contextSection(
      t.pointTitle(point.months),
      html`${facts([
        [t.contractYear, year],
        [t.agreedShare, agreed],
        [t.expected, expected ? formatMoney(lang, expected) : undefined],
      ])}
      <p><strong>${t.agreementConditions}:</strong> ${agreement.conditions}</p>`,
    );
  },
  render: (c) => {
    const { lang, values: v, errors } = c;
    const t = dict(lang);
    return oneForm(
      c,
      html`${textField({ name: 'realisedSavings', label: t.outcomeForm.realisedSavings, hint: t.form.moneyHint, value: v.realisedSavings, errors, inputmode: 'decimal', className: 'short' })}
      ${noteField(c)}`,
      t.outcomeForm.savingsSubmit,
    );
  },
  read: (lang, body) => ({ input: { realisedSavings: dkkText(lang, str(body, 'realisedSavings')), note: str(body, 'note') || undefined } }),
};

export const contractFinalReport: TaskForm = {
  showsResults: true,
  render: (c) => {
    const { lang, values: v, errors } = c;
    const t = dict(lang).outcomeForm;
    return oneForm(
      c,
      html`${textArea({ name: 'summary', label: t.summary, hint: t.summaryHint, value: v.summary, errors, rows: 5 })}
      ${textArea({ name: 'lessonsLearned', label: t.lessonsLearned, hint: t.lessonsHint, value: v.lessonsLearned, errors, rows: 5 })}`,
      t.finalSubmit,
    );
  },
  read: (_lang, body) => ({ input: { summary: str(body, 'summary'), lessonsLearned: str(body, 'lessonsLearned') } }),
};
