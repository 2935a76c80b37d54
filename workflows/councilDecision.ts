import { condition, patched } from '@temporalio/workflow';
import { holderWhenOpening } from './holders';
import { acts } from './activities';
import { conflictedIn, tallyCouncilVote, type VoteChoice } from '../domain/councilVote';
import type { TaskInput } from '../domain/tasks';
import type { StageContext } from './stageContext';
import type { CouncilRound, TaskRef } from '../domain/lifecycleState';
import type { Reason } from '../domain/refusals';

/** `why` says what sent the proposal back when it was not the members' return: no agreement, the fund, or the chair's declined attestation. */
export type CouncilOutcome = { result: VoteChoice | 'cannotDecide'; comments: string[]; why?: Reason };

/** What a council round needs from the lifecycle around it. */
export type CouncilContext = Pick<
  StageContext,
  'proposalId' | 'state' | 'summary' | 'now' | 'today' | 'openTask' | 'openTasks' | 'awaitTask' | 'deadlines' | 'record' | 'cancelOpenTasks' | 'councilChanges'
> & {
  /** Who sent the proposal to the council: the secretary told when the council is not complete. */
  submittedBy: string;
  /** In meeting mode: the meeting whose agenda the round waits for, once it is on one. */
  agenda?: () => string | undefined;
};

/** What seating the council needs: the same for a round on a proposal and for a decision on a recommendation. */
export type SeatingContext = Pick<CouncilContext, 'proposalId' | 'state' | 'openTask' | 'deadlines' | 'record' | 'cancelOpenTasks' | 'councilChanges' | 'submittedBy'>;

/**
 * One council round (rådsbehandling) on the current decision paper: a vote task per
 * member, the tally as ballots arrive, the fund's check that it can cover the
 * proposal today, and the chair's attestation without which there is no approval.
 */
export async function councilDecision(ctx: CouncilContext, decisionPaperVersion: number): Promise<CouncilOutcome> {
  const { proposalId, state, now, today, deadlines } = ctx;
  const summary = ctx.summary();
  const number = state.rounds.length + 1;
  // Meeting mode: the votes open once the proposal is on a meeting's agenda. A withdrawal interrupts the wait; it adds nothing to the history.
  const agenda = ctx.agenda;
  if (agenda) await condition(() => agenda() !== undefined);
  const council = await seatCouncil(ctx, `r${number}`, number);
  const round: CouncilRound = {
    number,
    decisionPaperVersion,
    members: council.members,
    chair: council.chair,
    openedAt: now(),
    ballots: [],
    ...(agenda ? { meetingId: agenda() } : {}),
  };
  state.rounds.push(round);
  // Opened in one step: once the first vote can be cast, the workflow issues nothing more until all are open.
  await ctx.openTasks(
    council.members.map((member) => ({ kind: 'councilVote', assignee: member, dueInMs: deadlines.councilVote, key: `r${number}.councilVote.${member}`, round: number })),
  );
  let tally = tallyCouncilVote(round.members, round.ballots);
  await condition(() => (tally = tallyCouncilVote(round.members, round.ballots)).status !== 'pending');
  await ctx.cancelOpenTasks({ code: 'councilDecided' }, (t) => t.kind === 'councilVote' && t.round === number);
  const comments = round.ballots.flatMap((b) => (b.comment ? [b.comment] : []));

  if (tally.status === 'cannotDecide') {
    round.result = 'cannotDecide';
    return { result: 'cannotDecide', comments };
  }
  const result = tally.status === 'decided' ? tally.outcome : 'returnForChanges';
  round.result = tally.status === 'noAgreement' ? 'noAgreement' : result;
  // Without agreement the proposal goes back as a return does, told as what it was: no member's return carried it.
  if (tally.status === 'noAgreement') return { result, comments, why: { code: 'councilNoAgreement', comments } };
  if (result !== 'approve') return { result, comments };

  // The council cannot approve what the fund cannot cover today (seed §2, long-term balance).
  // The approval is earmarked in the ledger at once, so a round deciding at the same moment cannot take the same money.
  const booking = await acts.earmarkApproval({
    key: `${proposalId}.r${number}.earmark`,
    proposalId,
    amountOre: summary.requestedOre,
    date: today(),
    reason: `Rådets godkendelse: ${summary.title}`,
    by: 'council',
  });
  if (!booking.booked) {
    round.result = 'fundCannotCover';
    return { result: 'returnForChanges', comments, why: { code: 'fundCannotCover', availableOre: booking.availableOre, requestedOre: summary.requestedOre, comments } };
  }

  // Without the chair's attestation of legality and priorities there is no approval: the
  // chair as the council has it now, who may have changed since the round opened.
  const chair = await acts.resolveAssignee({ role: 'councilChair' });
  const { input: a, by, at } = await attestationOf(ctx, round, chair);
  round.attestation = { by, at, attested: a.attested, note: a.attested ? a.note : a.reason };
  if (!a.attested) {
    round.result = 'attestationDeclined';
    await acts.releaseEarmark({
      key: `${proposalId}.r${number}.earmark.release`,
      proposalId,
      date: today(),
      reason: 'Ingen attestation: øremærkningen frigives',
      by,
    });
    return { result: 'returnForChanges', comments, why: { code: 'attestationDeclined', text: a.reason, comments } };
  }
  return { result: 'approve', comments };
}

/**
 * The attestation: the chair's, or where she recused, a member's who voted. One asked who
 * declares a conflict of interest (a chair whose vote the others' decision made needless had
 * no other place to say so) is recorded as such, and the next member without one is asked, each
 * at most once; with nobody left, the last answer stands: declined, with its reason. Who
 * answered, not whom it was opened for: a new chair seated meanwhile takes the task over.
 */
async function attestationOf(ctx: CouncilContext, round: CouncilRound, chair: string): Promise<{ input: TaskInput<'councilAttestation'>; by: string; at: string }> {
  const recused = new Set(conflictedIn(round));
  let attester = recused.has(chair) ? ((await memberToAttest(round, recused)) ?? chair) : chair;
  for (let asked = 1; ; asked++) {
    const key = asked === 1 ? `r${round.number}.councilAttestation` : `r${round.number}.councilAttestation.${asked}`;
    // The chair's task is the first; any after it is a member's, whoever chairs by then.
    const role = asked === 1 && attester === chair ? 'councilChair' : 'councilMember';
    const { input, at, actor } = await ctx.awaitTask(await ctx.openTask('councilAttestation', attester, ctx.deadlines.councilAttestation, key, round.number, role));
    const answer = { input: input as TaskInput<'councilAttestation'>, by: actor.userId, at };
    if (answer.input.attested || !answer.input.conflictOfInterest) return answer;
    (round.attestationConflicts ??= []).push({ by: actor.userId, at, reason: answer.input.reason });
    recused.add(actor.userId);
    const next = await memberToAttest(round, recused);
    if (next === undefined) return answer;
    attester = next;
  }
}

/**
 * Who attests for a recused chair (or one who declared a conflict when asked to attest): the
 * first of the round's members who did not recuse and still sits on the council, else one
 * seated since, if any. One who left since voting cannot answer, and nothing would move the
 * task to the member who replaced them. (Patched: a history that asked the first who did not
 * recuse, seated or not, replays as it ran.)
 */
async function memberToAttest(round: CouncilRound, recused: Set<string>): Promise<string | undefined> {
  if (!patched('attester-still-seated')) return round.members.find((m) => !recused.has(m));
  const seated = (await acts.councilComposition()).members;
  return round.members.find((m) => !recused.has(m) && seated.includes(m)) ?? seated.find((m) => !recused.has(m));
}

/**
 * The council a round asks: exactly three active members, one of them the chair. Until
 * it is, the round waits and the secretary who submitted has a task saying so; each
 * change of the council's roles (a signal from the API) makes it look again, and once
 * the council is complete the task closes and the votes open. The history grows only
 * with the administrator's changes while the round waits.
 */
export async function seatCouncil(ctx: SeatingContext, key: string, round?: number): Promise<{ members: string[]; chair: string }> {
  const taskId = `${ctx.proposalId}.${key}.councilComposition`;
  const isWaiting = (t: TaskRef) => t.id === taskId && t.status === 'open';
  for (;;) {
    const seen = ctx.councilChanges();
    const council = await acts.councilComposition();
    const waiting = ctx.state.tasks.some(isWaiting);
    if (council.complete) {
      if (waiting) await ctx.cancelOpenTasks({ code: 'councilComplete' }, isWaiting);
      return council;
    }
    if (!waiting) {
      await ctx.record('councilIncomplete', 'system', { round, members: council.members, chairs: council.chairs });
      // A round on the agenda of a later meeting may open weeks after it was submitted: to the submitter while in the secretariat.
      const secretary = await holderWhenOpening('composition-task-to-current-secretariat', { role: 'secretariat', preferring: ctx.submittedBy });
      await ctx.openTask('councilComposition', secretary, ctx.deadlines.councilComposition, `${key}.councilComposition`, round);
      // The API signals only rounds whose task it can see: a change made before the task was written is caught by looking again.
      continue;
    }
    await condition(() => ctx.councilChanges() > seen);
  }
}
