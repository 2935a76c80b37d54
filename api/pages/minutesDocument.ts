import type { Minutes } from '../../domain/minutes';
import { html, type Html } from './html';
import { formatDateTime, type Lang } from '../../i18n';
import { meetingWords } from '../../i18n/meetings';
import { facts } from './layout';

/**
 * The minutes (referat) of a meeting as a document, worded in the reader's language
 * from the codes the record holds: who attended, each item with its decision paper,
 * the council's decision and who was recused. The meeting page shows it, the chair's
 * task puts it before the chair, and the minutes page is the document itself.
 */
export function minutesDocument(lang: Lang, m: Minutes, nameOf: (userId: string) => string): Html {
  const t = meetingWords(lang);
  const names = (ids: string[]) => ids.map(nameOf).join(', ');
  return html`<div class="minutes-document">
    ${facts([
      [t.kind, t.kinds[m.kind]],
      [t.when, formatDateTime(lang, m.startsAt)],
      [t.where, m.place],
      [t.video, m.videoLink],
      [t.present, names(m.present)],
      [t.absent, names(m.absent)],
    ])}
    ${
      m.approval
        ? html`<p class="byline">${t.minutesApproved(nameOf(m.approval.by), formatDateTime(lang, m.approval.at))}${m.approval.comment ? html` «${m.approval.comment}»` : ''}</p>`
        : html`<p class="byline"><strong>${t.minutesDraft}</strong></p>`
    }
    ${
      m.items.length === 0
        ? html`<p>${t.noDecisions}</p>`
        : m.items.map(
            (i) => html`<section aria-labelledby="item-${i.number}">
          <h2 id="item-${i.number}">${t.item(i.number)}: ${t.titleOf(i)}</h2>
          ${facts([
            [t.itemKind, t.itemKinds[i.kind]],
            [t.paper, html`<a href="${i.paperPath}">${i.caseId}</a>`],
            [t.decision, t.decisions[i.decision]],
            [t.conflicts, names(i.conflicts)],
            [t.note, i.note],
          ])}
        </section>`,
          )
    }
  </div>`;
}
