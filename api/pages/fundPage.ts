import { Router } from 'express';
import { fundPosition } from '../../activities/fund';
import { ledger } from '../../activities/ledger';
import { fundOutlook } from '../../activities/outlook';
import type { ReportDoc, Store } from '../../activities/store';
import type { Config } from '../../config';
import type { Proposal } from '../../workflows/domain/proposal';
import { approvedUnreservedStages } from '../../workflows/domain/stages';
import type { LifecycleClient } from '../lifecycle';
import { ledgerQuerySchema } from '../routes/fund';
import { requireUser } from './access';
import { PageProblem } from './errors';
import { html, type Html } from './html';
import { dict, formatDate, formatMoney, langOf, type Lang } from './i18n';
import { layout } from './layout';
import { ledgerSection } from './ledgerSection';
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
    requireUser(req);
    const lang = langOf(req);
    const t = dict(lang);
    const q = ledgerQuerySchema.safeParse(req.query);
    if (!q.success) throw new PageProblem(404, t.problem.notFound, t.fund.badPage);
    const [balances, position, committed, outlook, page, reports] = await Promise.all([
      books.balances(),
      fundPosition(store),
      store.proposals.find({ stage: { $in: approvedUnreservedStages } }).sort({ _id: 1 }).lean(),
      fundOutlook(config, store, (id) => lifecycle.state(id)),
      books.entries(q.data),
      store.reports.find({}, { report: 0, markdown: 0 }).sort({ _id: -1 }).lean(),
    ]);
    const requested = (p: Proposal) => p.businessCase?.requestedFromFund ?? 0;
    const money = (ore: number) => formatMoney(lang, ore);

    res.type('html').send(
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
        <h2>${t.fund.committedList}</h2>
        ${committed.length === 0
          ? html`<p>${t.fund.none}</p>`
          : html`<table class="data">
          <caption>${t.fund.committedCaption}</caption>
          <thead><tr><th scope="col">${t.proposal.id}</th><th scope="col">${t.inbox.proposal}</th><th scope="col">${t.proposal.stage}</th><th scope="col" class="num">${t.proposal.requested}</th></tr></thead>
          <tbody>${committed.map((d) => {
            const content = d.content as Proposal;
            return html`<tr><td><a href="/proposals/${encodeURIComponent(d._id)}">${d._id}</a></td><td>${content.title}</td><td>${t.stage[d.stage]}</td><td class="num">${money(requested(content))}</td></tr>`;
          })}</tbody>
        </table>`}
        ${outlookSection(lang, outlook.without)}
        ${ledgerSection(lang, { ...page, page: q.data.page, pageSize: q.data.pageSize, query: new URLSearchParams(req.query as Record<string, string>) })}
        ${reportList(lang, reports)}`,
      }),
    );
  });

  return router;
}

function reportList(lang: Lang, reports: Omit<ReportDoc, 'report' | 'markdown'>[]): Html {
  const t = dict(lang);
  return html`<section aria-labelledby="reports-title">
    <h2 id="reports-title">${t.fund.reports}</h2>
    ${reports.length === 0
      ? html`<p>${t.fund.noReports}</p>`
      : html`<table class="data">
      <caption>${t.fund.reportsCaption}</caption>
      <thead><tr><th scope="col">${t.report.year}</th><th scope="col">${t.report.status}</th><th scope="col" class="num">${t.report.version}</th><th scope="col">${t.report.updated}</th></tr></thead>
      <tbody>${reports.map(
        (r) => html`<tr><td><a href="/reports/${r._id}">${t.report.title(r._id)}</a></td><td>${t.report.statuses[r.status] ?? r.status}</td><td class="num">${r.version}</td><td>${formatDate(lang, r.updatedAt)}</td></tr>`,
      )}</tbody>
    </table>`}
  </section>`;
}
