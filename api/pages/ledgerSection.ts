import type { LedgerRow } from '../../store/ledgerRows';
import { html, type Html } from './html';
import { dict, formatDate, formatMoney, type Lang } from '../../i18n';

/** The ledger's entries, newest first, a page at a time; the links keep the reader's filters. */
export function ledgerSection(lang: Lang, o: { total: number; entries: LedgerRow[]; page: number; pageSize: number; query: URLSearchParams }): Html {
  const t = dict(lang).fund;
  const first = (o.page - 1) * o.pageSize + 1;
  const last = first + o.entries.length - 1;
  const pageLink = (page: number, label: string, rel: string) => {
    const q = new URLSearchParams(o.query);
    q.set('page', String(page));
    return html`<li><a href="/fund?${q.toString()}#ledger-title" rel="${rel}">${label}</a></li>`;
  };
  const links = [
    o.page > 1 && o.entries.length > 0 ? pageLink(o.page - 1, t.newer, 'prev') : '',
    o.entries.length === 0 && o.page > 1 ? pageLink(1, t.firstPage, 'first') : '',
    last < o.total ? pageLink(o.page + 1, t.older, 'next') : '',
  ].filter(Boolean);

  return html`<section aria-labelledby="ledger-title">
    <h2 id="ledger-title">${t.ledger}</h2>
    ${
      o.entries.length === 0
        ? html`<p>${t.noEntries}</p>`
        : html`<table class="data ledger">
      <caption>${t.shown(first, last, o.total)}, ${t.ledgerCaption}</caption>
      <thead><tr><th scope="col" class="num">${t.seq}</th><th scope="col">${t.date}</th><th scope="col">${t.kind}</th><th scope="col">${dict(lang).inbox.proposal}</th><th scope="col">${t.text}</th><th scope="col" class="num">${t.amount}</th><th scope="col" class="num">${t.freeAfter}</th></tr></thead>
      <tbody>${o.entries.map(
        (
          e,
        ) => html`<tr><td class="num">${e.seq}</td><td>${formatDate(lang, e.date)}</td><td>${t.kinds[e.kind] ?? e.kind}${e.fromReservation ? html` <span class="muted">(${t.fromReservation})</span>` : ''}</td>
          <td>${e.proposalId ? html`<a href="/proposals/${encodeURIComponent(e.proposalId)}">${e.proposalId}</a>` : ''}</td>
          <td lang="da">${e.reason}${e.counterpart ? ` (${e.counterpart})` : ''}</td><td class="num">${formatMoney(lang, e.amountOre)}</td><td class="num">${formatMoney(lang, e.balancesAfter.freeOre)}</td></tr>`,
      )}</tbody>
    </table>`
    }
    ${links.length ? html`<nav aria-label="${t.pages}"><ul class="pager">${links}</ul></nav>` : ''}
  </section>`;
}
