import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseDkk } from '../../domain/money';
import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { maxCouncilRounds } from '../../domain/council';
import { workflowIdFor } from '../../workflows/input';
import { completeOpen, waitForStage } from '../support/drive';
import { pageVisitor } from '../support/pageVisitor';
import { testServers } from '../support/servers';
import { startStack, type Stack } from '../support/stack';

const run = promisify(execFile);

/** The foundation's vertical slice, through HTTP, the real Temporal dev server and FerretDB. */
describe('creating and reading a proposal', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('proposal-api');
  });
  afterAll(() => stack?.stop());

  const countProposals = () => stack.store.proposals.countDocuments();

  it('starts one workflow per proposal and shows its live stage', async () => {
    const sara = await stack.as('sara.secretariat');
    const created = await sara.post('/api/proposals', housingFirst);
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    expect(id).toMatch(/^SIF-\d{4}-\d{3}$/);
    expect(created.headers.get('location')).toBe(`/api/proposals/${id}`);

    const shown = await sara.get(`/api/proposals/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id, stage: 'Motivation', live: true });
    // Money goes in and out as DKK, exact to the øre.
    expect(shown.body.proposal.businessCase.requestedFromFund).toBe('23000000.00');
    expect(shown.body.proposal.businessCase.expectedSavings[2].amount).toBe('4200000.50');
    expect(shown.body.temporal.workflowId).toBe(`proposal-${id}`);

    const stored = await stack.store.proposals.findById(id).lean();
    expect((stored!.content as { businessCase: { requestedFromFund: number } }).businessCase.requestedFromFund).toBe(2_300_000_000);

    const description = await stack.client.workflow.getHandle(`proposal-${id}`).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.memo).toEqual({ title: housingFirst.title });
  });

  it('lets an operator find the workflow by its search attributes with the temporal CLI', async () => {
    const sara = await stack.as('sara.secretariat');
    const { body } = await sara.post('/api/proposals', housingFirst);
    const { temporalCli, temporalAddress } = testServers();
    const query = `ProposalStage='Motivation' AND ProposalId='${body.id}' AND WelfareArea='homelessness' AND RequestedAmountDKK=23000000`;
    // Visibility is eventually consistent: allow it a moment to index.
    let found: { execution: { workflowId: string } }[] = [];
    for (let i = 0; i < 50 && found.length === 0; i++) {
      const { stdout } = await run(temporalCli, [
        'workflow',
        'list',
        '--address',
        temporalAddress,
        '--namespace',
        stack.config.temporal.namespace,
        '--query',
        query,
        '--output',
        'json',
      ]);
      found = stdout.trim() ? JSON.parse(stdout) : [];
      if (found.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(found.map((w) => w.execution.workflowId)).toEqual([`proposal-${body.id}`]);
  });

  describe('refuses bad input with problem+json naming the fields, and writes nothing', () => {
    it.each([
      ['bad JSON', { raw: '{"title": ' }, ['(body)']],
      ['a missing field', { body: { ...housingFirst, title: undefined } }, ['title']],
      ['a wrong type', { body: { ...housingFirst, targetGroup: { ...housingFirst.targetGroup, estimatedSize: 'many' } } }, ['targetGroup.estimatedSize']],
      ['an unknown field', { body: { ...housingFirst, priority: 'high' } }, ['priority']],
      ['money with three decimals', { body: { ...housingFirst, businessCase: { ...housingFirst.businessCase, totalCost: '1.005' } } }, ['businessCase.totalCost']],
      ['an unknown department', { body: { ...housingFirst, responsibleDepartment: 'XYZ' } }, ['responsibleDepartment']],
    ])('%s', async (_what, payload, fields) => {
      const sara = await stack.as('sara.secretariat');
      const before = await countProposals();
      const res = await stack.request('POST', '/api/proposals', { token: sara.token, ...payload });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(fields);
      expect(await countProposals()).toBe(before);
    });
  });

  it(`hears a proposal ${maxCouncilRounds} times at most: then the API refuses a submission and the case page offers none`, async () => {
    const sara = await stack.as('sara.secretariat');
    const id: string = (await sara.post('/api/proposals', housingFirst)).body.id;
    const handle = stack.client.workflow.getHandle(workflowIdFor(id));
    for (let round = 1; round <= maxCouncilRounds; round++) {
      expect((await sara.post(`/api/proposals/${id}/submit`, {})).status).toBe(200);
      for (let i = 0; i < 2; i++) await completeOpen(stack.store, handle, id, 'councilVote', { decision: 'returnForChanges' }, 'councilMember');
      await waitForStage(handle, 'Motivation');
    }
    expect(await sara.post(`/api/proposals/${id}/submit`, {})).toMatchObject({ status: 409, body: { code: 'councilRoundsExhausted', params: { max: maxCouncilRounds } } });
    const page = await (await pageVisitor(stack.api.url, 'sara.secretariat')).get(`/proposals/${id}`);
    expect(page.text).toContain(`Rådet har behandlet forslaget ${maxCouncilRounds} gange`);
    expect(page.text).not.toContain(`action="/proposals/${id}/submit"`);
    expect(page.text).toContain(`href="/proposals/${id}/edit"`);
  });

  it("takes the chair's conflict of interest from the attestation's page, and asks a member who voted to attest instead", async () => {
    const sara = await stack.as('sara.secretariat');
    const id: string = (await sara.post('/api/proposals', housingFirst)).body.id;
    expect((await sara.post(`/api/proposals/${id}/submit`)).status).toBe(200);
    const handle = stack.client.workflow.getHandle(workflowIdFor(id));
    for (const member of ['bo.member', 'cecilie.member']) {
      const vote = await eventually(async () => (await stack.store.tasks.findOne({ proposalId: id, kind: 'councilVote', assignee: member, status: 'open' }).lean())!._id);
      expect((await (await stack.as(member)).post(`/api/tasks/${encodeURIComponent(vote)}/complete`, { decision: 'approve' })).status).toBe(200);
    }
    const attestation = await eventually(async () => (await stack.store.tasks.findOne({ proposalId: id, kind: 'councilAttestation', status: 'open' }).lean())!);
    expect(attestation.assignee).toBe('anne.chair');
    const chair = await pageVisitor(stack.api.url, 'anne.chair');
    const page = `/tasks/${encodeURIComponent(attestation._id)}`;
    const form = (await chair.get(page)).text;
    expect(form).toContain('Jeg er inhabil i sagen');
    const sent = await chair.post(page, { _csrf: chair.csrfOf(form), attested: 'false', reason: 'Min søster leder leverandøren', conflictOfInterest: 'yes' });
    expect(sent.status).toBe(303);
    await eventually(async () => expect((await stack.store.tasks.findOne({ proposalId: id, kind: 'councilAttestation', status: 'open' }).lean())?.assignee).toBe('bo.member'));
    await completeOpen(stack.store, handle, id, 'councilAttestation', { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true }, 'councilMember');
    await waitForStage(handle, 'MayoralApproval');
  });

  it('answers 404 for an unknown proposal', async () => {
    const sara = await stack.as('sara.secretariat');
    const res = await sara.get('/api/proposals/SIF-1999-999');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: 404, detail: 'proposal SIF-1999-999 does not exist', code: 'notFound', params: { what: 'proposal', id: 'SIF-1999-999' } });
  });

  it('needs a valid token, and the secretariat role to create', async () => {
    expect((await stack.request('GET', '/api/proposals')).status).toBe(401);
    expect((await stack.request('GET', '/api/proposals', { token: 'not-a-jwt' })).status).toBe(401);
    const before = await countProposals();
    const bo = await stack.as('bo.member');
    const res = await bo.post('/api/proposals', housingFirst);
    expect(res.status).toBe(403);
    expect(res.body.detail).toMatch(/secretariat/);
    expect(res.body).toMatchObject({ code: 'needsRole', params: { roles: ['secretariat'] } });
    expect(await countProposals()).toBe(before);
  });

  it('lists proposals filtered by stage and area, paged', async () => {
    const sara = await stack.as('sara.secretariat');
    const res = await sara.get('/api/proposals?stage=Motivation&welfareArea=homelessness&pageSize=1');
    expect(res.status).toBe(200);
    expect(res.body.total).toBeGreaterThanOrEqual(2);
    expect(res.body.items).toHaveLength(1);
    expect(res.body.items[0]).toMatchObject({ stage: 'Motivation', welfareArea: 'homelessness', requestedFromFund: '23000000.00' });
    expect((await sara.get('/api/proposals?stage=Nowhere')).status).toBe(400);
  });

  it('publishes an OpenAPI 3.1 document generated from the schemas', async () => {
    const res = await stack.request('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.components.schemas.Proposal.required).toEqual(expect.arrayContaining(['title', 'summary', 'welfareArea', 'fundingTrack', 'responsibleDepartment']));
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/proposals', '/api/tasks/{id}/complete']));
  });
});

describe('the fund', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('fund-api');
  });
  afterAll(() => stack?.stop());

  it('opens with the configured capital and shows its balances in DKK', async () => {
    const bo = await stack.as('bo.member');
    const fund = await bo.get('/api/fund');
    expect(fund.status).toBe(200);
    expect(fund.body).toEqual({
      capital: '40000000.00',
      reserved: '0.00',
      paid: '0.00',
      granted: '0.00',
      returned: '0.00',
      earmarked: '0.00',
      free: '40000000.00',
      reservedByProposal: {},
      earmarkedByProposal: {},
    });
    const books = await bo.get('/api/fund/ledger?kind=capital');
    expect(books.body).toMatchObject({ total: 1, items: [{ seq: 1, kind: 'capital', amount: '40000000.00', date: '2025-01-01', freeAfter: '40000000.00' }] });
    expect((await bo.get('/api/fund/ledger?kind=gift')).status).toBe(400);

    // Ten years from the fund's start; nothing is committed yet, so it never runs dry.
    const outlook = await bo.get('/api/fund/outlook');
    expect(outlook.status).toBe(200);
    expect(outlook.body.without.years.map((y: { year: number }) => y.year)).toEqual(Array.from({ length: 10 }, (_, i) => 2025 + i));
    expect(outlook.body.without.years.every((y: { freeAtYearEnd: string }) => y.freeAtYearEnd === '40000000.00')).toBe(true);
    expect(outlook.body.without.runsDryIn).toBeNull();

    // A draft asking 45 million would run it dry: the council sees that before it decides.
    const sara = await stack.as('sara.secretariat');
    const big = await sara.post('/api/proposals', { ...housingFirst, businessCase: { ...housingFirst.businessCase!, totalCost: '50000000', requestedFromFund: '45000000' } });
    const withIt = await bo.get(`/api/fund/outlook?with=${big.body.id}`);
    expect(withIt.body.without.runsDryIn).toBeNull();
    expect(withIt.body.with.proposalId).toBe(big.body.id);
    expect(withIt.body.with.runsDryIn).toBeGreaterThanOrEqual(new Date().getUTCFullYear());
    const asked = withIt.body.with.years.reduce((s: number, y: { outcomePayments: string }) => s + parseDkk(y.outcomePayments)!, 0);
    expect(asked).toBe(4_500_000_000);
    expect((await bo.get('/api/fund/outlook?with=SIF-1999-999')).status).toBe(404);
    // Withdrawn, it asks for nothing: the outlook with it is the outlook without it.
    expect((await sara.post(`/api/proposals/${big.body.id}/withdraw`, { reason: 'For stort' })).status).toBe(200);
    await eventually(async () => expect((await stack.store.proposals.findById(big.body.id).lean())?.stage).toBe('Withdrawn'));
    expect((await bo.get(`/api/fund/outlook?with=${big.body.id}`)).body.with).toBeUndefined();
    expect((await stack.request('GET', '/api/fund')).status).toBe(401);
  });
});
