import { checkbox, radioGroup, str, textArea } from '../forms';
import { html } from '../html';
import { dict } from '../../../i18n';
import { oneForm, yesOrNo, type TaskForm } from './form';

export const councilVote: TaskForm = {
  render: (c) => {
    const { lang, values: v, errors } = c;
    const t = dict(lang);
    return oneForm(
      c,
      html`${radioGroup({
        name: 'decision',
        legend: t.vote.legend,
        value: v.decision,
        errors,
        options: (['approve', 'reject', 'returnForChanges', 'conflictOfInterest'] as const).map((d) => ({ value: d, label: t.vote[d] })),
      })}
      ${textArea({ name: 'comment', label: t.vote.comment, hint: t.vote.commentHint, value: v.comment, errors })}`,
      t.vote.submit,
    );
  },
  read: (_lang, body) => ({ input: { decision: str(body, 'decision') || undefined, comment: str(body, 'comment') || undefined } }),
};

export const councilAttestation: TaskForm = {
  render: (c) => {
    const t = dict(c.lang);
    const { values: v, errors } = c;
    return yesOrNo(
      c,
      'attested',
      {
        value: 'true',
        legend: t.attest.attestLegend,
        fields: html`${checkbox({ name: 'withinMunicipalLaw', label: t.attest.law, checked: v.withinMunicipalLaw === 'yes', errors })}
          ${checkbox({ name: 'withinCityCouncilPriorities', label: t.attest.priorities, checked: v.withinCityCouncilPriorities === 'yes', errors })}
          ${textArea({ name: 'note', label: t.attest.note, hint: t.vote.commentHint, value: v.note, errors })}`,
        submit: t.attest.submit,
      },
      {
        value: 'false',
        legend: t.attest.declineLegend,
        explain: t.attest.declineExplain,
        fields: html`${textArea({ name: 'reason', label: t.attest.reason, value: v.reason, errors })}
          ${checkbox({ name: 'conflictOfInterest', label: t.attest.conflict, checked: v.conflictOfInterest === 'yes', errors })}`,
        submit: t.attest.declineSubmit,
      },
    );
  },
  read: (_lang, body) => ({
    input:
      str(body, 'attested') === 'true'
        ? {
            attested: true,
            withinMunicipalLaw: str(body, 'withinMunicipalLaw') === 'yes',
            withinCityCouncilPriorities: str(body, 'withinCityCouncilPriorities') === 'yes',
            note: str(body, 'note') || undefined,
          }
        : { attested: false, reason: str(body, 'reason'), ...(str(body, 'conflictOfInterest') === 'yes' ? { conflictOfInterest: true } : {}) },
  }),
};

/** Nothing to answer: the task closes by itself once the administrator has seated the council. */
export const councilComposition: TaskForm = {
  render: (c) => html`<p>${dict(c.lang).task.closesItself}</p>`,
  read: () => ({ input: {} }),
};
