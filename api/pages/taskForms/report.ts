import { str, textArea } from '../forms';
import { dict } from '../../../i18n';
import { reportDocument } from '../reportDocument';
import { approveOrReturn, contextSection, type TaskForm } from './form';

/** A council member's answer on the annual report: approve, or return it saying what to change; the draft stands beside it. */
export const reportApproval: TaskForm = {
  context: (c) => (c.report ? contextSection(dict(c.lang).report.approval.context, reportDocument(c.lang, c.report)) : ''),
  render: (c) => {
    const t = dict(c.lang).report.approval;
    const { values: v, errors } = c;
    return approveOrReturn(
      c,
      {
        legend: t.approveLegend,
        fields: textArea({ name: 'approveComments', label: t.comments, hint: t.commentsHint, value: v.approveComments, errors }),
        submit: t.approveSubmit,
      },
      { legend: t.returnLegend, explain: t.returnExplain, fields: textArea({ name: 'comments', label: t.comments, value: v.comments, errors }), submit: t.returnSubmit },
    );
  },
  read: (_lang, body) =>
    str(body, 'decision') === 'return'
      ? { input: { decision: 'return', comments: str(body, 'comments') } }
      : { input: { decision: 'approve', comments: str(body, 'approveComments') || undefined }, fieldOf: (path) => (path === 'comments' ? 'approveComments' : path) },
};
