import { str, textArea } from '../forms';
import { html } from '../html';
import { facts } from '../layout';
import { dict, formatDateTime, formatMoney } from '../../../i18n';
import { contextSection, yesOrNo, type TaskForm } from './form';

/** A stopped case's money: release it to free capital or keep it, each with a reason. */
export const stoppedCaseReview: TaskForm = {
  context: ({ lang, stopped }) => {
    if (!stopped) return '';
    const t = dict(lang).stoppedReview;
    return contextSection(
      t.heldTitle,
      html`${facts([
        [t.reserved, formatMoney(lang, stopped.reservedOre)],
        [t.earmarked, formatMoney(lang, stopped.earmarkedOre)],
      ])}<p>${t.heldExplain(stopped.status, formatDateTime(lang, stopped.at))}</p>`,
    );
  },
  render: (c) => {
    const t = dict(c.lang).stoppedReview;
    // Each form's reason a field of its own: one id, one label, one error.
    const reason = (name: string) => textArea({ name, label: t.reason, value: c.values[name], errors: c.errors });
    return yesOrNo(
      c,
      'decision',
      { value: 'release', legend: t.releaseLegend, explain: t.releaseExplain, fields: reason('releaseReason'), submit: t.releaseSubmit },
      { value: 'keep', legend: t.keepLegend, explain: t.keepExplain, fields: reason('keepReason'), submit: t.keepSubmit },
    );
  },
  read: (_lang, body) => {
    const decision = str(body, 'decision') === 'keep' ? 'keep' : 'release';
    const field = `${decision}Reason`;
    return { input: { decision, reason: str(body, field) }, fieldOf: (path) => (path === 'reason' ? field : path) };
  },
};
