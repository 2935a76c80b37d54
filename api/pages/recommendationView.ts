import type { CouncilSelection } from '../../domain/councilSelection';
import { html, type Html } from './html';
import { dict, formatDateTime, formatMoney, type Lang } from '../../i18n';

type NameOf = (userId: string) => string;

/** A recommendation to the council as the pages show it: of a provider (award) or an investor. */
export interface RecommendationRow {
  number: number;
  /** Who is recommended: a supplier, or an investor. */
  recommended: string;
  amountOre: number;
  reasons: string;
  rationale?: string;
  by: string;
  at: string;
  council?: CouncilSelection;
}

/** The council's decision in words: each member's answer and comments, once it is decided; until then that it is with the council. */
export function councilDecisionText(lang: Lang, council: CouncilSelection | undefined, nameOf: NameOf): Html {
  const t = dict(lang).procurement;
  if (!council?.result) return html`${t.withCouncil}`;
  return html`<strong>${t.results[council.result]}</strong> (${formatDateTime(lang, council.decidedAt)})
    <ul>${council.answers.map((a) => html`<li>${nameOf(a.memberId)}: ${t.answers[a.decision]}${a.comments ? html` «${a.comments}»` : ''}</li>`)}</ul>`;
}

/** The secretariat's recommendations and the council's decision on each, newest last. */
export function recommendationsSection(lang: Lang, id: string, rows: RecommendationRow[], nameOf: NameOf): Html {
  const t = dict(lang).procurement;
  return html`<section aria-labelledby="${id}-title"><h2 id="${id}-title">${t.recommendationsTitle}</h2>
    <table class="data"><caption>${t.recommendationsTitle}</caption>
      <thead><tr><th scope="col" class="num">${t.number}</th><th scope="col">${t.recommended}</th><th scope="col" class="num">${t.price}</th><th scope="col">${t.reasons}</th><th scope="col">${t.awardedBy}</th><th scope="col">${t.councilDecision}</th></tr></thead>
      <tbody>${rows.map(
        (r) => html`<tr><td class="num">${r.number}</td><th scope="row">${r.recommended}</th><td class="num">${formatMoney(lang, r.amountOre)}</td>
          <td>${r.reasons}${r.rationale ? html`<br><span class="muted">${t.rationale}: ${r.rationale}</span>` : ''}</td>
          <td>${nameOf(r.by)}, ${formatDateTime(lang, r.at)}</td><td>${councilDecisionText(lang, r.council, nameOf)}</td></tr>`,
      )}</tbody>
    </table>
  </section>`;
}
