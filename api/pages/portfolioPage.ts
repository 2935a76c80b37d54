import { Router, type Request } from 'express';
import { hasRole } from '../../domain/people';
import type { PortfolioRow } from '../../domain/portfolio';
import type { Store } from '../../store';
import { portfolioReaders } from '../../domain/accessPolicy';
import { readPortfolio, sendPortfolioCsv } from '../routes/portfolio';
import { requireUser } from './access';
import { PageProblem } from './errors';
import { html, type Html } from './html';
import { dict, formatDate, formatMoney, type Lang } from '../../i18n';
import { langOf } from './lang';
import { layout } from './layout';
import { percent } from './resultsSection';
import type { SignedInUser } from './session';

/**
 * Every contract and grant on one page, next due first: the same rows as
 * GET /api/portfolio, and the same CSV as GET /api/portfolio.csv in the reader's language.
 */
export function portfolioPageRoutes(store: Store) {
  const router = Router();

  router.get('/portfolio', async (req, res) => {
    const reader = requireReader(req);
    const lang = langOf(req);
    const t = dict(lang).portfolio;
    const rows = await readPortfolio(store, req, reader.actor.userId);
    res.type('html').send(
      layout(req, {
        title: t.title,
        current: 'portfolio',
        body: html`<h1>${t.title}</h1>
        <p>${t.intro}</p>
        <p><a href="/portfolio.csv" download>${t.download}</a></p>
        ${rows.length === 0 ? html`<p>${t.none}</p>` : portfolioTable(lang, rows)}`,
      }),
    );
  });

  router.get('/portfolio.csv', async (req, res) => {
    const reader = requireReader(req);
    const rows = await readPortfolio(store, req, reader.actor.userId);
    sendPortfolioCsv(res, langOf(req), rows);
  });

  return router;
}

function requireReader(req: Request): SignedInUser {
  const user = requireUser(req);
  if (!portfolioReaders.some((r) => hasRole(user.actor, r))) {
    const t = dict(langOf(req));
    throw new PageProblem(403, t.problem.forbidden, t.portfolio.forbidden);
  }
  return user;
}

function portfolioTable(lang: Lang, rows: PortfolioRow[]): Html {
  const t = dict(lang);
  const p = t.portfolio;
  const money = (ore: number) => formatMoney(lang, ore);
  return html`<table class="data portfolio">
    <caption>${p.caption}</caption>
    <thead><tr><th scope="col">${p.proposal}</th><th scope="col">${p.kindAndStage}</th><th scope="col">${p.counterpart}</th><th scope="col">${p.effect}</th><th scope="col" class="num">${p.committed}</th><th scope="col" class="num">${p.paid}</th><th scope="col" class="num">${p.returnedShort}</th><th scope="col">${p.next}</th></tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr>
        <th scope="row"><a class="case-id" href="/proposals/${encodeURIComponent(r.proposalId)}">${r.proposalId}</a><br><span class="muted">${r.title}</span></th>
        <td>${p.kinds[r.kind]}<br><span class="muted">${t.stage[r.stage] ?? r.stage}</span></td>
        <td>${r.counterpart ?? ''}</td>
        <td>${
          r.tranches
            ? p.tranchesOf(r.tranches.paid, r.tranches.withheld, r.tranches.total)
            : html`<ul class="effect">${r.effect.map((e) => html`<li>${p.effectOf(e.metric, e.achievedUnits, e.targetUnits, e.unit)} (${percent(lang, e.achievedUnits, e.targetUnits)})</li>`)}</ul>`
        }</td>
        <td class="num">${money(r.committedOre)}</td>
        <td class="num">${money(r.paidOre)}<br><span class="muted">${p.percentOf(percent(lang, r.paidOre, r.committedOre))}</span></td>
        <td class="num">${money(r.returnedOre)}</td>
        <td>${r.next ? html`${formatDate(lang, r.next.date)}<br><span class="muted">${r.next.months !== null ? p.nextPoint(r.next.months) : p.nextTranche(r.next.tranche!)}</span>` : ''}</td>
      </tr>`,
    )}</tbody>
  </table>`;
}
