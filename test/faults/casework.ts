import { youthAnxietyGroups } from '../fixtures/proposals';
import type { FundClient } from './client';

/** A small direct-financing case (100,000 DKK), so dozens of them fit in the fund. */
export const smallGrantCase = (n: number) => ({
  ...youthAnxietyGroups,
  title: `Gruppeforløb mod angst, skole ${n}`,
  businessCase: { ...youthAnxietyGroups.businessCase!, totalCost: '150000', requestedFromFund: '100000' },
});

/** What each person answers, as the API takes it; the tranche's date is past, so it comes due at once. */
export const answers: Record<string, unknown> = {
  councilVote: { decision: 'approve' },
  councilAttestation: { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true },
  mayoralApproval: { decision: 'approve' },
  cooperationAgreement: { savingsShare: { kind: 'percentage', basisPoints: 3000 }, conditions: 'Efter revision' },
  grantAgreement: {
    grantee: 'Foreningen Ung i Aarhus',
    amount: '100000.00',
    tranches: [{ dueDate: '2025-06-01', amount: '100000.00', condition: 'Forløbene er startet' }],
    conditions: 'Tilskuddet bruges alene til gruppeforløbene.',
  },
  trancheConfirmation: { confirmed: true },
  grantFinalReport: { summary: 'Forløbene er gennemført.', resultsAchieved: 'Fraværet faldt.' },
};

interface OpenTask {
  id: string;
  proposalId: string;
  kind: string;
  assignee: string | null;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Works one case forward as its people would: whoever holds an open task answers
 * it (a pooled task nobody holds is claimed first), until the case reaches `until`.
 * All open tasks of the case are answered at once, so a council's votes race.
 */
export async function workCase(api: FundClient, id: string, until: string, opts: { timeoutMs?: number; onCompleted?: () => void } = {}) {
  const deadline = Date.now() + (opts.timeoutMs ?? 240_000);
  for (;;) {
    const p = await api.get('sara.secretariat', `/api/proposals/${id}`);
    if (p.status !== 200) throw new Error(`proposal ${id}: ${p.status} ${JSON.stringify(p.body)}`);
    if (p.body.stage === until) return;
    const open: OpenTask[] = p.body.openTasks;
    if (Date.now() > deadline) throw new Error(`${id} did not reach ${until}; it is in ${p.body.stage} with open tasks ${JSON.stringify(open)}`);
    if (open.length === 0) {
      await pause(300);
      continue;
    }
    await Promise.all(
      open.map(async (t) => {
        let user = t.assignee;
        if (user === null) {
          user = 'jonas.secretariat';
          if ((await api.claim(user, t.id, null)) !== 200) return;
        }
        const c = await api.complete(user, t, answers[t.kind]);
        if (c.outcome === 'done') opts.onCompleted?.();
      }),
    );
  }
}

/** Creates `count` cases and submits them. */
export async function newCases(api: FundClient, count: number, from: number) {
  const ids: string[] = [];
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const id = await api.create('sara.secretariat', smallGrantCase(from + i));
      await api.submit(id);
      ids.push(id);
    }),
  );
  return ids.sort();
}
