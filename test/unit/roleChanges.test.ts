import { councilOf } from '../../domain/council';
import type { Person, Role } from '../../domain/people';
import { emailChangeRefusal, roleChangeRefusal, whyTaskMoves } from '../../domain/roleChanges';

const person = (id: string, roles: Role[], extra: Partial<Person> = {}): Person => ({ id, roles, active: true, ...extra });

/** The seeded people: three council members (one chairs), a mayor, two secretaries, a head per department, an administrator. */
const everyone: Person[] = [
  person('anne.chair', ['councilMember', 'councilChair']),
  person('bo.member', ['councilMember']),
  person('cecilie.member', ['councilMember']),
  person('mayor', ['mayor']),
  person('sara.secretariat', ['secretariat']),
  person('jonas.secretariat', ['secretariat']),
  person('msb.head', ['department'], { department: 'MSB' }),
  person('mso.head', ['department'], { department: 'MSO' }),
  person('hr.admin', ['administrator']),
];
const departments = ['MSB', 'MSO'];
const find = (id: string) => everyone.find((p) => p.id === id)!;
const change = (by: string, id: string, after: Partial<Person>) => roleChangeRefusal(by, { before: find(id), after: { ...find(id), ...after } }, everyone, departments);

describe('who may change whose roles', () => {
  it('lets nobody change their own roles, department or standing, but their name is theirs', () => {
    expect(change('hr.admin', 'hr.admin', { roles: ['administrator', 'mayor'] })).toEqual({ code: 'ownRoles' });
    expect(change('sara.secretariat', 'sara.secretariat', { roles: ['secretariat', 'councilChair'] })).toEqual({ code: 'ownRoles' });
    expect(change('jonas.secretariat', 'jonas.secretariat', { active: false })).toEqual({ code: 'ownRoles' });
    expect(change('msb.head', 'msb.head', { department: 'MSO' })).toEqual({ code: 'ownRoles' });
    expect(roleChangeRefusal('hr.admin', { before: find('hr.admin'), after: { ...find('hr.admin') } }, everyone, departments)).toBeUndefined();
  });

  it('keeps at least one holder of each role the process needs, and three council members', () => {
    expect(change('hr.admin', 'mayor', { active: false })).toEqual({ code: 'lastHolder', role: 'mayor', minimum: 1 });
    expect(change('hr.admin', 'anne.chair', { roles: ['councilMember'] })).toEqual({ code: 'lastHolder', role: 'councilChair', minimum: 1 });
    expect(change('hr.admin', 'bo.member', { roles: [] })).toEqual({ code: 'lastHolder', role: 'councilMember', minimum: 3 });
    expect(change('hr.admin', 'msb.head', { department: 'MSO' })).toEqual({ code: 'lastHolder', role: 'department', minimum: 1, department: 'MSB' });
    // One of two secretaries may go; the last may not.
    expect(change('hr.admin', 'jonas.secretariat', { active: false })).toBeUndefined();
    const withoutJonas = everyone.map((p) => (p.id === 'jonas.secretariat' ? { ...p, active: false } : p));
    expect(roleChangeRefusal('hr.admin', { before: find('sara.secretariat'), after: { ...find('sara.secretariat'), roles: [] } }, withoutJonas, departments)).toEqual({
      code: 'lastHolder',
      role: 'secretariat',
      minimum: 1,
    });
  });

  it('lets a council already short be mended, and a replacement come first', () => {
    const short = everyone.filter((p) => p.id !== 'cecilie.member');
    const dorte = person('dorte.member', ['councilMember']);
    expect(roleChangeRefusal('hr.admin', { after: dorte }, short, departments)).toBeUndefined();
    const four = [...everyone, dorte];
    expect(roleChangeRefusal('hr.admin', { before: find('bo.member'), after: { ...find('bo.member'), active: false } }, four, departments)).toBeUndefined();
  });
});

describe('which tasks leave a person', () => {
  it('moves a task whose role the person lost, or all of them when they are deactivated', () => {
    const bo = find('bo.member');
    expect(whyTaskMoves(bo, { role: 'councilMember' })).toBeUndefined();
    expect(whyTaskMoves({ ...bo, roles: [] }, { role: 'councilMember' })).toEqual({ code: 'roleLost', userId: 'bo.member', role: 'councilMember' });
    expect(whyTaskMoves({ ...bo, active: false }, { role: 'councilMember' })).toEqual({ code: 'holderDeactivated', userId: 'bo.member' });
    const head = find('msb.head');
    expect(whyTaskMoves(head, { role: 'department', department: 'MSB' })).toBeUndefined();
    expect(whyTaskMoves({ ...head, department: 'MSO' }, { role: 'department', department: 'MSB' })).toEqual({
      code: 'roleLost',
      userId: 'msb.head',
      role: 'department',
      department: 'MSB',
    });
  });
});

describe('the council a round asks', () => {
  it('is complete with exactly three active members, one of them the only chair', () => {
    expect(councilOf(everyone)).toEqual({ complete: true, members: ['anne.chair', 'bo.member', 'cecilie.member'], chair: 'anne.chair' });
    const dorte = person('dorte.member', ['councilMember']);
    expect(councilOf([...everyone, dorte])).toMatchObject({ complete: false, members: ['anne.chair', 'bo.member', 'cecilie.member', 'dorte.member'] });
    expect(councilOf(everyone.map((p) => (p.id === 'bo.member' ? { ...p, active: false } : p)))).toMatchObject({ complete: false });
    expect(councilOf([...everyone, person('bo.chair', ['councilChair'])])).toEqual({
      complete: false,
      members: ['anne.chair', 'bo.member', 'cecilie.member'],
      chairs: ['anne.chair', 'bo.chair'],
    });
  });
});

describe('a change of e-mail address, by which the Temporal UI knows a person', () => {
  const people = [
    { id: 'hr.admin', email: 'hr@example.dk', active: true },
    { id: 'ops', email: 'drift@example.dk', active: true },
    { id: 'gone', email: 'old@example.dk', active: false },
  ];
  it("is never one's own, and never an address another active person has", () => {
    expect(emailChangeRefusal('hr.admin', { before: people[0], after: { ...people[0], email: 'hr2@example.dk' } }, people)).toEqual({ code: 'ownEmail' });
    expect(emailChangeRefusal('hr.admin', { before: people[1], after: { ...people[1], email: 'HR@example.dk' } }, people)).toEqual({ code: 'emailTaken' });
    expect(emailChangeRefusal('hr.admin', { after: { id: 'ops.twin', email: 'drift@example.dk', active: true } }, people)).toEqual({ code: 'emailTaken' });
  });

  it('takes an address only someone inactive has, and holds up no change that keeps the address', () => {
    expect(emailChangeRefusal('hr.admin', { before: people[1], after: { ...people[1], email: 'old@example.dk' } }, people)).toBeUndefined();
    const shared = [...people, { id: 'ops2', email: 'drift@example.dk', active: true }];
    expect(emailChangeRefusal('hr.admin', { before: shared[3], after: { ...shared[3] } }, shared)).toBeUndefined();
    // Made active again, the person takes the address anew.
    expect(emailChangeRefusal('hr.admin', { before: { ...shared[3], active: false }, after: shared[3] }, shared)).toEqual({ code: 'emailTaken' });
  });
});
