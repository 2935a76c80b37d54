import { Router } from 'express';
import type { Store } from '../../activities/store';
import type { Config } from '../../config';
import type { Proposal } from '../../workflows/domain/proposal';
import { requireUser } from './access';
import { html } from './html';
import { dict, formatDate, formatMoney, langOf } from './i18n';
import { layout } from './layout';

/**
 * Stages in which the council has approved and the proposal is not closed: its money
 * is spoken for. The direct-grant stages count too where the workflow has them.
 */
export const committedStages = ['MayoralApproval', 'CooperationAgreement', 'AwaitingProcurement', 'AwaitingGrant', 'GrantAgreement', 'GrantActive'];

/**
 * The fund as far as it exists: opening capital, what approved and open proposals
 * request, and the free capital. The ledger and the 10-year outlook come later.
 */
export function fundRoutes(config: Config, store: Store) {
  const router = Router();

  router.get('/fund', async (req, res) => {
    requireUser(req);
    const lang = langOf(req);
    const t = dict(lang);
    const docs = await store.proposals.find({ stage: { $in: committedStages } }).sort({ _id: 1 }).lean();
    const rows = docs.map((d) => ({ id: d._id, stage: d.stage, content: d.content as Proposal }));
    const requested = (p: Proposal) => p.businessCase?.requestedFromFund ?? 0;
    const committed = rows.reduce((sum, r) => sum + requested(r.content), 0);
    const opening = config.fund.openingCapital;

    res.type('html').send(
      layout(req, {
        title: t.fund.title,
        current: 'fund',
        body: html`<h1>${t.fund.title}</h1>
        <p>${t.fund.startDate(formatDate(lang, config.fund.startDate))}</p>
        <dl class="figures">
          <div><dt>${t.fund.opening}</dt><dd>${formatMoney(lang, opening)}</dd></div>
          <div><dt>${t.fund.committed}</dt><dd>${formatMoney(lang, committed)}</dd></div>
          <div><dt>${t.fund.free}</dt><dd>${formatMoney(lang, opening - committed)}</dd></div>
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
