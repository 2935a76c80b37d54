import type { TaskInput, TaskKind } from '../../workflows/domain/tasks';
import { dict, formatMoney, type Lang } from './i18n';

/** A completed task's answer in words: what was decided, and the comment, reason, note or conditions. */
export function describeAnswer(lang: Lang, kind: string, input: unknown): { decision: string; text?: string } {
  const t = dict(lang);
  if (!input || typeof input !== 'object') return { decision: '' };
  switch (kind as TaskKind) {
    case 'councilVote': {
      const v = input as TaskInput<'councilVote'>;
      return { decision: t.decision[v.decision] ?? v.decision, text: v.comment };
    }
    case 'councilAttestation': {
      const a = input as TaskInput<'councilAttestation'>;
      return a.attested ? { decision: t.decision.attested, text: a.note } : { decision: t.decision.declined, text: a.reason };
    }
    case 'mayoralApproval': {
      const m = input as TaskInput<'mayoralApproval'>;
      return m.decision === 'approve' ? { decision: t.decision.approve, text: m.comment } : { decision: t.decision.refuse, text: m.reason };
    }
    case 'cooperationAgreement': {
      const c = input as TaskInput<'cooperationAgreement'>;
      const share =
        c.savingsShare.kind === 'percentage'
          ? t.basisPoints(c.savingsShare.basisPoints)
          : c.savingsShare.perYear.map((y) => `${t.agreement.year(y.year)}: ${formatMoney(lang, y.amount)}`).join('; ');
      return { decision: `${t.decision.agreement}: ${share}`, text: c.conditions };
    }
  }
  return { decision: '' };
}
