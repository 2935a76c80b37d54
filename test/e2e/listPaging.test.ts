import { earlyDraft, housingFirst, youthAnxietyGroups } from '../fixtures/proposals';
import { startStack, type Stack } from '../support/stack';

/**
 * Every list answers a page and how many there are in all, so a reader knows when a
 * list goes on: the task list used to stop at 500 without saying so.
 */
describe('lists paged with their totals', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('paging');
  });
  afterAll(() => stack?.stop());

  it("pages a person's open tasks by due date and says how many there are", async () => {
    const due = (day: number) => new Date(Date.UTC(2027, 0, day));
    const task = (id: string, day: number, status: string) =>
      ({ _id: id, proposalId: 'SIF-2026-990', kind: 'councilVote', title: id, assignee: 'bo.member', role: 'councilMember', dueAt: due(day), status, openedAt: due(1) }) as const;
    await stack.store.tasks.insertMany([
      task('v5', 5, 'open'),
      task('v2', 2, 'open'),
      task('v4', 4, 'open'),
      task('v1', 1, 'completed'),
      task('v3', 3, 'open'),
      task('v6', 6, 'open'),
    ]);
    const bo = await stack.as('bo.member');

    const second = await bo.get('/api/tasks?assignee=me&status=open&pageSize=2&page=2');
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ page: 2, pageSize: 2, total: 5 });
    expect(second.body.items.map((t: { id: string }) => t.id)).toEqual(['v4', 'v5']);
    expect((await bo.get('/api/tasks?assignee=me&status=open&page=3&pageSize=2')).body.items.map((t: { id: string }) => t.id)).toEqual(['v6']);
    expect((await bo.get('/api/tasks?assignee=me&pageSize=201')).status).toBe(400);
  });

  it('pages all proposals newest first with the total, including the one just created', async () => {
    const sara = await stack.as('sara.secretariat');
    const ids: string[] = [];
    for (const p of [housingFirst, earlyDraft, youthAnxietyGroups]) ids.push((await sara.post('/api/proposals', p)).body.id);

    const first = await sara.get('/api/proposals?pageSize=2');
    expect(first.body).toMatchObject({ page: 1, pageSize: 2, total: 3 });
    expect(first.body.items.map((p: { id: string }) => p.id)).toEqual([ids[2], ids[1]]);
    const second = await sara.get('/api/proposals?pageSize=2&page=2');
    expect(second.body.items.map((p: { id: string }) => p.id)).toEqual([ids[0]]);
    // Each item as the list shows it, money in DKK.
    expect(second.body.items[0]).toEqual({
      id: ids[0],
      title: housingFirst.title,
      stage: 'Motivation',
      welfareArea: 'homelessness',
      fundingTrack: 'outcomeBased',
      responsibleDepartment: 'MSB',
      requestedFromFund: '23000000.00',
      createdAt: expect.any(String),
    });

    const fourth = (await sara.post('/api/proposals', housingFirst)).body.id;
    expect((await sara.get('/api/proposals?pageSize=1')).body).toMatchObject({ total: 4, items: [{ id: fourth }] });
  });

  it('pages the people with their total', async () => {
    const admin = await stack.as('hr.admin');
    const all = await admin.get('/api/users');
    const page = await admin.get('/api/users?pageSize=2&page=2');
    expect(page.body).toMatchObject({ page: 2, pageSize: 2, total: all.body.total });
    expect(page.body.items.map((u: { id: string }) => u.id)).toEqual(all.body.items.slice(2, 4).map((u: { id: string }) => u.id));
  });
});
