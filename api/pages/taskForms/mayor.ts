import { str, textArea } from '../forms';
import { dict } from '../../../i18n';
import { html } from '../html';
import { contextSection, yesOrNo, type TaskForm } from './form';

export const mayoralApproval: TaskForm = {
  usesState: true,
  // The council may have decided before every member voted: the mayor is told who did not.
  context: ({ lang, state, nameOf }) => {
    const round = state?.rounds.at(-1);
    const absent = round?.members.filter((m) => !round.ballots.some((b) => b.memberId === m)) ?? [];
    if (absent.length === 0) return '';
    const t = dict(lang).mayor;
    return contextSection(t.councilTitle, html`<p>${t.absent(absent.map(nameOf))}</p>`);
  },
  render: (c) => {
    const t = dict(c.lang);
    const { values: v, errors } = c;
    return yesOrNo(
      c,
      'decision',
      {
        value: 'approve',
        legend: t.mayor.approveLegend,
        fields: textArea({ name: 'comment', label: t.mayor.comment, hint: t.vote.commentHint, value: v.comment, errors }),
        submit: t.mayor.approveSubmit,
      },
      { value: 'refuse', legend: t.mayor.refuseLegend, fields: textArea({ name: 'reason', label: t.mayor.reason, value: v.reason, errors }), submit: t.mayor.refuseSubmit },
    );
  },
  read: (_lang, body) => ({
    input: str(body, 'decision') === 'refuse' ? { decision: 'refuse', reason: str(body, 'reason') } : { decision: 'approve', comment: str(body, 'comment') || undefined },
  }),
};
