import type { ApprovedCase } from '../../store/outlook';
import { html, type Html } from './html';
import { dict, formatMoney, type Lang } from '../../i18n';

/** Rows a page of the approved list shows: the figure above it counts them all. */
export const approvedPageSize = 20;

/**
 * The approved proposals not yet reserved, by case number, a page at a time with their
 * total: at a thousand cases a third of them wait here, too many for one page to draw.
 * The links keep the reader's other choices (the ledger's page and filters).
 */
export function approvedSection(lang: Lang, o: { total: number; rows: ApprovedCase[]; page: number; query: URLSearchParams }): Html {
  const t = dict(lang);
  const first = (o.page - 1) * approvedPageSize + 1;
  const last = first + o.rows.length - 1;
  const pageLink = (page: number, label: string, rel: string) => {
    const q = new URLSearchParams(o.query);
    q.set('approvedPage', String(page));
    return html`<li><a href="/fund?${q.toString()}#committed-title" rel="${rel}">${label}</a></li>`;
  };
  const links = [o.page > 1 ? pageLink(o.page - 1, t.fund.approvedPrevious, 'prev') : '', last < o.total ? pageLink(o.page + 1, t.fund.approvedNext, 'next') : ''].filter(Boolean);
  return html`<section aria-labelledby="committed-title">
    <h2 id="committed-title">${t.fund.committedList}</h2>
    ${
      o.rows.length === 0
        ? html`<p>${t.fund.none}</p>`
        : html`<table class="data" id="committed-table">
      <caption>${t.fund.approvedShown(first, last, o.total)}: ${t.fund.committedCaption}</caption>
      <thead><tr><th scope="col">${t.proposal.id}</th><th scope="col">${t.inbox.proposal}</th><th scope="col">${t.proposal.stage}</th><th scope="col" class="num">${t.proposal.requested}</th></tr></thead>
      <tbody>${o.rows.map(
        (d) =>
          html`<tr><td><a href="/proposals/${encodeURIComponent(d._id)}">${d._id}</a></td><td>${d.content.title ?? ''}</td><td>${t.stage[d.stage]}</td><td class="num">${formatMoney(lang, d.content.businessCase?.requestedFromFund ?? 0)}</td></tr>`,
      )}</tbody>
    </table>`
    }
    ${links.length ? html`<nav aria-label="${t.fund.approvedPages}"><ul class="pager">${links}</ul></nav>` : ''}
  </section>`;
}
