import type { TaskInput, TaskKind } from '../../domain/tasks';
import { dict, formatMoney, type Lang } from '../../i18n';

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
      if (a.attested) return { decision: t.decision.attested, text: a.note };
      return { decision: a.conflictOfInterest ? t.decision.conflictOfInterest : t.decision.declined, text: a.reason };
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
    case 'grantAgreement': {
      const g = input as TaskInput<'grantAgreement'>;
      return { decision: t.grantForm.answers.agreed(formatMoney(lang, g.amount), g.grantee, g.tranches.length), text: g.conditions };
    }
    case 'trancheConfirmation': {
      const c = input as TaskInput<'trancheConfirmation'>;
      return c.confirmed ? { decision: t.grantForm.answers.confirmed, text: c.note } : { decision: t.grantForm.answers.withheld, text: c.reason };
    }
    case 'grantFinalReport':
      return { decision: t.grantForm.answers.reported, text: (input as TaskInput<'grantFinalReport'>).summary };
    case 'awardDecision':
    case 'investorDecision': {
      const s = input as TaskInput<'awardDecision'>;
      return { decision: t.selectionForm.answers[s.decision], text: s.comments };
    }
    case 'contractSigning': {
      const s = input as TaskInput<'contractSigning'>;
      return s.signed ? { decision: t.contractForm.answers.signed, text: s.note } : { decision: t.contractForm.answers.declined, text: s.reason };
    }
    case 'outcomeReport': {
      const r = input as TaskInput<'outcomeReport'>;
      return { decision: `${t.outcomeForm.answers.reported}: ${unitsText(r.results.map((x) => [x.metric, x.unitsAchieved]))}` };
    }
    case 'outcomeVerification': {
      const v = input as TaskInput<'outcomeVerification'>;
      if (v.confirmed) return { decision: t.outcomeForm.answers.confirmed, text: v.note };
      return { decision: `${t.outcomeForm.answers.corrected}: ${unitsText(v.corrected.map((x) => [x.metric, x.units]))}`, text: v.note };
    }
    case 'savingsConfirmation': {
      const s = input as TaskInput<'savingsConfirmation'>;
      return { decision: t.outcomeForm.answers.savings(formatMoney(lang, s.realisedSavings)), text: s.note };
    }
    case 'contractFinalReport':
      return { decision: t.outcomeForm.answers.final, text: (input as TaskInput<'contractFinalReport'>).summary };
    case 'minutesApproval': {
      const a = input as TaskInput<'minutesApproval'>;
      return { decision: a.decision === 'approve' ? t.decision.approve : t.decision.returnForChanges, text: a.comment };
    }
    case 'minutesCorrection':
      return { decision: t.decision.recordedAgain };
    case 'reportApproval': {
      const a = input as TaskInput<'reportApproval'>;
      return { decision: a.decision === 'approve' ? t.decision.approve : t.decision.returnForChanges, text: a.comments };
    }
  }
  return { decision: '' };
}

const unitsText = (units: [string, number][]) => units.map(([metric, n]) => `${metric} ${n}`).join('; ');
