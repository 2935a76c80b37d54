import { namedParams } from '../../api/pages/namedParams';

const names: Record<string, string> = { 'bo.member': 'Bo Lind', 'anne.chair': 'Anne Holm' };
const nameOf = (id: string) => names[id] ?? id;
const agenda = [
  { id: 'i1', title: 'Housing First' },
  { id: 'i3', title: 'Afrapportering 2026' },
];

describe('the parameters a page puts into its words', () => {
  it('names people by name and agenda items by the number and title the agenda shows', () => {
    expect(namedParams({ code: 'conflictedVoteCarried', itemId: 'i3', members: ['anne.chair', 'bo.member'] }, nameOf, agenda)).toEqual({
      code: 'conflictedVoteCarried',
      itemId: '2 (Afrapportering 2026)',
      members: ['Anne Holm', 'Bo Lind'],
    });
    expect(namedParams({ code: 'roleLost', userId: 'bo.member', role: 'councilMember' }, nameOf)).toEqual({ code: 'roleLost', userId: 'Bo Lind', role: 'councilMember' });
    expect(namedParams({ code: 'alreadyOnAgenda', caseId: '2026' }, nameOf, agenda, (id) => `Afrapportering ${id}`)).toEqual({
      code: 'alreadyOnAgenda',
      caseId: 'Afrapportering 2026',
    });
  });

  it('leaves what it cannot name as it is: an item no longer on the agenda, someone unknown, a reason of old text', () => {
    expect(namedParams({ code: 'votesOutstanding', itemId: 'i2' }, nameOf, agenda)).toEqual({ code: 'votesOutstanding', itemId: 'i2' });
    expect(namedParams({ code: 'notOnCouncil', userId: 'x.stranger' }, nameOf)).toEqual({ code: 'notOnCouncil', userId: 'x.stranger' });
    expect(namedParams('cancelled by the secretariat', nameOf)).toBe('cancelled by the secretariat');
  });
});
