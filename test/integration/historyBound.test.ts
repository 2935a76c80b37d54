import { youthAnxietyGroups } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

/**
 * What people do cannot grow a case's workflow history without bound: bulky drafts
 * stay in the database (the workflow sees their summary and revision number), every
 * field has a maximum, Motivation continues as new when its history grows, and a
 * pooled task changes hands cheaply. Measured on the real servers.
 */
describe('a case whose draft is revised and whose task changes hands many times', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('bounded');
  });
  afterAll(() => stack?.stop());

  /** A draft as large as the schema allows in its long fields: about 100 kB. */
  const bulky = (n: number) => ({
    ...youthAnxietyGroups,
    title: `Tidlig indsats for unge med angst (udkast ${n})`,
    targetGroup: {
      ...youthAnxietyGroups.targetGroup!,
      description: 'Elever med begyndende angst. '.repeat(130),
      inclusionCriteria: Array.from({ length: 30 }, (_, i) => `Kriterium ${i}: ${'henvist af skolens trivselsteam '.repeat(30)}`),
    },
    motivation: {
      rationale: 'Tidlige gruppeforløb reducerer angst og fravær. '.repeat(200),
      evidence: Array.from({ length: 50 }, (_, i) => ({ kind: 'research' as const, citation: `Kilde ${i}: ${'Arendt m.fl. (2016), Cool Kids i skolen. '.repeat(20)}` })),
    },
  });

  it('names the field that is too long or has too many entries', async () => {
    const sara = await stack.as('sara.secretariat');
    const tooLong = await sara.post('/api/proposals', { ...youthAnxietyGroups, title: 'x'.repeat(201) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors.map((e: { field: string }) => e.field)).toEqual(['title']);
    const tooMany = await sara.post('/api/proposals', { ...youthAnxietyGroups, outcomes: Array.from({ length: 21 }, () => youthAnxietyGroups.outcomes![0]) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors.map((e: { field: string }) => e.field)).toEqual(['outcomes']);
    const criteria = await sara.post('/api/proposals', { ...bulky(0), targetGroup: { ...bulky(0).targetGroup, inclusionCriteria: Array.from({ length: 31 }, () => 'x') } });
    expect(criteria.status).toBe(400);
    expect(criteria.body.errors.map((e: { field: string }) => e.field)).toEqual(['targetGroup.inclusionCriteria']);
  });

  it('keeps the history under 2,000 events and 2 MB through 200 revisions and 50 claim/release cycles', async () => {
    const [sara, jonas] = await Promise.all([stack.as('sara.secretariat'), stack.as('jonas.secretariat')]);
    const id: string = (await sara.post('/api/proposals', bulky(0))).body.id;
    const handle = stack.client.workflow.getHandle(`proposal-${id}`);
    for (let n = 1; n <= 200; n++) {
      const res = await sara.put(`/api/proposals/${id}`, bulky(n));
      expect([n, res.status]).toEqual([n, 200]);
    }
    const drafted = await sara.get(`/api/proposals/${id}`);
    expect(drafted.body).toMatchObject({ stage: 'Motivation', revision: 200, proposal: { title: 'Tidlig indsats for unge med angst (udkast 200)' } });
    expect(drafted.body.timeline.filter((e: { type: string }) => e.type === 'revised')).toHaveLength(200);

    // The case keeps working: submitted, decided, and its grant agreement handed back and forth.
    expect((await sara.post(`/api/proposals/${id}/submit`)).status).toBe(200);
    const complete = async (kind: string, input: unknown) => {
      const task = await eventually(async () => {
        const t = await stack.store.tasks.findOne({ proposalId: id, kind, status: 'open' }).lean();
        expect(t).not.toBeNull();
        return t!;
      });
      const res = await (await stack.as(task.assignee!)).post(`/api/tasks/${encodeURIComponent(task._id)}/complete`, input);
      expect(res.status).toBe(200);
      return task;
    };
    for (let i = 0; i < 2; i++) await complete('councilVote', { decision: 'approve' });
    await complete('councilAttestation', { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true });
    await complete('mayoralApproval', { decision: 'approve' });
    await complete('cooperationAgreement', { savingsShare: { kind: 'percentage', basisPoints: 3000 }, conditions: 'Efter revision' });
    const task = await eventually(async () => {
      const t = await stack.store.tasks.findOne({ proposalId: id, kind: 'grantAgreement', status: 'open' }).lean();
      expect(t).not.toBeNull();
      return t!;
    });
    const path = `/api/tasks/${encodeURIComponent(task._id)}`;
    let holder = sara;
    let other = jonas;
    for (let cycle = 1; cycle <= 50; cycle++) {
      expect([cycle, (await holder.post(`${path}/release`)).status]).toEqual([cycle, 200]);
      expect([cycle, (await other.post(`${path}/claim`)).status]).toEqual([cycle, 200]);
      [holder, other] = [other, holder];
    }
    const grant = {
      grantee: 'Foreningen Ung i Aarhus',
      amount: '1200000.00',
      tranches: [{ dueDate: '2031-06-01', amount: '1200000.00', condition: 'Forløbene er startet' }],
      conditions: 'Tilskuddet bruges alene til gruppeforløbene.',
    };
    expect((await holder.post(`${path}/complete`, grant)).status).toBe(200);
    await eventually(async () => expect((await sara.get(`/api/proposals/${id}`)).body.stage).toBe('GrantActive'));

    const { historyLength, historySize } = await handle.describe();
    console.log(`history after 200 revisions and 50 claim/release cycles: ${historyLength} events, ${historySize} bytes`);
    expect(historyLength).toBeLessThan(2000);
    expect(historySize).toBeLessThan(2 * 1024 * 1024);
  }, 600_000); // 300 Updates one after another: over 3 minutes on a slow machine with a core busy
});
