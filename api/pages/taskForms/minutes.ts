import { minutesOf } from '../../../domain/minutes';
import { str, textArea } from '../forms';
import { meetingWords } from '../../../i18n/meetings';
import { minutesDocument } from '../minutesDocument';
import { approveOrReturn, contextSection, type TaskForm } from './form';

/** The chair approves the minutes, which stand beside the form as the secretariat recorded them, or returns them saying what to correct. */
export const minutesApproval: TaskForm = {
  context: (c) => {
    const minutes = c.meeting && minutesOf(c.meeting);
    return minutes ? contextSection(meetingWords(c.lang).minutes, minutesDocument(c.lang, minutes, c.nameOf)) : '';
  },
  render: (c) => {
    const t = meetingWords(c.lang);
    const { values: v, errors } = c;
    return approveOrReturn(
      c,
      { legend: t.approveLegend, fields: textArea({ name: 'comment', label: t.note, value: v.comment, errors }), submit: t.approveMinutes },
      { legend: t.returnLegend, explain: t.returnExplain, fields: textArea({ name: 'corrections', label: t.corrections, value: v.corrections, errors }), submit: t.returnMinutes },
    );
  },
  read: (_lang, body) =>
    str(body, 'decision') === 'return'
      ? { input: { decision: 'return', comment: str(body, 'corrections') }, fieldOf: (path) => (path === 'comment' ? 'corrections' : path) }
      : { input: { decision: 'approve', comment: str(body, 'comment') || undefined } },
};
