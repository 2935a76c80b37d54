import type { Ballot } from '../../domain/councilVote';
import { checkRecordedAgain, checkRecordedItem, membersOfRecord, type Meeting, type RecordedItem } from '../../domain/meeting';

const item = (decision: RecordedItem['decision'], conflicts: string[] = [], note?: string): RecordedItem => ({ itemId: 'i1', decision, conflicts, ...(note ? { note } : {}) });

const meeting = (status: Meeting['status']): Meeting => ({
  id: 'M-20261130-abcdef',
  kind: 'council',
  startsAt: '2026-11-30T09:00:00.000Z',
  status,
  plannedBy: 'sara.secretariat',
  agenda: [],
  record: { present: ['anne.chair', 'bo.member'], absent: ['cecilie.member'], items: [item('approve', ['bo.member'])], by: 'sara.secretariat', at: '2026-11-30T10:00:00.000Z' },
});

describe('recording a meeting again after the chair returned the minutes', () => {
  it('keeps the decision the votes gave at the meeting', () => {
    expect(checkRecordedAgain(item('reject'), item('approve'), { decided: true, decision: 'approve', conflicts: [] })).toEqual({
      refusal: { code: 'decisionAsRecorded', itemId: 'i1', decision: 'approve' },
    });
  });

  it('still checks against the votes while they are those of the meeting, keeping the conflicts they declared', () => {
    expect(checkRecordedAgain(item('approve', [], 'Rettet'), item('approve', ['bo.member']), { decided: true, decision: 'approve', conflicts: ['bo.member'] })).toEqual({
      recorded: item('approve', ['bo.member'], 'Rettet'),
    });
  });

  it('takes an item postponed at the meeting though its votes have decided since', () => {
    expect(checkRecordedAgain(item('postponed', [], 'Rettet'), item('postponed'), { decided: true, decision: 'approve', conflicts: ['cecilie.member'] })).toEqual({
      recorded: item('postponed', [], 'Rettet'),
    });
  });

  it('takes a report the council returned though it is before the council again', () => {
    expect(checkRecordedAgain(item('returnForChanges'), item('returnForChanges'), { decided: false })).toEqual({ recorded: item('returnForChanges') });
  });

  it('names the council as it sat at the meeting, also a member who has left since', () => {
    expect(membersOfRecord(meeting('minutesReturned'), ['anne.chair', 'bo.member', 'dorte.member'])).toEqual(['anne.chair', 'bo.member', 'cecilie.member']);
    expect(membersOfRecord(meeting('agendaSent'), ['anne.chair', 'bo.member', 'dorte.member'])).toEqual(['anne.chair', 'bo.member', 'dorte.member']);
  });
});

describe('a conflict of interest recorded for a member who voted', () => {
  const council = ['anne.chair', 'bo.member', 'cecilie.member'];
  const approve = (memberId: string): Ballot => ({ memberId, kind: 'vote', choice: 'approve' });
  const reject = (memberId: string): Ballot => ({ memberId, kind: 'vote', choice: 'reject' });
  const decided = (decision: RecordedItem['decision'], ballots: Ballot[]) => ({
    decided: true as const,
    decision,
    conflicts: ballots.flatMap((b) => (b.kind === 'conflictOfInterest' ? [b.memberId] : [])),
    votes: { members: council, ballots },
  });

  it('is refused when that vote carried the decision: two of three approved, and one of them is named', () => {
    expect(checkRecordedItem(item('approve', ['bo.member']), decided('approve', [approve('anne.chair'), approve('bo.member')]))).toEqual({
      refusal: { code: 'conflictedVoteCarried', itemId: 'i1', members: ['bo.member'] },
    });
  });

  it('is refused when, without it, the others were too few to decide', () => {
    const ballots: Ballot[] = [{ memberId: 'bo.member', kind: 'conflictOfInterest' }, approve('anne.chair'), approve('cecilie.member')];
    expect(checkRecordedItem(item('approve', ['anne.chair']), decided('approve', ballots))).toEqual({
      refusal: { code: 'conflictedVoteCarried', itemId: 'i1', members: ['anne.chair'] },
    });
  });

  it('is recorded when the decision stands without it', () => {
    const ballots = [approve('anne.chair'), approve('bo.member'), reject('cecilie.member')];
    expect(checkRecordedItem(item('approve', ['cecilie.member']), decided('approve', ballots))).toEqual({ recorded: item('approve', ['cecilie.member']) });
  });

  it('is recorded for a member who did not vote, and where no votes are known (an annual report)', () => {
    expect(checkRecordedItem(item('approve', ['cecilie.member']), decided('approve', [approve('anne.chair'), approve('bo.member')]))).toEqual({
      recorded: item('approve', ['cecilie.member']),
    });
    expect(checkRecordedItem(item('approve', ['bo.member']), { decided: true, decision: 'approve', conflicts: [] })).toEqual({ recorded: item('approve', ['bo.member']) });
  });
});
