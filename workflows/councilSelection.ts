import { condition, patched } from '@temporalio/workflow';
import { acts } from './activities';
import { seatCouncil } from './councilDecision';
import { selectionResult, tallySelection, type CouncilSelection, type SelectionAnswer, type SelectionSubject } from '../domain/councilSelection';
import type { Reason } from '../domain/refusals';
import type { StageContext } from './stageContext';

const taskKind = { award: 'awardDecision', investor: 'investorDecision' } as const;

/**
 * The council decides on a recommendation of the secretariat (domain/councilSelection.ts):
 * the council seated as for a proposal, a task per member, the tally as answers arrive,
 * the tasks left cancelled once it decides. The answers go on the recommendation only
 * then, so nobody reads another member's answer while the decision is open. The one who
 * recommended is told the outcome and the council's comments. In meeting voting the
 * tasks open once the recommendation is on a meeting's agenda, as a proposal's round.
 */
export async function councilSelection(
  ctx: StageContext,
  subject: SelectionSubject,
  recommendation: { number: number; by: string; meetingId?: string; council?: CouncilSelection },
  key: string,
): Promise<CouncilSelection> {
  const kind = taskKind[subject];
  // Meeting mode: the tasks open once the recommendation is on a meeting's agenda. A withdrawal interrupts the wait; it adds nothing to the history.
  // A meeting-mode decision opened at once before recommendations went on agendas replays as it ran (the patch marker); async mode asks nothing.
  if (ctx.votesAtMeeting && patched('selection-on-agenda')) await condition(() => recommendation.meetingId !== undefined);
  const { members } = await seatCouncil({ ...ctx, submittedBy: recommendation.by }, key);
  const council: CouncilSelection = (recommendation.council = { members, openedAt: ctx.now(), answers: [] });
  const tasks = await Promise.all(members.map((m) => ctx.openTask(kind, m, ctx.deadlines[kind], `${key}.${m}`, recommendation.number)));
  // Read from the tasks: a member's task moved to their replacement counts for the replacement.
  const seated = () => tasks.map((t) => t.assignee!);
  const answers = () =>
    tasks.flatMap((t) => {
      const answer = ctx.answerOf(t.id) as SelectionAnswer | undefined;
      return answer && t.completedBy && t.completedAt ? [{ memberId: t.completedBy, at: t.completedAt, ...answer }] : [];
    });
  let result = selectionResult(tallySelection(seated(), answers()));
  await condition(() => (result = selectionResult(tallySelection(seated(), answers()))) !== undefined);
  await ctx.cancelOpenTasks({ code: 'councilDecided' }, (t) => tasks.includes(t));

  Object.assign(council, { members: seated(), answers: answers(), result, decidedAt: ctx.now() });
  const comments = council.answers.flatMap((a) => (a.comments ? [a.comments] : []));
  const reason: Reason = result === 'approved' ? { code: 'selectionApproved', subject, comments } : { code: 'selectionReturned', subject, result: result!, comments };
  await ctx.record(`${subject === 'award' ? 'procurement' : 'contracting'}.councilDecision`, 'council', {
    recommendation: recommendation.number,
    result: council.result,
    answers: council.answers,
    reason,
  });
  await acts.notify({
    key: `${ctx.proposalId}.${key}.decided`,
    event: 'selectionDecided',
    proposalId: ctx.proposalId,
    to: { users: [recommendation.by], otherwise: 'secretariat' },
    reason,
  });
  return council;
}
