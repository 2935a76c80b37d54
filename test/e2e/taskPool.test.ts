import { youthAnxietyGroups } from '../fixtures/proposals';
import { approveThroughAgreement, waitForStage } from '../support/drive';
import { eventually } from '../support/eventually';
import { recordHistory } from '../support/histories';
import { startStack, type Stack } from '../support/stack';

/**
 * The secretariat shares its case work: Jonas takes over Sara's grant agreement
 * while she is away, hands it back to the pool, and Sara takes it again and answers
 * it. Only the pool's role may claim, only the holder may release, and a task
 * nobody holds must be claimed before it is answered.
 */
describe('claiming and releasing pooled tasks', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('pool');
  });
  afterAll(() => stack?.stop());

  const grant = {
    grantee: 'Foreningen Ung i Aarhus',
    amount: '1200000.00',
    tranches: [{ dueDate: '2027-06-01', amount: '1200000.00', condition: 'Forløbene er startet' }],
    conditions: 'Tilskuddet bruges alene til gruppeforløbene.',
  };

  it('moves a grant agreement between the secretariat members, and only them', async () => {
    const [sara, jonas, bo] = await Promise.all(['sara.secretariat', 'jonas.secretariat', 'bo.member'].map((u) => stack.as(u)));
    const created = await sara.post('/api/proposals', youthAnxietyGroups);
    const id: string = created.body.id;
    const handle = stack.client.workflow.getHandle(`proposal-${id}`);
    await approveThroughAgreement(stack.store, handle, id);
    await waitForStage(handle, 'GrantAgreement');
    const task = await eventually(async () => {
      const list = await sara.get(`/api/tasks?proposalId=${id}&status=open`);
      const found = list.body.items.find((t: { kind: string }) => t.kind === 'grantAgreement');
      if (!found) throw new Error('no grant agreement task yet');
      return found as { id: string; assignee: string };
    });
    expect(task.assignee).toBe('sara.secretariat');
    const path = `/api/tasks/${encodeURIComponent(task.id)}`;

    // A council member is not in the secretariat's pool; a personal task never changes hands.
    expect((await bo.post(`${path}/claim`)).status).toBe(403);
    const vote = await stack.store.tasks.findOne({ proposalId: id, kind: 'councilVote' }).lean();
    const personal = await jonas.post(`/api/tasks/${encodeURIComponent(vote!._id)}/claim`);
    expect(personal.status).toBe(409);
    expect(personal.body.detail).toMatch(/personal/);
    // A refused Update carries the validator's code and parameters beside the English detail.
    expect(personal.body).toMatchObject({ code: 'taskPersonal', params: { kind: 'councilVote' } });

    // Jonas takes it over; Sara no longer may answer it.
    const claimed = await jonas.post(`${path}/claim`);
    expect(claimed.status).toBe(200);
    expect(claimed.body.assignee).toBe('jonas.secretariat');
    expect((await sara.post(`${path}/complete`, grant)).status).toBe(403);
    expect((await sara.post(`${path}/release`)).status).toBe(403);

    // Jonas hands it back: nobody holds it, the whole secretariat hears of it.
    const released = await jonas.post(`${path}/release`);
    expect(released.status).toBe(200);
    expect(released.body.assignee).toBeNull();
    for (const who of ['sara.friis', 'jonas.krogh']) {
      const mail = await stack.smtp.waitFor(who, /^Ledig opgave: /);
      expect(mail.text).toContain(`/tasks/${encodeURIComponent(task.id)}`);
    }
    const pool = await sara.get('/api/tasks?assignee=pool');
    expect(pool.body.items.map((t: { id: string }) => t.id)).toEqual([task.id]);
    expect(pool.body.total).toBe(1);
    expect((await bo.get('/api/tasks?assignee=pool')).body.items).toEqual([]);
    // The pool is open tasks of this case or of none named; no other status has any.
    expect((await sara.get(`/api/tasks?assignee=pool&status=open&proposalId=${id}`)).body).toMatchObject({ total: 1, items: [{ id: task.id }] });
    expect((await sara.get('/api/tasks?assignee=pool&proposalId=SIF-1999-001')).body).toMatchObject({ total: 0, items: [] });
    expect((await sara.get('/api/tasks?assignee=pool&status=cancelled')).body).toMatchObject({ total: 0, items: [] });
    expect((await sara.get('/api/tasks?assignee=pool&page=2&pageSize=1')).body).toMatchObject({ page: 2, total: 1, items: [] });

    // Unheld, it must be claimed first; two colleagues claiming at once: one gets it.
    const unclaimed = await sara.post(`${path}/complete`, grant);
    expect(unclaimed.status).toBe(403);
    expect(unclaimed.body.detail).toMatch(/claim it first/);
    expect(unclaimed.body).toMatchObject({ code: 'claimFirst', params: {} });
    const race = await Promise.all([sara.post(`${path}/claim`), jonas.post(`${path}/claim`)]);
    expect(race.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = race[0].status === 200 ? sara : jonas;
    const done = await winner.post(`${path}/complete`, grant);
    expect(done.status).toBe(200);
    await waitForStage(handle, 'GrantActive');
    expect((await winner.post(`${path}/release`)).status).toBe(409);

    // The read model agrees with the workflow, and the timeline says who held it when.
    const stored = await stack.store.tasks.findById(task.id).lean();
    expect(stored).toMatchObject({ status: 'completed', assignee: winner === sara ? 'sara.secretariat' : 'jonas.secretariat', assignments: 3 });
    const shown = await sara.get(`/api/proposals/${id}`);
    const moves = shown.body.timeline.filter((e: { type: string }) => e.type === 'taskClaimed' || e.type === 'taskReleased');
    expect(moves.map((e: { type: string; by: string }) => [e.type, e.by])).toEqual([
      ['taskClaimed', 'jonas.secretariat'],
      ['taskReleased', 'jonas.secretariat'],
      ['taskClaimed', winner === sara ? 'sara.secretariat' : 'jonas.secretariat'],
    ]);
    await recordHistory(handle, 'grant-agreement-claimed-and-released');
  });
});
