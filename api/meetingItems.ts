import type { AgendaItemKind, CaseOutcome, ItemDecision } from '../domain/meeting';
import type { CouncilRound } from '../domain/lifecycleState';
import type { Store } from '../store';
import type { LifecycleClient } from './lifecycle';
import { conflict, notFound } from './problem';

/** How the API finds a case of one kind of agenda item, and the council's decision on it. */
interface AgendaCase {
  /** The case's title, if it awaits the council's decision: 404 if there is no such case, 409 if it does not await the council. */
  awaiting(caseId: string): Promise<string>;
  /** What the council's members decided on it by their own tasks, as far as they have; `meetingId` the meeting it was on. */
  outcome(caseId: string, meetingId: string): Promise<CaseOutcome>;
}

const roundDecision: Record<NonNullable<CouncilRound['result']>, ItemDecision> = {
  approve: 'approve',
  reject: 'reject',
  returnForChanges: 'returnForChanges',
  noAgreement: 'noAgreement',
  cannotDecide: 'cannotDecide',
  // The council approved; the approval fell afterwards (the fund, the chair's attestation), which the proposal's timeline tells.
  fundCannotCover: 'approve',
  attestationDeclined: 'approve',
};

/**
 * Each kind of agenda item: how its case is found and decided. A new kind (an award
 * recommendation, the choice of investor) is one entry here beside its member of
 * `agendaItemKinds` (domain/meeting.ts).
 */
export function agendaCases(store: Store, lifecycle: LifecycleClient): Record<AgendaItemKind, AgendaCase> {
  return {
    proposal: {
      async awaiting(caseId) {
        const doc = await store.proposals.findById(caseId, { content: 1, stage: 1 }).lean();
        if (!doc) throw notFound('proposal', caseId);
        if (doc.stage !== 'CouncilDecision') throw conflict({ code: 'notAwaitingCouncil', caseId });
        return (doc.content as { title: string }).title;
      },
      async outcome(caseId, meetingId) {
        const { rounds } = await lifecycle.state(caseId);
        // The round this meeting opened (meeting mode), else the newest.
        const round = rounds.find((r) => r.meetingId === meetingId) ?? rounds.at(-1);
        if (!round?.result) return { decided: false };
        const conflicts = round.ballots.flatMap((b) => (b.kind === 'conflictOfInterest' ? [b.memberId] : []));
        return { decided: true, decision: roundDecision[round.result], conflicts };
      },
    },
    annualReport: {
      async awaiting(caseId) {
        const year = Number(caseId);
        const doc = Number.isInteger(year) ? await store.reports.findById(year, { status: 1 }).lean() : null;
        if (!doc) throw notFound('report', caseId);
        if (doc.status !== 'awaitingCouncil') throw conflict({ code: 'notAwaitingCouncil', caseId });
        return `Afrapportering ${year}`;
      },
      async outcome(caseId) {
        const doc = await store.reports.findById(Number(caseId), { status: 1 }).lean();
        const status = doc?.status;
        if (status === 'approved' || status === 'sentToCityCouncil') return { decided: true, decision: 'approve', conflicts: [] };
        if (status === 'returned') return { decided: true, decision: 'returnForChanges', conflicts: [] };
        return { decided: false };
      },
    },
  };
}
