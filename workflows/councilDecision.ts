import { patched } from '@temporalio/workflow';
import { acts } from './activities';
import { tallyCouncilVote, type VoteChoice } from '../domain/councilVote';
import type { TaskInput } from '../domain/tasks';
import type { DeadlineSettings } from './input';
import type { StageContext } from './stageContext';
import type { CouncilRound, TaskRef } from '../domain/lifecycleState';
import type { Reason } from '../domain/refusals';

/** `why` says what sent an approved proposal back: the fund, or the chair's declined attestation. */
export type CouncilOutcome = { result: VoteChoice | 'cannotDecide'; comments: string[]; why?: Reason };

/** What a council round needs from the lifecycle around it. */
export type CouncilContext = Pick<StageContext, 'proposalId' | 'state' | 'summary' | 'now' | 'until' | 'openTask' | 'awaitTask'> & {
  deadlines: Pick<DeadlineSettings, 'councilVote' | 'councilAttestation'>;
  cancelOpenTasks(reason: Reason, which: (t: TaskRef) => boolean): Promise<void>;
};

/**
 * One council round (rådsbehandling) on the current decision paper: a vote task per
 * member, the tally as ballots arrive, the fund's check that it can cover the
 * proposal today, and the chair's attestation without which there is no approval.
 */
export async function councilDecision(ctx: CouncilContext, decisionPaperVersion: number): Promise<CouncilOutcome> {
  const { proposalId, state, now, until, openTask, awaitTask, deadlines } = ctx;
  const summary = ctx.summary();
  const number = state.rounds.length + 1;
  const council = await acts.councilComposition();
  const round: CouncilRound = {
    number,
    decisionPaperVersion,
    members: council.members,
    chair: council.chair,
    openedAt: now(),
    ballots: [],
  };
  state.rounds.push(round);
  for (const member of council.members) {
    await openTask('councilVote', member, deadlines.councilVote, `r${number}.councilVote.${member}`, number);
  }
  let tally = tallyCouncilVote(round.members, round.ballots);
  await until(() => (tally = tallyCouncilVote(round.members, round.ballots)).status !== 'pending');
  await ctx.cancelOpenTasks({ code: 'councilDecided' }, (t) => t.kind === 'councilVote' && t.round === number);
  const comments = round.ballots.flatMap((b) => (b.comment ? [b.comment] : []));

  if (tally.status === 'cannotDecide') {
    round.result = 'cannotDecide';
    return { result: 'cannotDecide', comments };
  }
  const result = tally.status === 'decided' ? tally.outcome : 'returnForChanges';
  round.result = tally.status === 'noAgreement' ? 'noAgreement' : result;
  if (result !== 'approve') return { result, comments };

  // The council cannot approve what the fund cannot cover today (seed §2, long-term balance).
  if (patched('council-fund-check')) {
    const fund = await acts.fundPosition({ proposalId });
    if (fund.availableOre < summary.requestedOre) {
      round.result = 'fundCannotCover';
      return { result: 'returnForChanges', comments, why: { code: 'fundCannotCover', availableOre: fund.availableOre, requestedOre: summary.requestedOre, comments } };
    }
  }

  // Without the chair's attestation of legality and priorities there is no approval.
  // A recused chair cannot attest; the first member who voted does.
  const recused = new Set(round.ballots.filter((b) => b.kind === 'conflictOfInterest').map((b) => b.memberId));
  const attester = recused.has(round.chair) ? round.members.find((m) => !recused.has(m))! : round.chair;
  const task = await openTask('councilAttestation', attester, deadlines.councilAttestation, `r${number}.councilAttestation`, number);
  const { input: attestation, at } = await awaitTask(task);
  const a = attestation as TaskInput<'councilAttestation'>;
  round.attestation = { by: attester, at, attested: a.attested, note: a.attested ? a.note : a.reason };
  if (!a.attested) {
    round.result = 'attestationDeclined';
    return { result: 'returnForChanges', comments, why: { code: 'attestationDeclined', text: a.reason, comments } };
  }
  return { result: 'approve', comments };
}
