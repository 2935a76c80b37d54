import { type2Diabetes, youthAnxietyGroups } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { startStack, type HttpResult, type Stack } from '../support/stack';

/**
 * Every kind of Update, sent through the API in stages it does not belong to, is
 * refused by a validator with 409 (or 403 for the wrong person), never a 500: every
 * handler exists from the workflow's start, and the validators refuse by stage.
 */
describe('steps in the wrong stage', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('misplaced');
  });
  afterAll(() => stack?.stop());

  type Probe = [what: string, send: () => Promise<HttpResult>];
  const taskPath = (taskId: string) => `/api/tasks/${encodeURIComponent(taskId)}`;

  async function as(userId: string) {
    return stack.as(userId);
  }

  async function stageOf(id: string): Promise<string> {
    return (await (await as('sara.secretariat')).get(`/api/proposals/${id}`)).body.stage;
  }

  async function reach(id: string, stage: string) {
    await eventually(async () => expect(await stageOf(id)).toBe(stage));
  }

  async function openTask(proposalId: string, kind: string) {
    return eventually(async () => {
      const task = await stack.store.tasks.findOne({ proposalId, kind, status: 'open' }).lean();
      expect(task).not.toBeNull();
      return task!;
    });
  }

  async function complete(proposalId: string, kind: string, input: unknown) {
    const task = await openTask(proposalId, kind);
    const res = await (await as(task.assignee!)).post(`${taskPath(task._id)}/complete`, input);
    expect(res.status).toBe(200);
    return task;
  }

  /** Sends each probe and expects a refusal: 409 or 403, never anything else. */
  async function expectRefused(id: string, probes: Probe[]) {
    const stage = await stageOf(id);
    const answers = [];
    for (const [what, send] of probes) {
      const res = await send();
      answers.push({ stage, what, status: res.status, detail: res.body?.detail });
    }
    expect(answers.filter((a) => a.status !== 409 && a.status !== 403)).toEqual([]);
    // Nothing moved.
    expect(await stageOf(id)).toBe(stage);
    return answers;
  }

  /** Probes for the secretariat's case steps, and for people without the role. */
  async function stepProbes(id: string, omit: string[] = []): Promise<Probe[]> {
    const [sara, mayor] = await Promise.all([as('sara.secretariat'), as('mayor')]);
    const probes: Probe[] = [
      [
        'procurement',
        () =>
          sara.post(`/api/proposals/${id}/procurement`, { action: 'decideProcedure', serviceKind: 'social', estimatedValue: '100000', procedure: 'directAward', rationale: 'x' }),
      ],
      ['procurement by the mayor', () => mayor.post(`/api/proposals/${id}/procurement`, { action: 'cancelTender', reason: 'x' })],
      ['contracting', () => sara.post(`/api/proposals/${id}/contracting`, { action: 'registerInvestorOffer', investor: 'Investor A/S', amountCommitted: '1000', conditions: 'x' })],
      ['contracting: recommend', () => sara.post(`/api/proposals/${id}/contracting`, { action: 'recommendInvestor', offerId: 'offer-1', comparison: 'x', rationale: 'x' })],
      ['contracting by the mayor', () => mayor.post(`/api/proposals/${id}/contracting`, { action: 'recommendInvestor', offerId: 'offer-1', comparison: 'x', rationale: 'x' })],
      ['revise', () => sara.put(`/api/proposals/${id}`, type2Diabetes)],
      ['submit', () => sara.post(`/api/proposals/${id}/submit`)],
      ['withdraw', () => sara.post(`/api/proposals/${id}/withdraw`, { reason: 'x' })],
    ];
    return probes.filter(([what]) => !omit.some((o) => what.startsWith(o)));
  }

  /** Completing, claiming and releasing a task whose stage has passed. */
  function taskProbes(taskId: string, assignee: string, input: unknown): Probe[] {
    return [
      ['complete a passed task', async () => (await as(assignee)).post(`${taskPath(taskId)}/complete`, input)],
      ['claim a passed task', async () => (await as('jonas.secretariat')).post(`${taskPath(taskId)}/claim`)],
      ['release a passed task', async () => (await as(assignee)).post(`${taskPath(taskId)}/release`)],
    ];
  }

  it('refuses each step of the outcome track outside its stage', async () => {
    const sara = await as('sara.secretariat');
    const id: string = (await sara.post('/api/proposals', type2Diabetes)).body.id;
    await reach(id, 'Motivation');
    await expectRefused(id, await stepProbes(id, ['revise', 'submit', 'withdraw']));

    expect((await sara.post(`/api/proposals/${id}/submit`)).status).toBe(200);
    await reach(id, 'CouncilDecision');
    await expectRefused(id, await stepProbes(id, ['withdraw']));

    const vote = await complete(id, 'councilVote', { decision: 'approve' });
    await complete(id, 'councilVote', { decision: 'approve' });
    const attestation = await complete(id, 'councilAttestation', { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true });
    await reach(id, 'MayoralApproval');
    await expectRefused(id, [
      ...(await stepProbes(id, ['withdraw'])),
      ...taskProbes(vote._id, vote.assignee!, { decision: 'reject' }),
      ...taskProbes(attestation._id, attestation.assignee!, { attested: false, reason: 'x' }),
    ]);

    const mayoral = await complete(id, 'mayoralApproval', { decision: 'approve' });
    await reach(id, 'CooperationAgreement');
    await expectRefused(id, [...(await stepProbes(id, ['withdraw'])), ...taskProbes(mayoral._id, mayoral.assignee!, { decision: 'refuse', reason: 'x' })]);

    const agreement = await complete(id, 'cooperationAgreement', { savingsShare: { kind: 'percentage', basisPoints: 3000 }, conditions: 'Efter revision' });
    await reach(id, 'Procurement');
    await expectRefused(id, [
      ...(await stepProbes(id, ['procurement', 'withdraw'])),
      ['procurement by the mayor', async () => (await as('mayor')).post(`/api/proposals/${id}/procurement`, { action: 'cancelTender', reason: 'x' })],
      ...taskProbes(agreement._id, agreement.assignee!, { savingsShare: { kind: 'percentage', basisPoints: 1000 }, conditions: 'x' }),
    ]);

    const step = (part: string, body: unknown) => sara.post(`/api/proposals/${id}/${part}`, body);
    expect(
      (await step('procurement', { action: 'decideProcedure', serviceKind: 'social', estimatedValue: '13300000', procedure: 'directAward', rationale: 'Videreførelse' })).status,
    ).toBe(200);
    expect(
      (
        await step('procurement', {
          action: 'recommendDirectAward',
          supplier: 'Diabetesforeningen Aarhus',
          price: '13300000',
          reasons: 'Kendt forløb',
          rationale: 'Eneste leverandør',
        })
      ).status,
    ).toBe(200);
    for (let i = 0; i < 2; i++) await complete(id, 'awardDecision', { decision: 'approve' });
    await reach(id, 'Contracting');
    await expectRefused(id, [...(await stepProbes(id, ['contracting', 'withdraw'])), ...taskProbes(vote._id, vote.assignee!, { decision: 'approve' })]);

    expect(
      (await step('contracting', { action: 'registerInvestorOffer', investor: 'Sundhedsinvest A/S', amountCommitted: '13300000', conditions: 'Tilbagebetaling' })).status,
    ).toBe(200);
    expect((await step('contracting', { action: 'recommendInvestor', offerId: 'offer-1', comparison: 'Ét tilbud', rationale: 'Eneste tilbud' })).status).toBe(200);
    for (let i = 0; i < 2; i++) await complete(id, 'investorDecision', { decision: 'approve' });
    const proposed = await step('contracting', {
      action: 'proposeContract',
      startDate: '2031-01-01',
      measurementMonths: [12],
      rateCard: [{ metric: 'Gennemført forløb', unit: 'borgere', pricePerUnit: '20000', targetUnits: 162, maxPayment: '4500000' }],
      totalCap: '4500000',
      payee: 'investor',
    });
    expect(proposed.status).toBe(200);
    const signing = await complete(id, 'contractSigning', { signed: true });
    await complete(id, 'contractSigning', { signed: true });
    await reach(id, 'Implementation');
    const answers = await expectRefused(id, [...(await stepProbes(id)), ...taskProbes(signing._id, signing.assignee!, { signed: true })]);
    expect(answers.find((a) => a.what === 'withdraw')!.detail).toMatch(/contract is signed/);
  });

  it('refuses steps on the grant track and on a closed proposal', async () => {
    const sara = await as('sara.secretariat');
    const id: string = (await sara.post('/api/proposals', youthAnxietyGroups)).body.id;
    expect((await sara.post(`/api/proposals/${id}/submit`)).status).toBe(200);
    for (let i = 0; i < 2; i++) await complete(id, 'councilVote', { decision: 'approve' });
    await complete(id, 'councilAttestation', { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true });
    await complete(id, 'mayoralApproval', { decision: 'approve' });
    const agreement = await complete(id, 'cooperationAgreement', { savingsShare: { kind: 'percentage', basisPoints: 3000 }, conditions: 'Efter revision' });
    await reach(id, 'GrantAgreement');
    await expectRefused(id, [
      ...(await stepProbes(id, ['withdraw'])),
      ...taskProbes(agreement._id, agreement.assignee!, { savingsShare: { kind: 'percentage', basisPoints: 1000 }, conditions: 'x' }),
    ]);

    const grant = {
      grantee: 'Foreningen Ung i Aarhus',
      amount: '1200000.00',
      tranches: [{ dueDate: '2031-06-01', amount: '1200000.00', condition: 'Forløbene er startet' }],
      conditions: 'Tilskuddet bruges alene til gruppeforløbene.',
    };
    const agreed = await complete(id, 'grantAgreement', grant);
    await reach(id, 'GrantActive');
    await expectRefused(id, [...(await stepProbes(id, ['withdraw'])), ...taskProbes(agreed._id, agreed.assignee!, grant)]);

    // The grant waits for its tranche's date in a plain sleep: the withdrawal interrupts it and releases the reservation.
    expect((await sara.post(`/api/proposals/${id}/withdraw`, { reason: 'Foreningen er nedlagt' })).status).toBe(200);
    await reach(id, 'Withdrawn');
    expect(await stack.store.ledger.findById(`${id}.grant.release-on-withdrawal`).lean()).toMatchObject({ kind: 'release', amountOre: 120_000_000 });
    await expectRefused(id, [...(await stepProbes(id)), ...taskProbes(agreed._id, agreed.assignee!, grant)]);
  });
});
