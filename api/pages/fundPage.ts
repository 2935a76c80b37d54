import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { positionOf } from '../../store/fund';
import { ledger } from '../../store/ledger';
import { approvedCases, fundOutlook, type ApprovedCase } from '../../store/outlook';
import type { ReportDoc, Store } from '../../store';
import type { Config } from '../../config';
import type { Proposal } from '../../domain/proposal';
import type { LifecycleClient } from '../lifecycle';
import { recordRead } from '../accessLog';
import { hasRole } from '../../domain/people';
import { HttpProblem } from '../problem';
import { ledgerQuerySchema } from '../routes/fund';
import { reportYearParam, reportYearToStart, startAnnualReport } from '../routes/reports';
import { requireRolePage, requireUser } from './access';
import { csrfField } from './csrf';
import { badQuery } from './errors';
import { str, textField, zodFieldErrors, type FieldErrors } from './forms';
import { html, type Html } from './html';
import { dict, formatDate, formatMoney, type Lang } from '../../i18n';
import { langOf } from './lang';
import { layout, notice } from './layout';
import type { SignedInUser } from './session';
import { ledgerSection } from './ledgerSection';
import { approvedPageSize, approvedSection } from './approvedSection';
import { outlookSection } from './outlookSection';

/**
 * The fund: the ledger's balances, what approved proposals will still reserve, the
 * 10-year outlook, the ledger itself and the annual reports. The figures come from
 * the same functions the API and the council's decision paper use.
 */
export function fundRoutes(config: Config, store: Store, lifecycle: LifecycleClient) {
  const router = Router();
  const books = ledger(store);

  router.get('/fund', async (req, res) => {
    await show(req, res, requireUser(req));
  });

  // The secretariat drafts a year's report before the schedule would: the same start as POST /api/reports/:year.
  router.post('/reports/start', async (req, res) => {
    const user = requireRolePage(req, 'secretariat');
    const lang = langOf(req);
    const year = str(req.body, 'year');
    const parsed = reportYearToStart(config.fund.startDate).safeParse({ year: year || undefined });
    if (!parsed.success) {
      await show(req, res, user, { year, errors: zodFieldErrors(parsed.error, lang), status: 400 });
      return;
    }
    try {
      await startAnnualReport(store, lifecycle, config.deadlines, parsed.data.year, user.actor.userId);
    } catch (err) {
      if (!(err instanceof HttpProblem) || err.status !== 409) throw err;
      await show(req, res, user, { year, refusal: dict(lang).fund.reportUnderWay(parsed.data.year), status: 409 });
      return;
    }
    res.redirect(303, `/fund?reportStarted=${parsed.data.year}#reports-title`);
  });

  async function show(req: Request, res: Response, user: SignedInUser, start: StartState = {}) {
    const lang = langOf(req);
    const t = dict(lang);
    // The ledger's filters as the API takes them; the notice after starting a report and the approved list's page are the page's own.
    const { reportStarted: _notice, approvedPage, ...ledgerQuery } = req.method === 'GET' ? (req.query as Record<string, unknown>) : {};
    const q = ledgerQuerySchema.safeParse(ledgerQuery);
    const approvedAt = approvedPageSchema.safeParse({ approvedPage });
    if (!q.success) throw badQuery(lang, q.error);
    if (!approvedAt.success) throw badQuery(lang, approvedAt.error);
    const [balances, committed, outlook, page, reports] = await Promise.all([
      books.balances(),
      approvedCases(store),
      fundOutlook(config, store),
      books.entries(q.data),
      store.reports.find({}, { report: 0, narrative: 0, evaluation: 0 }).sort({ _id: -1 }).lean(),
      recordRead(store, req, user.actor.userId, { what: 'ledger', proposalId: q.data.proposalId }),
    ]);
    const position = positionOf(balances, committed);
    // Past the last page (the list shrank since the link was drawn): its last page.
    const approvedAtPage = Math.min(approvedAt.data.approvedPage, Math.max(1, Math.ceil(committed.length / approvedPageSize)));
    const approvedRows = await withTitles(store, committed.slice((approvedAtPage - 1) * approvedPageSize, approvedAtPage * approvedPageSize));
    const money = (ore: number) => formatMoney(lang, ore);

    res
      .status(start.status ?? 200)
      .type('html')
      .send(
        layout(req, {
          title: t.fund.title,
          current: 'fund',
          body: html`<h1>${t.fund.title}</h1>
        <p>${t.fund.startDate(formatDate(lang, config.fund.startDate))} ${t.fund.source}</p>
        <dl class="figures">
          <div><dt>${t.fund.opening}</dt><dd>${money(balances.capitalOre)}</dd></div>
          <div><dt>${t.fund.reserved}</dt><dd>${money(balances.reservedOre)}</dd></div>
          <div><dt>${t.fund.paid}</dt><dd>${money(balances.paidOre + balances.grantedOre)}</dd></div>
          <div><dt>${t.fund.returned}</dt><dd>${money(balances.returnedOre)}</dd></div>
          <div><dt>${t.fund.committed}</dt><dd>${money(position.committedOre)}</dd></div>
          <div><dt>${t.fund.free}</dt><dd>${money(position.availableOre)}</dd></div>
        </dl>
        ${approvedSection(lang, { total: committed.length, rows: approvedRows, page: approvedAtPage, query: new URLSearchParams(req.query as Record<string, string>) })}
        ${outlookSection(lang, outlook.without)}
        ${ledgerSection(lang, { ...page, page: q.data.page, pageSize: q.data.pageSize, query: new URLSearchParams(req.query as Record<string, string>) })}
        ${reportList(lang, reports, hasRole(user.actor, 'secretariat') ? startReportForm(req, lang, start) : '')}`,
        }),
      );
  }

  return router;
}

const approvedPageSchema = z.object({ approvedPage: z.coerce.number().int().min(1).max(100_000).default(1) });

/** Cases recorded before their commitment carried the title: looked up for the rows shown, a page at most. */
async function withTitles(store: Store, rows: ApprovedCase[]): Promise<ApprovedCase[]> {
  return Promise.all(
    rows.map(async (row) => {
      if (row.content.title !== undefined) return row;
      const doc = await store.proposals.findById(row._id, { 'content.title': 1 }).lean<{ content: Pick<Proposal, 'title'> }>();
      return { ...row, content: { ...row.content, title: doc?.content.title } };
    }),
  );
}

/** What the start form shows when it comes back: the year typed, and why it was refused. */
interface StartState {
  year?: string;
  errors?: FieldErrors;
  refusal?: string;
  status?: number;
}

function startReportForm(req: Request, lang: Lang, start: StartState): Html {
  const t = dict(lang).fund;
  const started = reportYearParam.safeParse({ year: req.query.reportStarted });
  return html`${started.success && !start.status ? notice('success', t.reportStarted(started.data.year)) : ''}
    ${start.refusal ? notice('error', start.refusal) : ''}
    <form method="post" action="/reports/start" novalidate class="stacked-form">
      ${csrfField(req)}
      <fieldset><legend>${t.startReport}</legend>
        <p class="hint">${t.startReportExplain}</p>
        ${textField({ name: 'year', label: t.startReportYear, value: start.year ?? String(new Date().getFullYear() - 1), errors: start.errors ?? {}, inputmode: 'numeric', className: 'short' })}
        <button type="submit" class="secondary">${t.startReportSubmit}</button>
      </fieldset>
    </form>`;
}

function reportList(lang: Lang, reports: Omit<ReportDoc, 'report' | 'narrative' | 'evaluation'>[], startForm: Html | string): Html {
  const t = dict(lang);
  return html`<section aria-labelledby="reports-title">
    <h2 id="reports-title">${t.fund.reports}</h2>
    ${startForm}
    ${
      reports.length === 0
        ? html`<p>${t.fund.noReports}</p>`
        : html`<table class="data">
      <caption>${t.fund.reportsCaption}</caption>
      <thead><tr><th scope="col">${t.report.year}</th><th scope="col">${t.report.status}</th><th scope="col" class="num">${t.report.version}</th><th scope="col">${t.report.updated}</th></tr></thead>
      <tbody>${reports.map(
        (r) =>
          html`<tr><td><a href="/reports/${r._id}">${t.report.title(r._id)}</a></td><td>${t.report.statuses[r.status] ?? r.status}</td><td class="num">${r.version}</td><td>${formatDate(lang, r.updatedAt)}</td></tr>`,
      )}</tbody>
    </table>`
    }
  </section>`;
}
