import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { recordHistory } from '../support/histories';
import { expectValidOcds } from '../support/ocds';
import { startStack, type Stack } from '../support/stack';

/**
 * A proposal like Housing First through every path of the lifecycle, on the real
 * Temporal dev server, FerretDB and an SMTP peer, driven through the HTTP API.
 */
describe('the proposal lifecycle', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('lifecycle');
  });
  afterAll(() => stack?.stop());

  const members = ['anne.chair', 'bo.member', 'cecilie.member'];

  async function submittedProposal(proposal = housingFirst) {
    const sara = await stack.as('sara.secretariat');
    const { body } = await sara.post('/api/proposals', proposal);
    const submitted = await sara.post(`/api/proposals/${body.id}/submit`);
    expect(submitted.status).toBe(200);
    expect(submitted.body.stage).toBe('CouncilDecision');
    const id: string = body.id;
    const voteTasks = await eventually(async () => {
      const tasks = await stack.store.tasks.find({ proposalId: id, kind: 'councilVote', status: 'open' }).lean();
      expect(tasks).toHaveLength(3);
      return tasks;
    });
    return { id, taskOf: (member: string) => voteTasks.find((t) => t.assignee === member)!._id };
  }

  async function complete(userId: string, taskId: string, input: unknown) {
    return (await stack.as(userId)).post(`/api/tasks/${encodeURIComponent(taskId)}/complete`, input);
  }

  async function openTask(proposalId: string, kind: string) {
    return eventually(async () => {
      const task = await stack.store.tasks.findOne({ proposalId, kind, status: 'open' }).lean();
      expect(task).not.toBeNull();
      return task!;
    });
  }

  async function stageOf(id: string) {
    return (await (await stack.as('sara.secretariat')).get(`/api/proposals/${id}`)).body;
  }

  it('approves with one member recused, through attestation, the mayor and the cooperation agreement', async () => {
    const { id, taskOf } = await submittedProposal();

    // Each member is told by e-mail, with a link to the task.
    const mail = await stack.smtp.waitFor('bo.lind@example.dk', /^Ny opgave: Housing First/);
    expect(mail.text).toContain(`${stack.config.publicUrl}/tasks/${encodeURIComponent(taskOf('bo.member'))}`);

    // The decision paper, version 1, says what the proposal does to the fund.
    const paper = await (await stack.as('anne.chair')).get(`/api/proposals/${id}/decision-paper`);
    expect(paper.status).toBe(200);
    expect(paper.body.version).toBe(1);
    expect(paper.body.markdown).toContain('Ansøgt fra fonden: 23.000.000,00 kr.');
    expect(paper.body.markdown).toContain('Fri kapital før: 40.000.000,00 kr.; efter: 17.000.000,00 kr.');
    expect(paper.body.paper.fundImpact).toMatchObject({ capital: '40000000.00', freeAfter: '17000000.00', shareOfCapitalBasisPoints: 5750, coverable: true });
    expect(paper.body.paper.businessCase.savingsByDepartment).toEqual({ MSB: '8500000.00', MSO: '4200000.50' });
    expect(paper.body.paper.proposal.businessCase.requestedFromFund).toBe('23000000.00');
    // The outlook without and with the proposal: ten years from the fund's start.
    expect(paper.body.paper.outlook.years).toHaveLength(10);
    expect(paper.body.paper.outlook.withoutRunsDryIn).toBeNull();
    expect(paper.body.paper.outlook.years.at(-1)).toMatchObject({ freeWithout: '40000000.00', freeWith: '17000000.00' });
    expect(paper.body.markdown).toContain('## 10-årsprognose uden og med forslaget');

    expect((await complete('bo.member', taskOf('bo.member'), { decision: 'conflictOfInterest', comment: 'Bestyrelsesmedlem hos leverandøren' })).status).toBe(200);
    expect((await complete('anne.chair', taskOf('anne.chair'), { decision: 'approve' })).status).toBe(200);
    expect((await stageOf(id)).stage).toBe('CouncilDecision'); // with one recused, both others must agree
    expect((await complete('cecilie.member', taskOf('cecilie.member'), { decision: 'approve', comment: 'Stærk evidens' })).status).toBe(200);

    // Without the chair's attestation there is no approval.
    const attestation = await openTask(id, 'councilAttestation');
    expect(attestation.assignee).toBe('anne.chair');
    const notAttested = await complete('anne.chair', attestation._id, { attested: true, withinMunicipalLaw: false, withinCityCouncilPriorities: true });
    expect(notAttested.status).toBe(400);
    expect(notAttested.body.errors.map((e: { field: string }) => e.field)).toEqual(['withinMunicipalLaw']);
    expect((await complete('anne.chair', attestation._id, { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true, note: 'Tjekket med Jura' })).status).toBe(
      200,
    );

    const mayorTask = await openTask(id, 'mayoralApproval');
    expect(mayorTask.assignee).toBe('mayor');
    expect((await stageOf(id)).stage).toBe('MayoralApproval');
    expect((await complete('mayor', mayorTask._id, { decision: 'approve' })).status).toBe(200);

    const agreementTask = await openTask(id, 'cooperationAgreement');
    expect(agreementTask.assignee).toBe('msb.head');
    const agreed = await complete('msb.head', agreementTask._id, {
      savingsShare: { kind: 'percentage', basisPoints: 5000 },
      conditions: 'Halvdelen af de realiserede besparelser i MSB tilbageføres årligt efter revision.',
    });
    expect(agreed.status).toBe(200);

    const done = await eventually(async () => {
      const view = await stageOf(id);
      // After the agreement, procurement begins at once.
      expect(view.stage).toBe('Procurement');
      expect(view.timeline.at(-1).details.stage).toBe('Procurement'); // the read model follows the workflow
      return view;
    });
    expect(done.rounds).toHaveLength(1);
    expect(done.rounds[0]).toMatchObject({ result: 'approve', attestation: { by: 'anne.chair', attested: true } });
    expect(done.rounds[0].ballots.map((b: { memberId: string; kind: string }) => [b.memberId, b.kind])).toEqual([
      ['bo.member', 'conflictOfInterest'],
      ['anne.chair', 'vote'],
      ['cecilie.member', 'vote'],
    ]);
    expect(done.mayoralDecision).toMatchObject({ by: 'mayor', decision: 'approve' });
    expect(done.cooperationAgreement).toMatchObject({ by: 'msb.head', savingsShare: { kind: 'percentage', basisPoints: 5000 } });
    expect(done.timeline.filter((e: { type: string }) => e.type === 'stageChanged').map((e: { details: { stage: string } }) => e.details.stage)).toEqual([
      'CouncilDecision',
      'MayoralApproval',
      'CooperationAgreement',
      'AwaitingProcurement',
      'Procurement',
    ]);
    const completed = done.tasks.filter((t: { status: string }) => t.status === 'completed');
    expect(completed.map((t: { kind: string; completedBy: string }) => `${t.kind}:${t.completedBy}`)).toEqual(
      expect.arrayContaining(['councilVote:bo.member', 'councilAttestation:anne.chair', 'mayoralApproval:mayor', 'cooperationAgreement:msb.head']),
    );
    // The read model agrees with the workflow.
    expect((await stack.store.proposals.findById(id).lean())!.stage).toBe('Procurement');

    // Procurement runs through the API too: the thresholds propose an EU tender for 23 million.
    const sara = await stack.as('sara.secretariat');
    const lax = await sara.post(`/api/proposals/${id}/procurement`, { action: 'decideProcedure', serviceKind: 'social', estimatedValue: '23000000', procedure: 'directAward' });
    expect(lax.status).toBe(409);
    expect(lax.body.detail).toMatch(/thresholds propose euTender/);
    expect(lax.body).toMatchObject({ code: 'needsRationale', params: { proposed: 'euTender', chosen: 'directAward' } });
    const decided = await sara.post(`/api/proposals/${id}/procurement`, { action: 'decideProcedure', serviceKind: 'social', estimatedValue: '23000000', procedure: 'euTender' });
    expect(decided.status).toBe(200);
    expect(decided.body.procurement).toMatchObject({ proposedProcedure: 'euTender', procedure: 'euTender', estimatedValue: '23000000.00', decidedBy: 'sara.secretariat' });
    const badWeights = await sara.post(`/api/proposals/${id}/procurement`, {
      action: 'prepareTender',
      title: 'HF',
      description: 'HF',
      estimatedValue: '23000000',
      deadline: '2030-01-01T12:00:00Z',
      awardCriteria: [
        { name: 'Pris', weight: 60 },
        { name: 'Kvalitet', weight: 30 },
      ],
    });
    expect(badWeights.status).toBe(422);
    expect(badWeights.body.errors).toEqual([{ field: 'awardCriteria', code: 'weightsSum', message: 'the weights must sum to 100, not 90', params: { sum: 90 } }]);
    expect((await (await stack.as('mayor')).post(`/api/proposals/${id}/procurement`, { action: 'publishTender' })).status).toBe(403);
    const ocds = await (await stack.as('bo.member')).get(`/api/proposals/${id}/ocds`);
    expect(ocds.status).toBe(200);
    const release = expectValidOcds(ocds.body);
    expect(ocds.body.uri).toBe(`${stack.config.publicUrl}/api/proposals/${id}/ocds`);
    expect(release.tender).toMatchObject({ status: 'planned', procurementMethod: 'open', value: { amount: 23000000, currency: 'DKK' } });
    await recordHistory(stack.client.workflow.getHandle(`proposal-${id}`), 'approved-to-procurement');
  });

  it('rejects by majority and cancels the vote that is no longer needed', async () => {
    const { id, taskOf } = await submittedProposal();
    await complete('anne.chair', taskOf('anne.chair'), { decision: 'reject', comment: 'Effekten er ikke sandsynliggjort' });
    await complete('bo.member', taskOf('bo.member'), { decision: 'reject' });
    const handle = stack.client.workflow.getHandle(`proposal-${id}`);
    const closure = await handle.result();
    expect(closure).toMatchObject({ stage: 'Rejected', reason: { code: 'councilRejected', comments: ['Effekten er ikke sandsynliggjort'] } });
    const view = await stageOf(id);
    expect(view.stage).toBe('Rejected');
    const left = await stack.store.tasks.findById(taskOf('cecilie.member')).lean();
    expect(left!.status).toBe('cancelled');
    expect(left!.cancelReason).toEqual({ code: 'councilDecided' });
    const late = await complete('cecilie.member', taskOf('cecilie.member'), { decision: 'approve' });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'workflowClosed', params: { case: 'proposal', id } });
    await stack.smtp.waitFor('sara.friis@example.dk', /^Sagen er afsluttet \(afvist af rådet\)/);
  });

  it('returns for changes, is revised and resubmitted, and opens a new round with fresh votes', async () => {
    const { id, taskOf } = await submittedProposal();
    const sara = await stack.as('sara.secretariat');
    expect((await sara.put(`/api/proposals/${id}`, { ...housingFirst, title: 'Ændret' })).status).toBe(409); // not in Motivation

    await complete('anne.chair', taskOf('anne.chair'), { decision: 'returnForChanges', comment: 'Uddyb målgruppens størrelse' });
    await complete('cecilie.member', taskOf('cecilie.member'), { decision: 'returnForChanges', comment: 'Tilføj baseline for beskæftigelse' });
    await eventually(async () => expect((await stageOf(id)).stage).toBe('Motivation'));
    const returned = await stack.smtp.waitFor('sara.friis@example.dk', /^Sendt tilbage til sekretariatet/);
    expect(returned.text).toContain('Housing First');

    // Two secretaries revise the draft they both read: the later save, conditional on what it read, does not erase the other's.
    const read = (await stageOf(id)).revision;
    const jonas = await stack.as('jonas.secretariat');
    const first = await jonas.put(`/api/proposals/${id}`, { ...housingFirst, title: 'Housing First Aarhus' }, { 'if-match': `"${read}"` });
    expect(first.status).toBe(200);
    expect(first.body.revision).toBe(read + 1);
    const stale = await sara.put(`/api/proposals/${id}`, { ...housingFirst, title: 'Ændret' }, { 'if-match': `"${read}"` });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'revisedSinceDrawn', params: { revision: read + 1 } });
    expect((await stageOf(id)).proposal.title).toBe('Housing First Aarhus');
    // Nor is a revision the draft never had.
    const ahead = await sara.put(`/api/proposals/${id}`, housingFirst, { 'if-match': `"${read + 50}"` });
    expect(ahead.status).toBe(412);
    expect(ahead.body).toMatchObject({ code: 'revisionNotCurrent', params: { revision: read + 1 } });
    // Express's ETag of the whole view is not a revision.
    const weak = await sara.put(`/api/proposals/${id}`, housingFirst, { 'if-match': 'W/"2a-x"' });
    expect(weak.status).toBe(400);
    expect(weak.body.errors).toEqual([expect.objectContaining({ field: 'If-Match', code: 'revisionTag' })]);

    const revised = await sara.put(
      `/api/proposals/${id}`,
      {
        ...housingFirst,
        targetGroup: { ...housingFirst.targetGroup, estimatedSize: 150 },
        businessCase: { ...housingFirst.businessCase, requestedFromFund: '22500000' },
      },
      { 'if-match': `"${first.body.revision}"` },
    );
    expect(revised.status).toBe(200);
    expect(revised.body.revision).toBe(read + 2);
    expect((await sara.post(`/api/proposals/${id}/submit`)).body.stage).toBe('CouncilDecision');

    const round2 = await eventually(async () => {
      const tasks = await stack.store.tasks.find({ proposalId: id, kind: 'councilVote', round: 2 }).lean();
      expect(tasks).toHaveLength(3);
      return tasks;
    });
    expect(round2.every((t) => t.status === 'open')).toBe(true);
    const view = await stageOf(id);
    expect(view.rounds.map((r: { number: number; result?: string; decisionPaperVersion: number }) => [r.number, r.result ?? null, r.decisionPaperVersion])).toEqual([
      [1, 'returnForChanges', 1],
      [2, null, 2],
    ]);
    expect(view.rounds[0].ballots.map((b: { comment?: string }) => b.comment)).toEqual(['Uddyb målgruppens størrelse', 'Tilføj baseline for beskæftigelse']);
    const paper2 = await sara.get(`/api/proposals/${id}/decision-paper`);
    expect(paper2.body.version).toBe(2);
    expect(paper2.body.markdown).toContain('Ansøgt fra fonden: 22.500.000,00 kr.');
    expect((await sara.get(`/api/proposals/${id}/decision-paper?version=1`)).body.markdown).toContain('Ansøgt fra fonden: 23.000.000,00 kr.');
    // A vote from the earlier round is stale.
    expect((await complete('bo.member', taskOf('bo.member'), { decision: 'approve' })).status).toBe(409);
    await recordHistory(stack.client.workflow.getHandle(`proposal-${id}`), 'returned-and-resubmitted');
  });

  it('ends when the mayor refuses, with the reason on record', async () => {
    // Small enough for what the fund has left after the approval above.
    const { id, taskOf } = await submittedProposal({ ...housingFirst, businessCase: { ...housingFirst.businessCase!, requestedFromFund: '5000000' } });
    for (const m of members) await complete(m, taskOf(m), { decision: 'approve' });
    const attestation = await openTask(id, 'councilAttestation');
    await complete('anne.chair', attestation._id, { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true });
    const mayorTask = await openTask(id, 'mayoralApproval');
    const noReason = await complete('mayor', mayorTask._id, { decision: 'refuse' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors.map((e: { field: string }) => e.field)).toEqual(['reason']);
    expect(noReason.body.code).toBe('invalidRequest');
    expect((await complete('mayor', mayorTask._id, { decision: 'refuse', reason: 'Ikke i overensstemmelse med budgetaftalen' })).status).toBe(200);
    const closure = await stack.client.workflow.getHandle(`proposal-${id}`).result();
    expect(closure).toMatchObject({ stage: 'Refused', reason: { code: 'mayorRefused', text: 'Ikke i overensstemmelse med budgetaftalen' }, by: 'mayor' });
  });

  it('is withdrawn by the secretariat with a reason, cancelling what was open', async () => {
    const { id, taskOf } = await submittedProposal();
    const sara = await stack.as('sara.secretariat');
    expect((await sara.post(`/api/proposals/${id}/withdraw`, {})).status).toBe(400);
    expect((await (await stack.as('bo.member')).post(`/api/proposals/${id}/withdraw`, { reason: 'nej' })).status).toBe(403);
    const res = await sara.post(`/api/proposals/${id}/withdraw`, { reason: 'Leverandøren er gået konkurs' });
    expect(res.status).toBe(200);
    expect(res.body.stage).toBe('Withdrawn');
    const tasks = await stack.store.tasks.find({ proposalId: id }).lean();
    expect(tasks.map((t) => t.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect((await complete('bo.member', taskOf('bo.member'), { decision: 'approve' })).status).toBe(409);
    expect((await sara.post(`/api/proposals/${id}/withdraw`, { reason: 'igen' })).status).toBe(409);
    const view = await stageOf(id);
    expect(view.closure).toMatchObject({ stage: 'Withdrawn', reason: { code: 'withdrawn', text: 'Leverandøren er gået konkurs' }, by: 'sara.secretariat' });
    expect(tasks.map((t) => t.cancelReason)).toEqual(Array(3).fill({ code: 'proposalClosed', stage: 'Withdrawn' }));
  });

  it('cannot approve a commitment the fund cannot cover today, and says so', async () => {
    const sara = await stack.as('sara.secretariat');
    const tooBig = { ...housingFirst, businessCase: { ...housingFirst.businessCase!, totalCost: '60000000', requestedFromFund: '45000000' } };
    const { body } = await sara.post('/api/proposals', tooBig);
    await sara.post(`/api/proposals/${body.id}/submit`);
    const paper = await eventually(async () => {
      const res = await sara.get(`/api/proposals/${body.id}/decision-paper`);
      expect(res.status).toBe(200);
      return res;
    });
    expect(paper.body.paper.fundImpact.coverable).toBe(false);
    expect(paper.body.markdown).toContain('Fonden kan ikke dække forslaget med sin frie kapital.');
    // Two approvals decide; the third vote is then cancelled, so it is not waited for.
    for (const m of members.slice(0, 2)) {
      const task = await eventually(async () => (await stack.store.tasks.findOne({ proposalId: body.id, assignee: m, status: 'open' }).lean())!._id);
      expect((await complete(m, task, { decision: 'approve' })).status).toBe(200);
    }
    const view = await eventually(async () => {
      const v = await stageOf(body.id);
      expect(v.timeline.at(-1).details.stage).toBe('Motivation');
      return v;
    });
    expect(view.rounds[0].result).toBe('fundCannotCover');
    expect(view.timeline.at(-1).details.reason).toMatchObject({ code: 'fundCannotCover', requestedOre: 4_500_000_000, availableOre: expect.any(Number) });
    expect(await stack.store.tasks.countDocuments({ proposalId: body.id, kind: 'councilAttestation' })).toBe(0);
  });

  it('tells the secretariat when too many members are recused to decide', async () => {
    const { id, taskOf } = await submittedProposal();
    await complete('bo.member', taskOf('bo.member'), { decision: 'conflictOfInterest' });
    await complete('cecilie.member', taskOf('cecilie.member'), { decision: 'conflictOfInterest' });
    await eventually(async () => expect((await stageOf(id)).stage).toBe('Motivation'));
    await stack.smtp.waitFor('jonas.krogh@example.dk', /^Rådet kan ikke træffe beslutning/);
    expect((await stack.store.tasks.findById(taskOf('anne.chair')).lean())!.status).toBe('cancelled');
  });

  describe('refuses the wrong actor and bad input, writing nothing', () => {
    it('will not submit an incomplete proposal, and says what is missing', async () => {
      const sara = await stack.as('sara.secretariat');
      const { body } = await sara.post('/api/proposals', { ...housingFirst, motivation: undefined, outcomes: [] });
      const res = await sara.post(`/api/proposals/${body.id}/submit`);
      expect(res.status).toBe(422);
      expect(res.body.missing).toEqual([expect.stringMatching(/^outcomes/), expect.stringMatching(/^motivation/)]);
      expect((await stageOf(body.id)).stage).toBe('Motivation');
    });

    it('lets only the secretariat submit, revise or withdraw', async () => {
      const sara = await stack.as('sara.secretariat');
      const { body } = await sara.post('/api/proposals', housingFirst);
      const mayor = await stack.as('mayor');
      expect((await mayor.post(`/api/proposals/${body.id}/submit`)).status).toBe(403);
      expect((await mayor.put(`/api/proposals/${body.id}`, housingFirst)).status).toBe(403);
      expect((await stageOf(body.id)).stage).toBe('Motivation');
    });

    it("refuses a vote on another member's task, a second vote, a bad ballot and a task of the wrong stage", async () => {
      const { id, taskOf } = await submittedProposal();
      const stolen = await complete('bo.member', taskOf('anne.chair'), { decision: 'approve' });
      expect(stolen.status).toBe(403);
      expect((await stack.store.tasks.findById(taskOf('anne.chair')).lean())!.status).toBe('open');

      const bad = await complete('anne.chair', taskOf('anne.chair'), { decision: 'maybe' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].field).toBe('decision');

      expect((await complete('anne.chair', taskOf('anne.chair'), { decision: 'approve' })).status).toBe(200);
      const again = await complete('anne.chair', taskOf('anne.chair'), { decision: 'reject' });
      expect(again.status).toBe(409);
      expect(again.body.detail).toMatch(/already completed/);
      expect(again.body).toMatchObject({ code: 'taskNotOpen', params: { status: 'completed' } });
      // While the round is open the secretariat sees that Anne voted, and she alone how.
      expect((await stageOf(id)).rounds[0].ballots).toEqual([{ memberId: 'anne.chair', at: expect.any(String), withheld: true }]);
      const view = (await (await stack.as('anne.chair')).get(`/api/proposals/${id}`)).body;
      expect(view.rounds[0].ballots).toHaveLength(1);
      expect(view.rounds[0].ballots[0]).toMatchObject({ memberId: 'anne.chair', choice: 'approve' });
      // The secretariat oversees tasks but cannot vote in a member's place.
      expect((await complete('sara.secretariat', taskOf('bo.member'), { decision: 'approve' })).status).toBe(403);
    });

    it('lets exactly one of two simultaneous completions of the same task win', async () => {
      const { id, taskOf } = await submittedProposal();
      const task = taskOf('cecilie.member');
      const results = await Promise.all([complete('cecilie.member', task, { decision: 'approve' }), complete('cecilie.member', task, { decision: 'reject' })]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const view = await stageOf(id);
      expect(view.rounds[0].ballots).toHaveLength(1);
      const stored = await stack.store.tasks.findById(task).lean();
      const winner = results.find((r) => r.status === 200)!;
      expect(stored!.input).toEqual({ decision: winner === results[0] ? 'approve' : 'reject' });
    });

    it('shows a member only their own tasks', async () => {
      const { taskOf } = await submittedProposal();
      const bo = await stack.as('bo.member');
      const mine = await bo.get('/api/tasks?assignee=me&status=open');
      expect(mine.status).toBe(200);
      expect(mine.body.items.every((t: { assignee: string }) => t.assignee === 'bo.member')).toBe(true);
      expect(mine.body.items.map((t: { id: string }) => t.id)).toContain(taskOf('bo.member'));
      expect((await bo.get(`/api/tasks/${encodeURIComponent(taskOf('anne.chair'))}`)).status).toBe(403);
      expect((await bo.get('/api/tasks?assignee=anne.chair')).status).toBe(403);
    });
  });
});
