import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

/**
 * Two council rounds over the same money, on the real Temporal dev server and
 * FerretDB: the votes' approval is earmarked in the fund's ledger at once, so of two
 * rounds that decide at the same moment only one can take what only one can have.
 */
describe('council rounds over the same money', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('council-funds');
  });
  afterAll(() => stack?.stop());

  const members = ['anne.chair', 'bo.member', 'cecilie.member'];
  // 30 of the fund's 40 million each: the fund can cover one, not both.
  const thirtyMillion = { ...housingFirst, businessCase: { ...housingFirst.businessCase!, totalCost: '40000000', requestedFromFund: '30000000' } };
  const dkk = (kroner: number) => kroner * 100;

  const complete = async (userId: string, taskId: string, input: unknown) => (await stack.as(userId)).post(`/api/tasks/${encodeURIComponent(taskId)}/complete`, input);
  const view = async (id: string) => (await (await stack.as('sara.secretariat')).get(`/api/proposals/${id}`)).body;
  const balances = () =>
    stack.store.ledger
      .findOne()
      .sort({ seq: -1 })
      .lean()
      .then((e) => ({ ...e!.balancesAfter, earmarked: e!.earmarkedByProposalAfter ?? {} }));

  async function submit(id: string) {
    expect((await (await stack.as('sara.secretariat')).post(`/api/proposals/${id}/submit`)).status).toBe(200);
    return eventually(async () => {
      const tasks = await stack.store.tasks.find({ proposalId: id, kind: 'councilVote', status: 'open' }).lean();
      expect(tasks).toHaveLength(3);
      return (member: string) => tasks.find((t) => t.assignee === member)!._id;
    });
  }
  const openTask = (proposalId: string, kind: string) =>
    eventually(async () => {
      const task = await stack.store.tasks.findOne({ proposalId, kind, status: 'open' }).lean();
      expect(task).not.toBeNull();
      return task!;
    });

  it('lets exactly one of two simultaneous approvals take the money; the other is returned because the fund cannot cover it', async () => {
    const sara = await stack.as('sara.secretariat');
    const ids: string[] = [(await sara.post('/api/proposals', thirtyMillion)).body.id, (await sara.post('/api/proposals', thirtyMillion)).body.id];
    const taskOf = await Promise.all(ids.map(submit));
    // One approval each, then both deciding votes at once.
    for (const t of taskOf) expect((await complete('anne.chair', t('anne.chair'), { decision: 'approve' })).status).toBe(200);
    const deciding = await Promise.all(taskOf.map((t) => complete('bo.member', t('bo.member'), { decision: 'approve' })));
    expect(deciding.map((r) => r.status)).toEqual([200, 200]);

    const outcomes = await eventually(async () => {
      const results = await Promise.all(ids.map(async (id) => ((await view(id)).rounds[0].result ?? 'pending') as string));
      expect(results.filter((r) => r === 'fundCannotCover')).toHaveLength(1);
      return results;
    });
    const winner = ids[outcomes.indexOf('fundCannotCover') === 0 ? 1 : 0];
    const loser = ids[outcomes.indexOf('fundCannotCover')];

    // The live stage can be Motivation a moment before the timeline has recorded the move.
    await eventually(async () => {
      const v = await view(loser);
      expect(v.stage).toBe('Motivation');
      const back = v.timeline.filter((e: { type: string; details?: { stage?: string } }) => e.type === 'stageChanged' && e.details?.stage === 'Motivation').at(-1);
      expect(back?.details.reason).toMatchObject({ code: 'fundCannotCover', availableOre: 10_000_000_00, requestedOre: 30_000_000_00 });
    });
    expect(await stack.store.tasks.countDocuments({ proposalId: loser, kind: 'councilAttestation' })).toBe(0);

    // The winner's approval holds its money in the ledger before the chair has attested.
    const attestation = await openTask(winner, 'councilAttestation');
    expect(await balances()).toMatchObject({ capitalOre: dkk(40_000_000), earmarkedOre: dkk(30_000_000), freeOre: dkk(10_000_000), earmarked: { [winner]: dkk(30_000_000) } });
    expect(await stack.store.ledger.countDocuments({ kind: 'earmark' })).toBe(1);
    const fund = await sara.get('/api/fund');
    expect(fund.body).toMatchObject({ earmarked: '30000000.00', free: '10000000.00' });

    // Without the chair's attestation there is no approval: the earmark is given back.
    expect((await complete('anne.chair', attestation._id, { attested: false, reason: 'Udbudsretlig tvivl' })).status).toBe(200);
    await eventually(async () => expect((await view(winner)).stage).toBe('Motivation'));
    expect(await balances()).toMatchObject({ earmarkedOre: 0, freeOre: dkk(40_000_000), earmarked: { [winner]: 0 } });

    // Now the other can be approved; the mayor's refusal gives its earmark back too.
    const again = await submit(loser);
    for (const m of members.slice(0, 2)) expect((await complete(m, again(m), { decision: 'approve' })).status).toBe(200);
    const attest = await openTask(loser, 'councilAttestation');
    expect(await balances()).toMatchObject({ earmarkedOre: dkk(30_000_000), freeOre: dkk(10_000_000) });
    expect((await complete('anne.chair', attest._id, { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true })).status).toBe(200);
    const mayoral = await openTask(loser, 'mayoralApproval');
    expect((await complete(mayoral.assignee!, mayoral._id, { decision: 'refuse', reason: 'Ikke nu' })).status).toBe(200);
    await eventually(async () => expect((await view(loser)).stage).toBe('Refused'));
    await eventually(async () => expect(await balances()).toMatchObject({ earmarkedOre: 0, freeOre: dkk(40_000_000), earmarked: { [loser]: 0 } }));
  });
});
