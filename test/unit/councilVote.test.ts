import { tallyCouncilVote, type Ballot } from '../../domain/councilVote';

const members = ['anne', 'bo', 'cecilie'];
const vote = (memberId: string, choice: 'approve' | 'reject' | 'returnForChanges'): Ballot => ({ memberId, kind: 'vote', choice });
const recuse = (memberId: string): Ballot => ({ memberId, kind: 'conflictOfInterest' });

describe('the council vote', () => {
  it('waits while no choice can carry', () => {
    expect(tallyCouncilVote(members, [])).toEqual({ status: 'pending' });
    expect(tallyCouncilVote(members, [vote('anne', 'approve')])).toEqual({ status: 'pending' });
  });

  it('is decided by two of three', () => {
    expect(tallyCouncilVote(members, [vote('anne', 'approve'), vote('bo', 'approve')])).toEqual({
      status: 'decided',
      outcome: 'approve',
      unanimous: false,
    });
    expect(tallyCouncilVote(members, [vote('anne', 'reject'), vote('bo', 'approve'), vote('cecilie', 'reject')])).toMatchObject({
      status: 'decided',
      outcome: 'reject',
    });
  });

  it('records no agreement when three members vote three ways', () => {
    expect(tallyCouncilVote(members, [vote('anne', 'reject'), vote('bo', 'approve'), vote('cecilie', 'returnForChanges')])).toEqual({
      status: 'noAgreement',
    });
  });

  it('needs both remaining members to agree when one is recused', () => {
    expect(tallyCouncilVote(members, [recuse('bo'), vote('anne', 'approve')])).toEqual({ status: 'pending' });
    expect(tallyCouncilVote(members, [recuse('bo'), vote('anne', 'approve'), vote('cecilie', 'approve')])).toEqual({
      status: 'decided',
      outcome: 'approve',
      unanimous: true,
    });
    expect(tallyCouncilVote(members, [recuse('bo'), vote('anne', 'approve'), vote('cecilie', 'reject')])).toEqual({
      status: 'noAgreement',
    });
  });

  it('cannot decide with fewer than two who can vote', () => {
    expect(tallyCouncilVote(members, [recuse('bo'), recuse('anne')])).toEqual({ status: 'cannotDecide', eligible: 1 });
  });

  it('ignores ballots from people not seated in the round', () => {
    expect(tallyCouncilVote(members, [vote('mallory', 'approve'), vote('anne', 'approve')])).toEqual({ status: 'pending' });
  });
});
