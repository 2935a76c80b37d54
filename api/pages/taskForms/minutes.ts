import { minutesReturnRefusal } from '../../../domain/meeting';
import { minutesOf } from '../../../domain/minutes';
import { str, textArea } from '../forms';
import { html } from '../html';
import { formatDateTime, refusalWords } from '../../../i18n';
import { meetingWords } from '../../../i18n/meetings';
import { minutesDocument } from '../minutesDocument';
import { approveOrReturn, contextSection, oneForm, type TaskForm } from './form';

/**
 * The chair approves the minutes, which stand beside the form as the secretariat recorded
 * them (with what she last asked to correct), or returns them saying what to correct.
 */
export const minutesApproval: TaskForm = {
  context: (c) => {
    const minutes = c.meeting && minutesOf(c.meeting);
    if (!minutes) return '';
    const t = meetingWords(c.lang);
    const asked = c.meeting!.minutesReturns?.at(-1);
    return contextSection(
      t.minutes,
      html`${asked ? html`<p class="minutes-returned"><strong>${t.returnedBy(c.nameOf(asked.by), formatDateTime(c.lang, asked.at))}:</strong> ${asked.comment}</p>` : ''}
        ${minutesDocument(c.lang, minutes, c.nameOf)}`,
    );
  },
  render: (c) => {
    const t = meetingWords(c.lang);
    const { values: v, errors } = c;
    const remark = textArea({ name: 'comment', label: t.note, value: v.comment, errors });
    // Returned as often as they may be: only approving is left, and the form says why.
    const noMoreReturns = c.meeting && minutesReturnRefusal(c.meeting);
    if (noMoreReturns)
      return oneForm(c, html`<p class="hint">${refusalWords(c.lang, noMoreReturns)}</p><input type="hidden" name="decision" value="approve">${remark}`, t.approveMinutes);
    return approveOrReturn(
      c,
      { legend: t.approveLegend, fields: remark, submit: t.approveMinutes },
      { legend: t.returnLegend, explain: t.returnExplain, fields: textArea({ name: 'corrections', label: t.corrections, value: v.corrections, errors }), submit: t.returnMinutes },
    );
  },
  read: (_lang, body) =>
    str(body, 'decision') === 'return'
      ? { input: { decision: 'return', comment: str(body, 'corrections') }, fieldOf: (path) => (path === 'comment' ? 'corrections' : path) }
      : { input: { decision: 'approve', comment: str(body, 'comment') || undefined } },
};
