import { dict, type Lang } from '../../i18n';
import { html, type Html } from './html';

/**
 * What a person typed into a form that was refused and is no longer drawn (a colleague
 * moved the case on meanwhile), shown for them to copy: what reads as prose or a link, not
 * a choice's token or the form's own fields (`_csrf`, `_textFrom`).
 */
export function unsavedText(lang: Lang, values: Record<string, string> | undefined): Html | '' {
  const texts = Object.entries(values ?? {}).flatMap(([name, text]) => (!name.startsWith('_') && /\s|^https?:\/\//.test(text.trim()) ? [text.trim()] : []));
  if (texts.length === 0) return '';
  const t = dict(lang).task;
  return html`<aside class="task-answer" aria-labelledby="unsaved-title"><h2 id="unsaved-title">${t.notSaved}</h2><p>${t.notSavedHint}</p>
    ${texts.map((text) => html`<blockquote class="unsaved">${text}</blockquote>`)}</aside>`;
}
