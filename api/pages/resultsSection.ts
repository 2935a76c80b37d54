import type { ContractResults, GrantResults, CaseResults, MeasurementResult } from '../../domain/results';
import { html, type Html } from './html';
import { dict, formatDate, formatMoney, locale, type Lang } from '../../i18n';
import { facts } from './layout';
import { resultsChart } from './resultsChart';

interface Options {
  /** The heading's id: `results-title`, or the task page's context heading where the results are what the task rests on. */
  headingId?: string;
  nameOf(userId: string): string;
}

/** What a part is of a whole, as the reader writes a percentage; nothing when there is no whole. */
export function percent(lang: Lang, part: number, whole: number): string {
  if (whole <= 0) return '';
  return new Intl.NumberFormat(locale[lang], { style: 'percent', maximumFractionDigits: 0 }).format(part / whole);
}

/**
 * A contract's or a grant's results as a council member reads them at a glance:
 * the money in a few facts, then for a contract each metric's effect against its
 * target and the payments against the cap, each as a chart with its numbers in a
 * table, and who reported, verified and corrected what; for a grant its tranches.
 */
export function resultsSection(lang: Lang, results: CaseResults, opts: Options): Html {
  const t = dict(lang).results;
  const id = opts.headingId ?? 'results-title';
  return html`<section class="results" aria-labelledby="${id}">
    <h2 id="${id}">${t.title}</h2>
    ${results.kind === 'contract' ? contractResults(lang, results, opts) : grantResults(lang, results, opts)}
  </section>`;
}

function contractResults(lang: Lang, r: ContractResults, { nameOf }: Options): Html {
  const t = dict(lang).results;
  const money = (ore: number) => formatMoney(lang, ore);
  const pointLabel = (m: MeasurementResult) => t.months(m.months);
  return html`${facts([
    [t.provider, r.provider ?? undefined],
    [t.cap, money(r.capOre)],
    [t.paid, t.paidOfCap(money(r.paidOre), percent(lang, r.paidOre, r.capOre))],
    [t.capLeft, money(r.capLeftOre)],
    [t.reserved, money(r.reservedOre)],
    [t.released, r.releasedOre > 0 ? money(r.releasedOre) : undefined],
    [t.realised, money(r.realisedSavingsOre)],
    [t.returned, money(r.returnedOre)],
    [t.next, r.next ? t.nextPoint(r.next.months, formatDate(lang, r.next.dueAt)) : t.allSettled],
  ])}
    <p class="hint">${t.contractIntro}</p>

    <h3>${t.effectTitle}</h3>
    ${r.metrics.map((metric, i) => {
      const rows = r.measurements.map((m) => ({ m, line: m.metrics?.find((l) => l.metric === metric.metric) }));
      const verified = rows.filter((x) => x.line).length;
      return html`<h4>${t.metricHeading(metric.metric, metric.unit)}</h4>
      <figure class="chart">${resultsChart({
        id: `effect-chart-${i + 1}`,
        title: t.effectChartTitle(metric.metric),
        desc: t.effectChartDesc(metric.metric, metric.achievedUnits, metric.targetUnits, metric.unit, verified),
        axis: metric.unit,
        categories: r.measurements.map(pointLabel),
        bars: [{ cls: 'bar-achieved', label: t.achievedSoFar, values: rows.map((x) => x.line?.cumulativeUnits) }],
        reference: { cls: 'target-line', label: t.targetLegend(metric.targetUnits), mark: t.targetMark(metric.targetUnits), value: metric.targetUnits },
        tick: (v) => v.toLocaleString(locale[lang]),
        minStep: 1,
      })}</figure>
      <table class="data">
        <caption>${t.effectCaption(metric.metric)}</caption>
        <thead><tr><th scope="col">${t.point}</th><th scope="col">${t.due}</th><th scope="col" class="num">${t.unitsInPeriod}</th><th scope="col" class="num">${t.achievedSoFar}</th><th scope="col" class="num">${t.target}</th><th scope="col" class="num">${t.ofTarget}</th><th scope="col" class="num">${t.paidForMetric}</th></tr></thead>
        <tbody>${rows.map(
          ({ m, line }) =>
            html`<tr><th scope="row">${pointLabel(m)}</th><td>${formatDate(lang, m.dueAt)}</td>${
              line
                ? html`<td class="num">${line.units}</td><td class="num">${line.cumulativeUnits}</td><td class="num">${metric.targetUnits}</td><td class="num">${percent(lang, line.cumulativeUnits, metric.targetUnits)}</td><td class="num">${money(line.paidOre)}${line.capped ? html` <span class="badge">${t.capped}</span>` : ''}</td>`
                : html`<td colspan="5">${t.statuses[m.status]}</td>`
            }</tr>`,
        )}</tbody>
      </table>`;
    })}

    <h3>${t.paymentsTitle}</h3>
    ${paymentsAgainstCap(lang, r)}

    <h3>${t.pointsTitle}</h3>
    <table class="data">
      <caption>${t.pointsCaption}</caption>
      <thead><tr><th scope="col">${t.point}</th><th scope="col">${t.status}</th><th scope="col">${t.reported}</th><th scope="col">${t.verified}</th><th scope="col">${t.corrections}</th></tr></thead>
      <tbody>${r.measurements.map(
        (m) =>
          html`<tr><th scope="row">${pointLabel(m)}</th><td>${t.statuses[m.status]}</td>
          <td>${m.reported ? t.byOn(nameOf(m.reported.by), formatDate(lang, m.reported.at)) : ''}</td>
          <td>${m.verified ? t.byOn(nameOf(m.verified.by), formatDate(lang, m.verified.at)) : ''}</td>
          <td>${
            m.verified
              ? m.verified.corrections.length === 0
                ? t.confirmedAsReported
                : html`${m.verified.corrections.map((c) => html`<span class="correction">${t.correction(c.metric, c.reportedUnits, c.units)}</span> `)}${m.verified.note ? html`<blockquote>${m.verified.note}</blockquote>` : ''}`
              : ''
          }</td></tr>`,
      )}</tbody>
    </table>
    ${r.finalReport ? finalReport(lang, r.finalReport, [t.lessons, r.finalReport.lessonsLearned], nameOf) : ''}
    ${r.release ? html`<p>${t.releasedOn(money(r.release.amountOre), formatDate(lang, r.release.on))}</p>` : ''}`;
}

/** Each point's payment and the savings it returned, the running total against the cap. */
function paymentsAgainstCap(lang: Lang, r: ContractResults): Html {
  const t = dict(lang).results;
  const money = (ore: number) => formatMoney(lang, ore);
  let soFar = 0;
  const rows = r.measurements.map((m) => {
    if (m.paymentOre !== undefined) soFar += m.paymentOre;
    return { m, soFar: m.paymentOre === undefined ? undefined : soFar };
  });
  const millions = (ore: number | undefined) => (ore === undefined ? undefined : ore / 100_000_000);
  return html`<figure class="chart">${resultsChart({
    id: 'payments-chart',
    title: t.paymentsChartTitle,
    desc: t.paymentsChartDesc(money(r.paidOre), money(r.capOre), money(r.returnedOre)),
    axis: t.millions,
    categories: r.measurements.map((m) => t.months(m.months)),
    bars: [
      { cls: 'bar-out', label: t.paymentLegend, values: r.measurements.map((m) => millions(m.paymentOre)) },
      { cls: 'bar-in', label: t.returnedLegend, values: r.measurements.map((m) => millions(m.savings?.returnedOre)) },
    ],
    line: { cls: 'paid-line', label: t.paidSoFarLegend, values: rows.map((x) => millions(x.soFar)) },
    reference: { cls: 'cap-line', label: t.capLegend, mark: t.capMark, value: r.capOre / 100_000_000 },
    tick: (v) => v.toLocaleString(locale[lang], { maximumFractionDigits: 1 }),
  })}</figure>
  <table class="data">
    <caption>${t.paymentsCaption}</caption>
    <thead><tr><th scope="col">${t.point}</th><th scope="col">${t.bookedOn}</th><th scope="col" class="num">${t.payment}</th><th scope="col" class="num">${t.paidSoFar}</th><th scope="col" class="num">${t.capLeft}</th><th scope="col" class="num">${t.realisedInPeriod}</th><th scope="col" class="num">${t.returnedInPeriod}</th></tr></thead>
    <tbody>${rows.map(
      ({ m, soFar: paid }) =>
        html`<tr><th scope="row">${t.months(m.months)}</th>${
          paid === undefined
            ? html`<td colspan="6">${t.statuses[m.status]}</td>`
            : html`<td>${m.paidOn ? formatDate(lang, m.paidOn) : ''}</td><td class="num">${money(m.paymentOre!)}</td><td class="num">${money(paid)}</td><td class="num">${money(Math.max(0, r.capOre - paid))}</td><td class="num">${m.savings ? money(m.savings.realisedOre) : ''}</td><td class="num">${m.savings ? money(m.savings.returnedOre) : ''}</td>`
        }</tr>`,
    )}</tbody>
  </table>`;
}

function grantResults(lang: Lang, r: GrantResults, { nameOf }: Options): Html {
  const t = dict(lang).results;
  const money = (ore: number) => formatMoney(lang, ore);
  return html`${facts([
    [t.grantee, r.grantee],
    [t.granted, money(r.amountOre)],
    [t.paid, money(r.paidOre)],
    [t.withheld, money(r.withheldOre)],
    [t.reserved, money(r.reservedOre)],
    [t.nextTranche, r.next ? t.trancheDue(r.next.number, formatDate(lang, r.next.dueDate)) : t.allDecided],
  ])}
    <p class="hint">${t.grantIntro}</p>
    <p><strong>${t.conditions}:</strong> ${r.conditions}</p>
    <table class="data">
      <caption>${t.tranchesCaption}</caption>
      <thead><tr><th scope="col">${t.tranche}</th><th scope="col">${t.due}</th><th scope="col" class="num">${t.amount}</th><th scope="col">${t.condition}</th><th scope="col">${t.status}</th><th scope="col">${t.decided}</th><th scope="col">${t.reasonOrNote}</th></tr></thead>
      <tbody>${r.tranches.map(
        (x) =>
          html`<tr><th scope="row">${x.number}</th><td>${formatDate(lang, x.dueDate)}</td><td class="num">${money(x.amountOre)}</td><td>${x.condition}</td><td><span class="badge tranche-${x.status}">${t.trancheStatuses[x.status]}</span></td><td>${x.decidedBy ? t.byOn(nameOf(x.decidedBy), formatDate(lang, x.decidedAt)) : ''}</td><td>${x.reason ?? x.note ?? ''}</td></tr>`,
      )}</tbody>
    </table>
    ${r.finalReport ? finalReport(lang, r.finalReport, [t.resultsAchieved, r.finalReport.resultsAchieved], nameOf) : ''}`;
}

/** The final report: who sent it when, its summary, and what the track asks besides (lessons learned, results achieved). */
function finalReport(lang: Lang, report: { by: string; at: string; summary: string }, [heading, text]: [string, string], nameOf: Options['nameOf']): Html {
  const t = dict(lang).results;
  return html`<h3>${t.finalTitle}</h3>
    <p>${t.finalBy(nameOf(report.by), formatDate(lang, report.at))}</p>
    <h4>${t.summary}</h4><p>${report.summary}</p>
    <h4>${heading}</h4><p>${text}</p>`;
}
