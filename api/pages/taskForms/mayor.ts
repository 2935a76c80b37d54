import { str, textArea } from '../forms';
import { dict } from '../i18n';
import { yesOrNo, type TaskForm } from './form';

export const mayoralApproval: TaskForm = {
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
