import { reportProjects, type AnnualReport } from '../../domain/annualReport';
import type { FundingTrack } from '../../domain/stages';
import type { ReportDoc } from '../../store';
import { html, type Html, type Renderable } from './html';
import { dict, formatDate, formatMoney, type Lang } from '../../i18n';
import { facts } from './layout';
import { renderMarkdown } from './markdown';
import { outlookSection } from './outlookSection';
import { evaluationText } from '../../store/reports';

/** The report's text sections as Markdown-ish paragraphs: escaped, a heading within them one level below the section's. */
const prose = (text: string | undefined, fallback: string): Html => (text ? html`<div class="prose">${renderMarkdown(text, 2)}</div>` : html`<p class="muted">${fallback}</p>`);

const section = (id: string, title: string, body: Renderable): Html => html`<section aria-labelledby="${id}"><h2 id="${id}">${title}</h2>${body}</section>`;

/**
 * The annual report as one document: the secretariat's assessment, the year's
 * projects and results, each project's money against its cap with the secretariat's
 * commentary, the fund at year end and its outlook (chart and table), the answers to
 * the council and the evaluation of the council's work. The report page shows it as
 * the draft, a council member's task as what they decide on, and the print page as
 * the document for the city council. What the secretariat wrote is escaped text.
 */
export function reportDocument(lang: Lang, doc: ReportDoc): Html {
  const t = dict(lang);
  const d = t.report.doc;
  const r = doc.report as AnnualReport;
  const money = (ore: number) => formatMoney(lang, ore);
  const narrative = doc.narrative?.text;
  const evaluation = evaluationText(doc);
  const commentary = new Map((narrative?.projects ?? []).map((p) => [p.proposalId, p.commentary]));
  const at = (status: string) => [...doc.history].reverse().find((h) => h.status === status && h.version === doc.version)?.at;
  const approvedAt = at('approved');
  const sentAt = at('sentToCityCouncil');

  return html`<div class="report-document">
    <p class="byline">${d.byline(doc.version, formatDate(lang, r.generatedAt))}
      ${approvedAt ? d.approvedOn(formatDate(lang, approvedAt)) : html`<strong>${d.notApproved}</strong>`}
      ${sentAt ? d.sentOn(formatDate(lang, sentAt)) : ''}</p>
    ${section('doc-overall', d.overall, prose(narrative?.overallAssessment, d.notWritten))}
    ${section(
      'doc-started',
      d.started,
      r.projectsStarted.length === 0
        ? html`<p>${d.none}</p>`
        : html`<table class="data"><caption>${d.startedCaption}</caption>
          <thead><tr><th scope="col">${d.case}</th><th scope="col">${d.project}</th><th scope="col">${d.track}</th><th scope="col">${d.startedOn}</th></tr></thead>
          <tbody>${r.projectsStarted.map(
            (p) =>
              html`<tr><td>${p.proposalId}</td><td>${p.title}</td><td>${t.fundingTrack[p.track as FundingTrack] ?? p.track}</td><td>${formatDate(lang, p.startedOn)}</td></tr>`,
          )}</tbody></table>`,
    )}
    ${section(
      'doc-results',
      d.results,
      r.results.length === 0
        ? html`<p>${d.noResults}</p>`
        : r.results.map(
            (p) => html`<table class="data"><caption>${d.resultsCaption(`${p.proposalId} ${p.title}`)}</caption>
            <thead><tr><th scope="col">${d.metric}</th><th scope="col" class="num">${d.months}</th><th scope="col" class="num">${d.units}</th><th scope="col" class="num">${d.cumulativeUnits}</th><th scope="col" class="num">${d.target}</th></tr></thead>
            <tbody>${p.measurements.map(
              (m) =>
                html`<tr><td>${m.metric}</td><td class="num">${m.months}</td><td class="num">${m.units}</td><td class="num">${m.cumulativeUnits ?? ''}</td><td class="num">${m.targetUnits ?? ''}</td></tr>`,
            )}</tbody></table>`,
          ),
    )}
    ${section(
      'doc-projects',
      d.projects,
      reportProjects(r).length === 0
        ? html`<p>${d.none}</p>`
        : html`${
            r.perProposal.length
              ? html`<div class="table-scroll" role="region" aria-labelledby="doc-project-figures-caption" tabindex="0"><table class="data" id="doc-project-figures"><caption id="doc-project-figures-caption">${d.projectsCaption}</caption>
            <thead><tr><th scope="col">${d.project}</th><th scope="col" class="num">${d.paidInYear}</th><th scope="col" class="num">${d.paidToDate}</th><th scope="col" class="num">${d.cap}</th><th scope="col" class="num">${d.returnedInYear}</th><th scope="col" class="num">${d.returnedToDate}</th><th scope="col" class="num">${d.reservedAtYearEnd}</th></tr></thead>
            <tbody>${r.perProposal.map(
              (p) =>
                html`<tr><th scope="row">${p.proposalId} ${p.title}</th><td class="num">${money(p.outcomePaymentsOre + p.grantsOre)}</td><td class="num">${money(p.paidToDateOre)}</td><td class="num">${money(p.capOre)}</td><td class="num">${money(p.savingsReturnedOre)}</td><td class="num">${money(p.savingsReturnedToDateOre)}</td><td class="num">${money(p.reservedAtYearEndOre)}</td></tr>`,
            )}</tbody></table></div>`
              : ''
          }
          ${reportProjects(r).map((p) => html`<h3>${p.proposalId} ${p.title}</h3>${prose(commentary.get(p.proposalId), d.notWritten)}`)}`,
    )}
    ${section(
      'doc-payments',
      d.payments,
      facts([
        [t.fund.outcomePayments, money(r.paymentsOre.outcomePayments)],
        [t.fund.grants, money(r.paymentsOre.grants)],
        [t.fund.savingsReturned, money(r.paymentsOre.savingsReturned)],
      ]),
    )}
    ${section(
      'doc-fund',
      d.fundAtYearEnd,
      html`${facts([
        [d.capital, money(r.fundAtYearEnd.capitalOre)],
        [d.returned, money(r.fundAtYearEnd.returnedOre)],
        [d.paid, money(r.fundAtYearEnd.paidOre)],
        [d.granted, money(r.fundAtYearEnd.grantedOre)],
        [d.earmarked, money(r.fundAtYearEnd.earmarkedOre ?? 0)],
        [d.reserved, money(r.fundAtYearEnd.reservedOre)],
        [d.free, money(r.fundAtYearEnd.freeOre)],
      ])}<p class="muted">${d.freeIs}</p>`,
    )}
    ${outlookSection(lang, r.outlook)}
    ${narrative?.answersToCouncil ? section('doc-answers', d.answers, prose(narrative.answersToCouncil, '')) : ''}
    ${evaluation ? section('doc-evaluation', d.evaluation, html`<p class="muted">${d.evaluationIntro}</p>${prose(evaluation, '')}`) : ''}
  </div>`;
}
