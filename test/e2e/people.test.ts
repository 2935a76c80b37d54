import { housingFirst } from '../fixtures/proposals';
import { workflowIdFor } from '../../workflows/input';
import { eventually } from '../support/eventually';
import { pageVisitor } from '../support/pageVisitor';
import { startStack, type Stack } from '../support/stack';

/**
 * Separation of duties on the real servers: the administrator (IT and HR) manages
 * people, nobody their own roles, and no change leaves a role the process needs
 * without holders. A council round opens only with three members of whom one chairs,
 * and a task follows its role: a vote whose member leaves the council goes to the
 * member who replaced them.
 */
describe('people, roles and who may grant them', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('people');
  });
  afterAll(() => stack?.stop());

  const newMember = (id: string, name: string) => ({ id, name, email: `${id}@example.dk`, roles: ['councilMember'] });

  it('lets only the administrator grant roles, never to themself, and never take the last holder of a needed role', async () => {
    const [sara, admin, ops] = await Promise.all(['sara.secretariat', 'hr.admin', 'ops'].map((u) => stack.as(u)));

    // A secretary cannot make herself chair and mayor, nor add a council member.
    const selfGrant = await sara.put('/api/users/sara.secretariat', { roles: ['secretariat', 'councilChair', 'mayor'] });
    expect(selfGrant.status).toBe(403);
    expect(selfGrant.body).toMatchObject({ code: 'needsRole', params: { roles: ['administrator'] } });
    expect((await sara.post('/api/users', newMember('dorte.member', 'Dorte Berg'))).status).toBe(403);
    expect((await sara.put('/api/users/jonas.secretariat', { active: false })).status).toBe(403);
    // Nor can the administrator give themself authority.
    const adminSelf = await admin.put('/api/users/hr.admin', { roles: ['administrator', 'mayor'] });
    expect(adminSelf.status).toBe(403);
    expect(adminSelf.body.code).toBe('ownRoles');
    expect((await stack.as('sara.secretariat').then((s) => s.get('/api/me'))).body.roles).toEqual(['secretariat']);

    const created = await admin.post('/api/users', newMember('dorte.member', 'Dorte Berg'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'dorte.member', roles: ['councilMember'], active: true });
    // The same addition sent again (its answer lost to an outage after the person was written) stands; another one is refused.
    expect((await admin.post('/api/users', newMember('dorte.member', 'Dorte Berg'))).status).toBe(201);
    expect((await admin.post('/api/users', newMember('dorte.member', 'Dorte Holm'))).body).toMatchObject({ status: 409, code: 'userExists' });
    expect(await stack.store.roleChanges.countDocuments({ userId: 'dorte.member' })).toBe(1);

    // A record written past the API without a standing (an old import, a hand edit) holds no role: the sign-in refuses it, so it stands in for nobody.
    await stack.store.users.collection.insertOne({ _id: 'imported.mayor', name: 'Imported', email: 'imported.mayor@example.dk', roles: ['mayor'] } as never);
    for (const [id, body, role, minimum] of [
      ['mayor', { active: false }, 'mayor', 1],
      ['anne.chair', { roles: ['councilMember'] }, 'councilChair', 1],
      ['msb.head', { department: 'MSO' }, 'department', 1],
    ] as const) {
      const refused = await admin.put(`/api/users/${id}`, body);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'lastHolder', params: { role, minimum } });
    }
    await stack.store.users.deleteOne({ _id: 'imported.mayor' });
    // Of four members one may leave; then no other.
    expect((await admin.put('/api/users/cecilie.member', { roles: [] })).status).toBe(200);
    const third = await admin.put('/api/users/bo.member', { active: false });
    expect(third.status).toBe(409);
    expect(third.body).toMatchObject({ code: 'lastHolder', params: { role: 'councilMember', minimum: 3 } });

    // Every change is on record, for operators to see: who, when, before, after; the seed's as `configuration`.
    expect((await sara.get('/api/role-changes')).status).toBe(403);
    const record = await ops.get('/api/role-changes');
    expect(record.status).toBe(200);
    expect(record.body.items.slice(0, 2)).toMatchObject([
      {
        userId: 'cecilie.member',
        by: 'hr.admin',
        before: { roles: ['councilMember'], department: null, active: true },
        after: { roles: [], department: null, active: true },
      },
      { userId: 'dorte.member', by: 'hr.admin', before: null, after: { roles: ['councilMember'], active: true } },
    ]);
    expect(Date.parse(record.body.items[0].at)).toBeGreaterThan(Date.now() - 60_000);
    const seeded = await ops.get('/api/role-changes?userId=mayor');
    expect(seeded.body.items).toMatchObject([{ userId: 'mayor', by: 'configuration', before: null, after: { roles: ['mayor'], active: true } }]);
    // One entry per person seeded, and the two changes made: the refused ones left nothing behind.
    expect(record.body.total).toBe(stack.config.people.users.length + 2);
  });

  it("records a change of someone's e-mail address, by which the Temporal UI knows an operator, without the addresses", async () => {
    const [admin, ops] = await Promise.all(['hr.admin', 'ops'].map((u) => stack.as(u)));
    expect((await admin.put('/api/users/ops', { email: 'drift.ny@example.dk' })).status).toBe(200);
    const record = await ops.get('/api/role-changes?userId=ops');
    const [change] = record.body.items;
    expect(change).toMatchObject({ userId: 'ops', by: 'hr.admin', emailChanged: true });
    expect(change.before).toEqual(change.after);
    expect(JSON.stringify(record.body)).not.toContain('@');
    // A change that leaves the address as it is puts nothing on record.
    expect((await admin.put('/api/users/ops', { email: 'drift.ny@example.dk', name: 'Drift' })).status).toBe(200);
    expect((await ops.get('/api/role-changes?userId=ops')).body.total).toBe(record.body.total);
    expect(record.body.items.slice(1).every((c: { emailChanged: boolean }) => !c.emailChanged)).toBe(true);

    // Nobody changes their own address, and no two active people share one: an administrator cannot
    // free theirs and give it to an operator's record, or a new one, to decrypt alone.
    const me = (await admin.get('/api/me')).body as { userId: string };
    const own = await admin.put(`/api/users/${me.userId}`, { email: 'admin.ny@example.dk' });
    expect({ status: own.status, code: own.body.code }).toEqual({ status: 403, code: 'ownEmail' });
    const adminAddress = (await admin.get('/api/users?pageSize=100')).body.items.find((u: { id: string }) => u.id === me.userId).email as string;
    const taken = await admin.put('/api/users/ops', { email: adminAddress.toUpperCase() });
    expect({ status: taken.status, code: taken.body.code }).toEqual({ status: 409, code: 'emailTaken' });
    const twin = await admin.post('/api/users', { id: 'ops.twin', name: 'Drift 2', email: adminAddress, roles: ['operator'] });
    expect({ status: twin.status, code: twin.body.code }).toEqual({ status: 409, code: 'emailTaken' });
  });

  it('changes only what a change names: a deactivated person stays so, and an emptied department is gone', async () => {
    const admin = await stack.as('hr.admin');
    const personOf = async (id: string) => (await admin.get('/api/users?pageSize=200')).body.items.find((u: { id: string }) => u.id === id);
    expect((await admin.post('/api/users', { id: 'erik.head', name: 'Erik Holm', email: 'erik.holm@example.dk', roles: ['department'], department: 'MSO' })).status).toBe(201);
    expect((await admin.put('/api/users/erik.head', { active: false })).status).toBe(200);
    // Months later the administrator corrects his name: he is not let back in by it.
    const renamed = await admin.put('/api/users/erik.head', { name: 'Erik Holm Madsen' });
    expect(renamed.body).toMatchObject({ name: 'Erik Holm Madsen', active: false });
    expect(await personOf('erik.head')).toMatchObject({ active: false, department: 'MSO' });
    // An empty department removes it, as the answer says; given the department role again, he must be given a department too.
    const cleared = await admin.put('/api/users/erik.head', { roles: ['secretariat'], department: '' });
    expect(cleared.body).toMatchObject({ roles: ['secretariat'], department: null });
    expect(await personOf('erik.head')).toMatchObject({ department: null, active: false });
    const noDepartment = await admin.put('/api/users/erik.head', { roles: ['department'] });
    expect(noDepartment.status).toBe(400);
    expect(noDepartment.body.errors).toEqual([expect.objectContaining({ field: 'department', code: 'unknownDepartment' })]);
  });

  it('of two administrators taking the last two secretaries at once, lets one through', async () => {
    const admin = await stack.as('hr.admin');
    for (let attempt = 0; attempt < 3; attempt++) {
      const answers = await Promise.all(['sara.secretariat', 'jonas.secretariat'].map((id) => admin.put(`/api/users/${id}`, { active: false })));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
      expect(await stack.store.users.countDocuments({ roles: 'secretariat', active: true })).toBe(1);
      const gone = answers[0].status === 200 ? 'sara.secretariat' : 'jonas.secretariat';
      expect((await admin.put(`/api/users/${gone}`, { active: true })).status).toBe(200);
    }
  });
});

describe('a council round and the roles of its members', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('council-roles');
  });
  afterAll(() => stack?.stop());

  const openTasks = (proposalId: string, kind: string) => stack.store.tasks.find({ proposalId, kind, status: 'open' }).sort({ _id: 1 }).lean();

  it('waits for a council of three with one chair, and gives a departed member’s vote to the one who replaced them', async () => {
    const [sara, admin] = await Promise.all(['sara.secretariat', 'hr.admin'].map((u) => stack.as(u)));
    expect((await admin.post('/api/users', { id: 'dorte.member', name: 'Dorte Berg', email: 'dorte.berg@example.dk', roles: ['councilMember'] })).status).toBe(201);

    // Four members: the round does not open; the secretary who submitted is told to have the council seated.
    const { body } = await sara.post('/api/proposals', housingFirst);
    const id: string = body.id;
    expect((await sara.post(`/api/proposals/${id}/submit`)).body.stage).toBe('CouncilDecision');
    const [waiting] = await eventually(async () => {
      const tasks = await openTasks(id, 'councilComposition');
      expect(tasks).toHaveLength(1);
      return tasks;
    });
    expect(waiting).toMatchObject({ assignee: 'sara.secretariat', role: 'secretariat' });
    expect(await stack.smtp.waitFor('sara.friis', /^Ny opgave: Housing First/)).toBeDefined();
    expect(await openTasks(id, 'councilVote')).toEqual([]);
    const answered = await sara.post(`/api/tasks/${encodeURIComponent(waiting._id)}/complete`, {});
    expect(answered.status).toBe(409);
    expect(answered.body.code).toBe('closesItself');
    const shown = await sara.get(`/api/proposals/${id}`);
    expect(shown.body.timeline.find((e: { type: string }) => e.type === 'councilIncomplete')).toMatchObject({
      details: { round: 1, members: ['anne.chair', 'bo.member', 'cecilie.member', 'dorte.member'], chairs: ['anne.chair'] },
    });

    // A change that leaves the council as it sits (a member's name, a chair kept) is no reason for the round to look again: each look is in its history.
    const signals = async () =>
      ((await stack.client.workflow.getHandle(workflowIdFor(id)).fetchHistory()).events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
    const signalled = await signals();
    expect((await admin.put('/api/users/dorte.member', { name: 'Dorte Berg Holm' })).status).toBe(200);
    expect((await admin.put('/api/users/anne.chair', { roles: ['councilChair', 'councilMember'] })).status).toBe(200);
    expect(await signals()).toBe(signalled);

    // Cecilie leaves the council: three members, the round opens at once.
    expect((await admin.put('/api/users/cecilie.member', { roles: [] })).status).toBe(200);
    const votes = await eventually(async () => {
      const tasks = await openTasks(id, 'councilVote');
      expect(tasks.map((t) => t.assignee)).toEqual(['anne.chair', 'bo.member', 'dorte.member']);
      return tasks;
    });
    expect(await stack.store.tasks.findById(waiting._id).lean()).toMatchObject({ status: 'cancelled', cancelReason: { code: 'councilComplete' } });

    // Emil joins, then Bo leaves before voting: his vote goes to Emil, who is told; Bo can no longer cast it.
    const boVote = votes.find((t) => t.assignee === 'bo.member')!;
    expect((await admin.post('/api/users', { id: 'emil.member', name: 'Emil Holt', email: 'emil.holt@example.dk', roles: ['councilMember'] })).status).toBe(201);
    const boLeaves = await admin.put('/api/users/bo.member', { roles: [] });
    expect(boLeaves.status).toBe(200);
    expect(boLeaves.body.movedTasks).toEqual([{ taskId: boVote._id, assignee: 'emil.member' }]);
    const bo = await stack.as('bo.member');
    const late = await bo.post(`/api/tasks/${encodeURIComponent(boVote._id)}/complete`, { decision: 'reject' });
    expect(late.status).toBe(403);
    // Without any role his account does nothing: he no longer reads the case either, in the API or the pages.
    const read = await bo.get(`/api/proposals/${id}`);
    expect({ status: read.status, code: read.body.code }).toEqual({ status: 403, code: 'noRole' });
    const page = await (await pageVisitor(stack.api.url, 'bo.member')).get(`/proposals/${id}`);
    expect(page.status).toBe(303); // off to sign in, which does not let him in
    const mail = await stack.smtp.waitFor('emil.holt', /^Opgave overdraget til dig: Housing First/);
    expect(mail.text).toContain(`/tasks/${encodeURIComponent(boVote._id)}`);
    const timeline = (await sara.get(`/api/proposals/${id}`)).body.timeline as { type: string; by?: string; details: Record<string, unknown> }[];
    expect(timeline.find((e) => e.type === 'taskReassigned')).toMatchObject({
      by: 'hr.admin',
      details: { taskId: boVote._id, from: 'bo.member', assignee: 'emil.member', reason: { code: 'roleLost', userId: 'bo.member', role: 'councilMember' } },
    });
    // The case page gives the reason in words, naming him as it names everyone, not by his user id.
    const casePage = (await (await pageVisitor(stack.api.url, 'sara.secretariat')).get(`/proposals/${id}`)).text;
    expect(casePage).toContain('Bo Lind har ikke længere rollen rådsmedlem');

    const emil = await stack.as('emil.member');
    expect((await emil.post(`/api/tasks/${encodeURIComponent(boVote._id)}/complete`, { decision: 'approve' })).status).toBe(200);
    const anne = await stack.as('anne.chair');
    expect((await anne.post(`/api/tasks/${encodeURIComponent(votes[0]._id)}/complete`, { decision: 'approve' })).status).toBe(200);
    const round = await eventually(async () => {
      const [r] = (await sara.get(`/api/proposals/${id}`)).body.rounds;
      expect(r.result).toBe('approve');
      return r;
    });
    expect(round.members).toEqual(['anne.chair', 'emil.member', 'dorte.member']);
    expect(round.ballots.map((b: { memberId: string }) => b.memberId)).toEqual(['emil.member', 'anne.chair']);
  });
});
