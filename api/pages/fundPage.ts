import { Router } from 'express';
import type { Store } from '../../activities/store';
import type { Config } from '../../config';
import { ledger } from '../../activities/ledger';
import type { Proposal } from '../../workflows/domain/proposal';
import { approvedUnreservedStages } from '../../workflows/domain/stages';
import { requireUser } from './access';
import { html } from './html';
import { dict, formatDate, formatMoney, langOf } from './i18n';
import { layout } from './layout';

/**
 * The fund: the ledger's balances, and what approved proposals ask for that is not
 * yet reserved. The 10-year outlook comes later.
 */
export function fundRoutes(config: Config, store: Store) {
  const router = Router();

  router.get('/fund', async (req, res) => {
    requireUser(req);
    const lang = langOf(req);
    const t = dict(lang);
    const docs = await store.proposals.find({ stage: { $in: approvedUnreservedStages } }).sort({ _id: 1 }).lean();
    const balances = await ledger(store).balances();
    const rows = docs.map((d) => ({ id: d._id, stage: d.stage, content: d.content as Proposal }));
    const requested = (p: Proposal) => p.businessCase?.requestedFromFund ?? 0;
    const committed = rows.reduce((sum, r) => sum + requested(r.content), 0);

    res.type('html').send(
      layout(req, {
        title: t.fund.title,
        current: 'fund',
        body: html`<h1>${t.fund.title}</h1>
        <p>${t.fund.startDate(formatDate(lang, config.fund.startDate))}</p>
        <dl class="figures">
          <div><dt>${t.fund.opening}</dt><dd>${formatMoney(lang, balances.capitalOre)}</dd></div>
          <div><dt>${t.fund.reserved}</dt><dd>${formatMoney(lang, balances.reservedOre)}</dd></div>
          <div><dt>${t.fund.paid}</dt><dd>${formatMoney(lang, balances.paidOre + balances.grantedOre)}</dd></div>
          <div><dt>${t.fund.returned}</dt><dd>${formatMoney(lang, balances.returnedOre)}</dd></div>
          <div><dt>${t.fund.committed}</dt><dd>${formatMoney(lang, committed)}</dd></div>
          <div><dt>${t.fund.free}</dt><dd>${formatMoney(lang, balances.freeOre - committed)}</dd></div>
        </dl>
        <h2>${t.fund.committedList}</h2>
        ${rows.length === 0
          ? html`<p>${t.fund.none}</p>`
          : html`<table class="data">
          <caption>${t.fund.committedCaption}</caption>
          <thead><tr><th scope="col">${t.proposal.id}</th><th scope="col">${t.inbox.proposal}</th><th scope="col">${t.proposal.stage}</th><th scope="col" class="num">${t.proposal.requested}</th></tr></thead>
          <tbody>${rows.map(
            (r) => html`<tr><td><a href="/proposals/${encodeURIComponent(r.id)}">${r.id}</a></td><td>${r.content.title}</td><td>${t.stage[r.stage]}</td><td class="num">${formatMoney(lang, requested(r.content))}</td></tr>`,
          )}</tbody>
        </table>`}
        <p class="note">${t.fund.later}</p>`,
      }),
    );
  });

  return router;
}
