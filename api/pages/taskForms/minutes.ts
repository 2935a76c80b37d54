import { minutesOf } from '../../../domain/minutes';
import { str, textArea } from '../forms';
import { csrfField } from '../csrf';
import { html } from '../html';
import { meetingWords } from '../../../i18n/meetings';
import { minutesDocument } from '../minutesDocument';
import { contextSection, type TaskForm } from './form';

/** The chair approves the minutes, which stand beside the form as the secretariat recorded them. */
export const minutesApproval: TaskForm = {
  context: (c) => {
    const minutes = c.meeting && minutesOf(c.meeting);
    return minutes ? contextSection(meetingWords(c.lang).minutes, minutesDocument(c.lang, minutes, c.nameOf)) : '';
  },
  render: (c) => {
    const t = meetingWords(c.lang);
    return html`<form method="post" action="${c.action}" novalidate class="stacked-form">
      ${csrfField(c.req)}
      ${textArea({ name: 'comment', label: t.note, value: c.values.comment, errors: c.errors })}
      <button type="submit">${t.approveMinutes}</button>
    </form>`;
  },
  read: (_lang, body) => ({ input: { decision: 'approve', comment: str(body, 'comment') || undefined } }),
};
