import type { OutlookYear } from '../../domain/outlook';
import { html, type Html } from './html';
import { dict, formatMoney, type Lang } from '../../i18n';
import { outlookChart } from './outlookChart';

/** The outlook twice: as a chart for the eye, and as the table it is drawn from. */
export function outlookSection(lang: Lang, outlook: { years: OutlookYear[]; runsDryIn: number | null }): Html {
  const t = dict(lang).fund;
  const money = (ore: number) => formatMoney(lang, ore);
  return html`<section aria-labelledby="outlook-title">
    <h2 id="outlook-title">${t.outlook}</h2>
    <p>${t.outlookIntro}</p>
    <p class="${outlook.runsDryIn ? 'outlook-verdict dry' : 'outlook-verdict'}">${outlook.runsDryIn ? t.runsDry(outlook.runsDryIn) : t.holds}</p>
    <figure class="chart">${outlookChart(lang, outlook)}</figure>
    <table class="data" id="outlook-table">
      <caption>${t.outlookCaption}</caption>
      <thead><tr><th scope="col">${t.year}</th><th scope="col" class="num">${t.outcomePayments}</th><th scope="col" class="num">${t.grants}</th><th scope="col" class="num">${t.savingsReturned}</th><th scope="col" class="num">${t.freeAtYearEnd}</th></tr></thead>
      <tbody>${outlook.years.map(
        (y) =>
          html`<tr${y.year === outlook.runsDryIn ? html` class="dry-year"` : ''}><th scope="row">${y.year}${y.year === outlook.runsDryIn ? html` <span class="badge badge-danger">${t.dryBadge}</span>` : ''}</th><td class="num">${money(y.outcomePaymentsOre)}</td><td class="num">${money(y.grantsOre)}</td><td class="num">${money(y.savingsReturnedOre)}</td><td class="num">${money(y.freeAtYearEndOre)}</td></tr>`,
      )}</tbody>
    </table>
  </section>`;
}
