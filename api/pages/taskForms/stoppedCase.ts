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
    const reason = (name: string) => textArea({ name, label: t.reason, value: c.values[name], errors: c.errors });
    return yesOrNo(
      c,
      'decision',
      { value: 'release', legend: t.releaseLegend, explain: t.releaseExplain, fields: reason('reason'), submit: t.releaseSubmit },
      { value: 'keep', legend: t.keepLegend, explain: t.keepExplain, fields: reason('reason'), submit: t.keepSubmit },
    );
  },
  read: (_lang, body) => ({ input: { decision: str(body, 'decision') === 'keep' ? 'keep' : 'release', reason: str(body, 'reason') } }),
};
