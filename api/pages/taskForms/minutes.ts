import { minutesReturnRefusal } from '../../../domain/meeting';
import { minutesOf } from '../../../domain/minutes';
import { str, textArea } from '../forms';
import { html } from '../html';
import { dict, formatDateTime, refusalWords } from '../../../i18n';
import { meetingWords } from '../../../i18n/meetings';
import { minutesDocument } from '../minutesDocument';
import { approveOrReturn, contextSection, oneForm, type TaskForm } from './form';

/** The minutes as the secretariat recorded them, under what the chair last asked to correct. */
const minutesContext: TaskForm['context'] = (c) => {
  const minutes = c.meeting && minutesOf(c.meeting);
  if (!minutes) return '';
  const t = meetingWords(c.lang);
  const asked = c.meeting!.minutesReturns?.at(-1);
  return contextSection(
    t.minutes,
    html`${asked ? html`<p class="minutes-returned"><strong>${t.returnedBy(c.nameOf(asked.by), formatDateTime(c.lang, asked.at))}:</strong> ${asked.comment}</p>` : ''}
        ${minutesDocument(c.lang, minutes, c.nameOf)}`,
  );
};

/** The chair approves the minutes, which stand beside the form, or returns them saying what to correct. */
export const minutesApproval: TaskForm = {
  context: minutesContext,
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

/** Nothing to answer: the task closes by itself once the secretariat has recorded the meeting again, on the meeting's page. */
export const minutesCorrection: TaskForm = {
  context: minutesContext,
  render: (c) =>
    html`<p>${dict(c.lang).task.closesWhenRecorded}</p>
      ${c.meeting ? html`<p><a class="button" href="/meetings/${encodeURIComponent(c.meeting.id)}#record-title">${meetingWords(c.lang).recordAgain}</a></p>` : ''}`,
  read: () => ({ input: {} }),
};
