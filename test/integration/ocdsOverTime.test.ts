import { housingFirst } from '../fixtures/proposals';
import { approveThroughAgreement, completeOpen, councilApprovesThroughApi, measure, waitForStage } from '../support/drive';
import { eventually } from '../support/eventually';
import { expectValidOcds, libCoveOcds } from '../support/ocds';
import { startStack, type Stack } from '../support/stack';
import { ensureTools } from '../../provision/tools';
import { pageVisitor } from '../support/pageVisitor';
import { workflowIdFor } from '../../workflows/input';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- OCDS documents

/**
 * Issue 18.4 on the dev server and FerretDB: the Open Contracting export read at each
 * step of two cases, a tender whose proposal is withdrawn and a tendered contract to
 * its close. Each read is valid against the OCDS 1.1.5 schema and codelists, and all
 * of them pass lib-cove-ocds; reading again without a change gives the same bytes.
 */
describe('the Open Contracting export over a case’s life', () => {
  const tenderPeriod = 4_000;
  let stack: Stack;
  const exported: Json[] = [];
  beforeAll(async () => {
    stack = await startStack('ocds-over-time', {}, (config) => {
      config.procurement.minimumTenderMs = tenderPeriod;
      // Long enough for a read to land within it on a busy machine.
      config.procurement.standstill = 15_000;
    });
  });
  afterAll(() => stack?.stop());

  const proposal = { ...housingFirst, businessCase: { ...housingFirst.businessCase!, totalCost: '3500000', requestedFromFund: '3000000' } };

  /**
   * The export as a member of the public would read it: the raw bytes, checked, and its one
   * release. A 503 (the workflow did not answer in time on a busy machine) is asked again after
   * its Retry-After, as a client does.
   */
  async function read(id: string) {
    const token = (await stack.as('mayor')).token;
    let res = await fetch(`${stack.api.url}/api/proposals/${id}/ocds`, { headers: { authorization: `Bearer ${token}` } });
    for (let attempt = 1; res.status === 503 && attempt < 5; attempt++) {
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
      res = await fetch(`${stack.api.url}/api/proposals/${id}/ocds`, { headers: { authorization: `Bearer ${token}` } });
    }
    expect(res.status).toBe(200);
    const text = await res.text();
    const pkg = JSON.parse(text);
    exported.push(pkg);
    return { text, release: expectValidOcds(pkg) };
  }

  /** When the latest change the export follows was recorded: the timeline's last stage change or step. */
  async function lastChangeAt(id: string) {
    const events = await stack.store.events.find({ proposalId: id }).sort({ at: 1, _id: 1 }).lean();
    const followed = events.filter((e) => e.type === 'stageChanged' || /^(procurement\.(?!evaluate)|contracting\.)/.test(e.type));
    return followed.at(-1)!.at.toISOString();
  }

  const contractTerms = (metric: string) => ({
    action: 'proposeContract',
    startDate: '2024-01-01', // in the past: its measurement point comes due at once
    measurementMonths: [12],
    rateCard: [{ metric, unit: '%', pricePerUnit: '20000', targetUnits: 75, maxPayment: '1500000' }],
    totalCap: '2900000',
    payee: 'investor',
  });

  async function inProcurement() {
    const sara = await stack.as('sara.secretariat');
    const id: string = (await sara.post('/api/proposals', proposal)).body.id;
    const handle = stack.client.workflow.getHandle(workflowIdFor(id));
    await approveThroughAgreement(stack.store, handle, id);
    await waitForStage(handle, 'Procurement');
    const step = async (input: Record<string, unknown>, who = sara) => {
      const res = await who.post(`/api/proposals/${id}/procurement`, input);
      expect([input.action, res.status, res.body.code]).toEqual([input.action, 200, undefined]);
    };
    const tender = (deadline: number) => ({
      action: 'prepareTender',
      title: 'Housing First for unge hjemløse',
      description: 'Bostøtte efter ICM-metoden',
      awardCriteria: [{ name: 'Kvalitet', weight: 100 }],
      estimatedValue: '3000000',
      deadline: new Date(deadline).toISOString(),
    });
    return { id, handle, sara, step, tender };
  }

  it('publishes a withdrawn proposal’s open tender as cancelled, one never published as withdrawn, and the same bytes until something changes', async () => {
    const { id, handle, sara, step, tender } = await inProcurement();
    expect((await read(id)).release.tender.status).toBe('planning');
    await step({ action: 'decideProcedure', serviceKind: 'social', estimatedValue: '3000000', procedure: 'nationalTender' });
    await step(tender(Date.now() + 10 * 60_000));
    expect((await read(id)).release.tender.status).toBe('planned');
    await step({ action: 'publishTender' });

    const open = await read(id);
    expect(open.release).toMatchObject({ tag: ['planning', 'tender'], tender: { status: 'active' } });
    expect(open.release.date).toBe(await lastChangeAt(id));
    // A CVR number is eight digits; anything else is refused, named by field and code.
    const badCvr = await (
      await stack.as('jonas.secretariat')
    ).post(`/api/proposals/${id}/procurement`, { action: 'registerBid', bidder: 'Bostøtte Aarhus A/S', cvr: '1234-567', price: '2900000' });
    expect(badCvr.status).toBe(400);
    expect(badCvr.body.errors).toEqual([expect.objectContaining({ field: 'cvr', code: 'cvrNumber' })]);
    // A bid prices the effects the council approved: another metric is refused, naming those it did.
    const strayMetric = await (
      await stack.as('jonas.secretariat')
    ).post(`/api/proposals/${id}/procurement`, {
      action: 'registerBid',
      bidder: 'Bostøtte Aarhus A/S',
      price: '2900000',
      outcomePrices: [{ metric: 'Antal samtaler', pricePerUnit: '1000' }],
    });
    expect(strayMetric).toMatchObject({
      status: 422,
      body: {
        code: 'ruleNotMet',
        errors: [{ field: 'outcomePrices.0.metric', code: 'metricNotApproved', params: { approved: ['Andel i egen bolig', 'Andel i uddannelse eller job'] } }],
      },
    });
    // A contract sent while the case is still in procurement is refused for its stage, whatever it prices: by the API, and on the page (a stale tab's form).
    expect(await sara.post(`/api/proposals/${id}/contracting`, contractTerms('Antal samtaler'))).toMatchObject({
      status: 409,
      body: { code: 'wrongStage', params: { stage: 'Procurement', expected: 'Contracting' } },
    });
    const pages = await pageVisitor(stack.api.url, 'sara.secretariat');
    const stale = await pages.post(`/proposals/${id}/procurement`, {
      _csrf: pages.csrfOf((await pages.get(`/proposals/${id}/procurement`)).text),
      step: 'proposeContract',
      'proposeContract.startDate': '2024-01-01',
      'proposeContract.measurementMonths': '12',
      'proposeContract.rateCard.0.metric': 'Antal samtaler',
      'proposeContract.rateCard.0.unit': '%',
      'proposeContract.rateCard.0.pricePerUnit': '20000',
      'proposeContract.rateCard.0.targetUnits': '75',
      'proposeContract.rateCard.0.maxPayment': '1500000',
      'proposeContract.totalCap': '2900000',
      'proposeContract.payee': 'investor',
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('Det kan ikke lade sig gøre i fasen');
    // A sealed bid changes nothing the public reads, not even the release's date or id.
    await step({ action: 'registerBid', bidder: 'Bostøtte Aarhus A/S', cvr: '12345674', price: '2900000' }, await stack.as('jonas.secretariat'));
    expect((await read(id)).text).toBe(open.text);
    expect((await read(id)).text).toBe(open.text);

    expect((await sara.post(`/api/proposals/${id}/withdraw`, { reason: 'Indsatsen finansieres af staten' })).status).toBe(200);
    await waitForStage(handle, 'Withdrawn');
    const withdrawn = await eventually(async () => {
      const r = await read(id);
      expect(r.release.date).toBe(await lastChangeAt(id));
      return r;
    });
    expect(withdrawn.release).toMatchObject({ tag: ['planning', 'tender', 'tenderCancellation'], tender: { status: 'cancelled' }, awards: [] });
    expect(withdrawn.release.id).not.toBe(open.release.id);
    expect(Date.parse(withdrawn.release.date)).toBeGreaterThan(Date.parse(open.release.date));
    expect((await read(id)).text).toBe(withdrawn.text);

    // Withdrawn before its tender went out: no further information under this ocid.
    const planned = await inProcurement();
    await planned.step({ action: 'decideProcedure', serviceKind: 'social', estimatedValue: '3000000', procedure: 'nationalTender' });
    expect((await planned.sara.post(`/api/proposals/${planned.id}/withdraw`, { reason: 'Dropper udbuddet' })).status).toBe(200);
    await waitForStage(planned.handle, 'Withdrawn');
    expect((await read(planned.id)).release.tender.status).toBe('withdrawn');
  });

  it('follows a tendered contract from the open bid window to its termination, naming organisations by CVR number', async () => {
    const { id, handle, sara, step, tender } = await inProcurement();
    const jonas = await stack.as('jonas.secretariat');
    await step({ action: 'decideProcedure', serviceKind: 'social', estimatedValue: '3000000', procedure: 'nationalTender' });
    // Room for the publication and both bids before the deadline, and a read before it, on a busy machine.
    await step(tender(Date.now() + tenderPeriod + 20_000));
    await step({ action: 'publishTender' });
    await step({ action: 'registerBid', bidder: 'Bostøtte Aarhus A/S', cvr: '12345674', price: '2900000' }, jonas);
    await step({ action: 'registerBid', bidder: 'Ærø Bostøtte ApS', price: '2950000' }, jonas);
    expect((await read(id)).release.tender).not.toHaveProperty('tenderers');

    await eventually(async () => expect((await read(id)).release.tender.tenderers).toHaveLength(2), 60_000);
    const closed = (await read(id)).release;
    const ocid = closed.ocid;
    expect(closed.tender).toMatchObject({
      status: 'active',
      tenderers: [
        { id: 'DK-CVR-12345674', name: 'Bostøtte Aarhus A/S' },
        { id: `${ocid}-org-ærø-bostøtte-aps`, name: 'Ærø Bostøtte ApS' },
      ],
    });
    const party = (rel: Json, id: string) => rel.parties.find((p: Json) => p.id === id);
    expect(party(closed, 'DK-CVR-12345674').identifier).toEqual({ scheme: 'DK-CVR', id: '12345674', legalName: 'Bostøtte Aarhus A/S' });
    expect(party(closed, 'DK-CVR-55133018')).toMatchObject({ name: 'Aarhus Kommune', identifier: { scheme: 'DK-CVR', id: '55133018' }, roles: ['buyer', 'procuringEntity'] });
    expect(party(closed, `${ocid}-org-ærø-bostøtte-aps`)).not.toHaveProperty('identifier');

    await step({ action: 'evaluate', scores: ['bid-1.1', 'bid-1.2'].map((bidId, i) => ({ bidId, criterion: 'Kvalitet', score: 8 - i })) }, jonas);
    await step({ action: 'recommendAward', bidId: 'bid-1.1', reasons: 'Bedste forhold mellem kvalitet og pris' });
    await councilApprovesThroughApi(stack, id, 'awardDecision');
    const standstill = (await read(id)).release;
    expect(standstill).toMatchObject({
      tag: ['planning', 'tender', 'award'],
      tender: { status: 'active' },
      awards: [{ status: 'pending', suppliers: [{ id: 'DK-CVR-12345674' }] }],
    });

    await waitForStage(handle, 'Contracting');
    const awarded = await eventually(async () => {
      const r = (await read(id)).release;
      expect(r.date).toBe(await lastChangeAt(id));
      return r;
    });
    expect(awarded).toMatchObject({ tender: { status: 'complete' }, awards: [{ status: 'active' }] });

    const contract = async (input: Record<string, unknown>) => expect((await sara.post(`/api/proposals/${id}/contracting`, input)).status).toBe(200);
    await contract({ action: 'registerInvestorOffer', investor: 'Aarhus Impact A/S', cvr: '87654321', amountCommitted: '2900000', conditions: 'Tilbagebetaling' });
    await contract({ action: 'recommendInvestor', offerId: 'offer-1', comparison: 'Eneste tilbud', rationale: 'Eneste tilbud' });
    await councilApprovesThroughApi(stack, id, 'investorDecision');
    // The fund pays for an effect the council approved: a metric the proposal does not name is refused, naming those it does.
    expect(await sara.post(`/api/proposals/${id}/contracting`, contractTerms('Antal samtaler'))).toMatchObject({
      status: 422,
      body: {
        code: 'ruleNotMet',
        errors: [{ field: 'rateCard.0.metric', code: 'metricNotApproved', params: { approved: ['Andel i egen bolig', 'Andel i uddannelse eller job'] } }],
      },
    });
    await contract(contractTerms('Andel i egen bolig'));
    const proposed = (await read(id)).release;
    expect(proposed).toMatchObject({ tag: ['planning', 'tender', 'award', 'contract'], contracts: [{ status: 'pending', awardID: awarded.awards[0].id }] });
    expect(party(proposed, 'DK-CVR-87654321')).toMatchObject({ name: 'Aarhus Impact A/S', roles: ['funder', 'payee'] });

    await completeOpen(stack.store, handle, id, 'contractSigning', { signed: true }, 'secretariat');
    await completeOpen(stack.store, handle, id, 'contractSigning', { signed: true }, 'department');
    await waitForStage(handle, 'Implementation');
    // The contract is open to all: the mayor, who may not read the procurement, reads its terms on the case page, as the API gives them.
    const mayorsView = (await (await pageVisitor(stack.api.url, 'mayor')).get(`/proposals/${id}`)).text;
    expect(mayorsView).toContain('Resultatkontrakten');
    expect(mayorsView).toContain('Aarhus Impact A/S');
    expect(mayorsView).not.toContain('/procurement"');
    expect((await read(id)).release.contracts[0]).toMatchObject({ status: 'active', dateSigned: expect.any(String), milestones: [{ status: 'scheduled' }] });

    await measure(stack.store, handle, id, 12, { 'Andel i egen bolig': 60 }, '300000');
    const payment = (await stack.store.ledger.findOne({ proposalId: id, kind: 'outcomePayment' }).lean())!;
    const measured = (await read(id)).release;
    expect(measured.tag).toEqual(['planning', 'tender', 'award', 'contract', 'implementation']);
    expect(measured.contracts[0]).toMatchObject({
      status: 'active',
      milestones: [{ status: 'met', dateMet: payment.createdAt.toISOString() }],
      implementation: {
        transactions: [
          {
            id: 'contract.m12.payment',
            date: payment.createdAt.toISOString(),
            value: { amount: payment.amountOre / 100, currency: 'DKK' },
            payee: { id: 'DK-CVR-87654321' },
          },
        ],
      },
    });

    await completeOpen(stack.store, handle, id, 'contractFinalReport', { summary: 'Målene er nået', lessonsLearned: 'Tidlig kontakt virker' }, 'secretariat');
    expect(await handle.result()).toMatchObject({ stage: 'Closed' });
    const ended = await eventually(async () => {
      const r = await read(id);
      expect(r.release.date).toBe(await lastChangeAt(id));
      return r;
    });
    expect(ended.release).toMatchObject({
      tag: ['planning', 'tender', 'award', 'contract', 'contractTermination', 'implementation'],
      tender: { status: 'complete' },
      awards: [{ status: 'active' }],
      contracts: [{ status: 'terminated' }],
    });
    expect((await read(id)).text).toBe(ended.text);
  });

  it('never gives two releases one id, and lib-cove-ocds finds nothing in any of them but what strays from the schema', async () => {
    expect(exported.length).toBeGreaterThan(15);
    // A release id names one content: whenever two reads share an id, they are the same.
    const byId = new Map<string, string>();
    for (const release of exported.flatMap((p) => p.releases)) {
      const text = JSON.stringify(release);
      expect([release.id, byId.get(release.id) ?? text]).toEqual([release.id, text]);
      byId.set(release.id, text);
    }
    // Every distinct release read above, in one package: lib-cove-ocds runs once.
    const all = { ...exported[0], releases: [...byId.values()].map((text) => JSON.parse(text)) };
    const strayed = structuredClone(exported.at(-1));
    strayed.releases[0].tender.status = 'closed';
    strayed.releases[0].contracts[0].signedBy = 'sara.secretariat';
    const [found, wrong] = libCoveOcds((await ensureTools()).libcoveocds, [all, strayed]);
    expect(found).toMatchObject({ validation_errors: [], additional_closed_codelist_values: {}, additional_open_codelist_values: {}, additional_fields: [] });
    // Both checks have teeth: a status off the codelist and a field the schema lacks are caught.
    expect(() => expectValidOcds(strayed)).toThrow();
    expect(Object.keys(wrong.additional_closed_codelist_values)).toEqual(['releases/tender/status']);
    expect(wrong.additional_fields).toEqual([expect.objectContaining({ field: 'signedBy', path: '/releases/contracts' })]);
  });

  it('exports a case read the moment it is stored, before its workflow has put its creation on the timeline', async () => {
    const sara = await stack.as('sara.secretariat');
    const id: string = (await sara.post('/api/proposals', proposal)).body.id;
    const created = await eventually(async () => {
      const event = await stack.store.events.findOne({ proposalId: id, type: 'created' }).lean();
      expect(event).not.toBeNull();
      return event!;
    });
    const stored = (await stack.store.proposals.findById(id).lean())!;
    // As the API finds the case between its answer and the workflow's first step: its creation not yet on the timeline.
    await stack.store.events.deleteOne({ _id: created._id });
    try {
      expect((await read(id)).release.date).toBe(stored.createdAt!.toISOString());
    } finally {
      await stack.store.events.create(created);
    }
    expect((await read(id)).release.date).toBe(created.at.toISOString());
  });
});
