import type { Proposal } from '../../domain/proposal';
import type { LifecycleState } from '../../domain/lifecycleState';
import { isWebLink } from '../../domain/links';
import { html, type Html } from './html';
import { dict, type Lang } from '../../i18n';

interface CaseDocument {
  title: string;
  url: string;
}

/**
 * Every document the case refers to, wherever it was entered: the evidence behind
 * the motivation, the tender's documents (of every round), and the grant's final
 * report. The decision papers are on the page itself.
 */
export function caseDocuments(content: Proposal, state: LifecycleState | undefined): { group: 'evidence' | 'tender' | 'finalReport'; items: CaseDocument[] }[] {
  const evidence = (content.motivation?.evidence ?? []).flatMap((e) => (e.url ? [{ title: e.citation, url: e.url }] : []));
  const tender = state?.procurement?.tender?.documents ?? [];
  const finalReport = (state?.grant?.finalReport?.documents ?? []).map((url) => ({ title: url, url }));
  return [
    { group: 'evidence' as const, items: evidence },
    { group: 'tender' as const, items: tender },
    { group: 'finalReport' as const, items: finalReport },
  ].filter((g) => g.items.length > 0);
}

/** A document as a link, if its address is a web address; one stored before that rule is shown as text, never followed. */
export function documentLink(d: CaseDocument): Html {
  return isWebLink(d.url) ? html`<a href="${d.url}" rel="noopener noreferrer">${d.title}</a>` : html`${d.title} <code>${d.url}</code>`;
}

export function documentsSection(lang: Lang, content: Proposal, state: LifecycleState | undefined, papers: number): Html {
  const t = dict(lang).documents;
  const groups = caseDocuments(content, state);
  return html`<section aria-labelledby="documents-title"><h2 id="documents-title">${t.title}</h2>
    <ul class="documents">
      ${papers > 0 ? html`<li><a href="#papers-title">${t.papers(papers)}</a></li>` : ''}
      ${groups.map((g) => html`<li>${t.groups[g.group]}<ul>${g.items.map((d) => html`<li>${documentLink(d)}</li>`)}</ul></li>`)}
    </ul>
    ${papers === 0 && groups.length === 0 ? html`<p>${t.none}</p>` : ''}
  </section>`;
}
