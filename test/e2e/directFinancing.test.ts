import { housingFirst, youthAnxietyGroups } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { pageVisitor } from '../support/pageVisitor';
import { startStack, type Stack } from '../support/stack';

/**
 * Issue 18.6 on the real servers: direct financing as the terms of reference define it.
 * Its effects need not fall on the municipality, so no expected savings are asked;
 * instead why no existing budget would carry it; and a configured ceiling (10 % of the
 * fund's 40 million in config/settings.json) refuses more.
 */
describe('direct financing', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('direct-financing');
  });
  afterAll(() => stack?.stop());

  const { whyNotInExistingBudget, ...withoutWhy } = youthAnxietyGroups.businessCase!;

  it('asks why no existing budget carries it instead of expected savings, and puts the answer in the decision paper', async () => {
    const sara = await stack.as('sara.secretariat');
    const draft = { ...youthAnxietyGroups, businessCase: { ...withoutWhy, expectedSavings: [] } };
    const id: string = (await sara.post('/api/proposals', draft)).body.id;
    const incomplete = await sara.post(`/api/proposals/${id}/submit`);
    expect(incomplete.status).toBe(422);
    expect(incomplete.body.missing).toEqual(['businessCase.whyNotInExistingBudget: why the initiative would not happen within an existing budget']);
    // Each part by its field and a code, as every other refusal of a field: a page or a client translates the code.
    expect(incomplete.body.errors).toEqual([expect.objectContaining({ field: 'businessCase.whyNotInExistingBudget', code: 'whyNotInExistingBudget' })]);

    // Through the form, as the secretariat drafts: the answer is kept, and no savings are needed.
    const pages = await pageVisitor(stack.api.url, 'sara.secretariat');
    const edit = await pages.get(`/proposals/${id}/edit`);
    expect(edit.text).toContain('Hvorfor bliver indsatsen ikke til inden for et eksisterende budget?');
    const saved = await pages.post(`/proposals/${id}/edit`, {
      _csrf: pages.csrfOf(edit.text),
      title: draft.title,
      summary: draft.summary,
      welfareArea: draft.welfareArea,
      fundingTrack: draft.fundingTrack,
      responsibleDepartment: draft.responsibleDepartment,
      'targetGroup.description': draft.targetGroup!.description,
      'targetGroup.estimatedSize': String(draft.targetGroup!.estimatedSize),
      'targetGroup.inclusionCriteria': draft.targetGroup!.inclusionCriteria.join('\n'),
      'outcomes.0.metric': draft.outcomes![0].metric,
      'outcomes.0.unit': draft.outcomes![0].unit,
      'outcomes.0.baseline': String(draft.outcomes![0].baseline),
      'outcomes.0.target': String(draft.outcomes![0].target),
      'outcomes.0.howMeasured': draft.outcomes![0].howMeasured,
      'outcomes.0.measuredAtMonths': draft.outcomes![0].measuredAtMonths.join(', '),
      'motivation.rationale': draft.motivation!.rationale,
      'motivation.evidence.0.kind': draft.motivation!.evidence[0].kind,
      'motivation.evidence.0.citation': draft.motivation!.evidence[0].citation,
      'businessCase.totalCost': '1.500.000',
      'businessCase.requestedFromFund': '1.200.000',
      'businessCase.whyNotInExistingBudget': whyNotInExistingBudget!,
    });
    expect(saved.status).toBe(303);
    expect((await sara.get(`/api/proposals/${id}`)).body.proposal.businessCase).toMatchObject({ expectedSavings: [], whyNotInExistingBudget });

    expect((await sara.post(`/api/proposals/${id}/submit`)).status).toBe(200);
    const paper = await eventually(async () => {
      const res = await stack.request('GET', `/api/proposals/${id}/decision-paper`, { token: sara.token, headers: { accept: 'text/markdown' } });
      expect(res.status).toBe(200);
      return res.body as string;
    });
    expect(paper).toContain(`## Direkte finansiering: hvorfor ikke inden for et eksisterende budget\n${whyNotInExistingBudget}`);
  });

  it('refuses direct financing above the ceiling, in the API and on the page, and only there', async () => {
    const sara = await stack.as('sara.secretariat');
    const big = { ...youthAnxietyGroups, businessCase: { ...youthAnxietyGroups.businessCase!, totalCost: '6000000', requestedFromFund: '5000000' } };
    const id: string = (await sara.post('/api/proposals', big)).body.id;
    const refused = await sara.post(`/api/proposals/${id}/submit`);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'directFinancingAboveCeiling', params: { ceilingOre: 4_000_000_00, requestedOre: 5_000_000_00 } });

    const pages = await pageVisitor(stack.api.url, 'sara.secretariat');
    const page = await pages.get(`/proposals/${id}`);
    const submitted = await pages.post(`/proposals/${id}/submit`, { _csrf: pages.csrfOf(page.text) });
    expect(submitted.status).toBe(422);
    expect(submitted.text).toContain('Direkte finansiering kan højst være 4.000.000,00 kr.; forslaget søger 5.000.000,00 kr.');
    expect((await sara.get(`/api/proposals/${id}`)).body.stage).toBe('Motivation');

    // The same amount outcome-based has no such ceiling, and still needs its expected savings.
    const outcome = { ...housingFirst, businessCase: { ...housingFirst.businessCase!, expectedSavings: [] } };
    const oid: string = (await sara.post('/api/proposals', outcome)).body.id;
    expect((await sara.post(`/api/proposals/${oid}/submit`)).body.missing).toEqual(['businessCase.expectedSavings: expected savings per department per year']);
  });
});
