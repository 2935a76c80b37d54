import type { z } from 'zod';
import { contractingActionInput } from '../../domain/contract';
import { procurementActionInput } from '../../domain/procurementInput';
import { proposalSchema } from '../../domain/proposal';
import { taskInputSchemas, type TaskKind } from '../../domain/tasks';
import { withdrawSchema } from '../../api/routes/proposals';
import { reportNoteSchema } from '../../api/routes/reports';
import { councilEvaluationInput, reportNarrativeInput } from '../../domain/annualReportInput';
import { userSchema, userUpdateSchema } from '../../api/routes/users';
import { housingFirst } from '../fixtures/proposals';
import { startStack, type Stack } from '../support/stack';

/** A request that changes something, valid as it stands: each free-text field in it is tried with a CPR number. */
interface Route {
  as: string;
  method: 'POST' | 'PUT';
  path: string;
  schema: z.ZodType;
  body: object;
}

const url = 'https://www.example.dk/rapport.pdf';
const steps = (part: 'procurement' | 'contracting', schema: z.ZodType, bodies: object[]): [string, Route][] =>
  bodies.map((body) => [`${part}: ${(body as { action: string }).action}`, { as: 'sara.secretariat', method: 'POST', path: `/api/proposals/:id/${part}`, schema, body }]);
const task = (kind: TaskKind, body: Record<string, unknown>): [string, Route] => [
  `task: ${kind}${['decision', 'attested', 'confirmed', 'signed']
    .filter((k) => k in body)
    .map((k) => ` (${String(body[k])})`)
    .join('')}`,
  { as: 'sara.secretariat', method: 'POST', path: `/api/tasks/cpr-${kind}/complete`, schema: taskInputSchemas[kind], body },
];

const routes: [string, Route][] = [
  ['create a proposal', { as: 'sara.secretariat', method: 'POST', path: '/api/proposals', schema: proposalSchema, body: housingFirst }],
  ['revise a proposal', { as: 'sara.secretariat', method: 'PUT', path: '/api/proposals/:id', schema: proposalSchema, body: housingFirst }],
  ['withdraw a proposal', { as: 'sara.secretariat', method: 'POST', path: '/api/proposals/:id/withdraw', schema: withdrawSchema, body: { reason: 'Indsatsen findes allerede' } }],
  ...steps('procurement', procurementActionInput, [
    { action: 'decideProcedure', serviceKind: 'social', estimatedValue: '1000000', procedure: 'directAward', rationale: 'Kendt leverandør' },
    {
      action: 'prepareTender',
      title: 'Bostøtte',
      description: 'Intensiv bostøtte',
      documents: [{ title: 'Udbudsbetingelser', url }],
      awardCriteria: [{ name: 'Kvalitet', weight: 100 }],
      estimatedValue: '6000000',
      deadline: '2030-01-01T12:00:00Z',
    },
    { action: 'registerBid', bidder: 'Bostøtte ApS', price: '5000000', outcomePrices: [{ metric: 'Boliger', pricePerUnit: '1000' }], documents: [{ title: 'Tilbud', url }] },
    { action: 'recommendAward', bidId: 'bid-1.1', reasons: 'Bedste kvalitet', rationale: 'Bedste tilbud' },
    { action: 'recommendDirectAward', supplier: 'Bostøtte ApS', price: '900000', reasons: 'Kendt forløb', rationale: 'Eneste leverandør' },
    { action: 'recordComplaint', complainant: 'Konkurrent A/S', summary: 'Uklare kriterier' },
    { action: 'resolveComplaint', number: 1, upheld: false, note: 'Kriterierne var klare' },
    { action: 'retender', reason: 'For få tilbud' },
    { action: 'cancelTender', reason: 'Behovet er bortfaldet' },
  ]),
  ...steps('contracting', contractingActionInput, [
    { action: 'registerInvestorOffer', investor: 'Investor A/S', amountCommitted: '1000000', conditions: 'Tilbagebetaling af resultatbetalinger' },
    { action: 'recommendInvestor', offerId: 'offer-1', comparison: 'Ét tilbud', rationale: 'Eneste tilbud' },
    {
      action: 'proposeContract',
      startDate: '2030-01-01',
      measurementMonths: [12],
      rateCard: [{ metric: 'Boliger', unit: 'borgere', pricePerUnit: '1000', targetUnits: 10, maxPayment: '10000' }],
      totalCap: '10000',
      payee: 'investor',
    },
  ]),
  task('councilVote', { decision: 'approve', comment: 'Et godt forslag' }),
  task('councilAttestation', { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true, note: 'Lovligt' }),
  task('councilAttestation', { attested: false, reason: 'Uklart grundlag' }),
  task('mayoralApproval', { decision: 'approve', comment: 'Godkendt' }),
  task('mayoralApproval', { decision: 'refuse', reason: 'Ikke nu' }),
  task('cooperationAgreement', { savingsShare: { kind: 'percentage', basisPoints: 3000 }, conditions: 'Efter revision' }),
  task('grantAgreement', {
    grantee: 'Foreningen Unge',
    amount: '100000',
    tranches: [{ dueDate: '2030-01-01', amount: '100000', condition: 'Forløbet er startet' }],
    conditions: 'Vilkår',
  }),
  task('trancheConfirmation', { confirmed: true, note: 'Startet' }),
  task('trancheConfirmation', { confirmed: false, reason: 'Ikke startet' }),
  task('grantFinalReport', { summary: 'Forløbet er gennemført', resultsAchieved: '150 elever deltog', documents: [url] }),
  task('awardDecision', { decision: 'approve', comments: 'Godt valg' }),
  task('awardDecision', { decision: 'return', comments: 'For dyrt' }),
  task('investorDecision', { decision: 'conflictOfInterest', comments: 'Bestyrelsespost' }),
  task('contractSigning', { signed: true, note: 'Underskrevet' }),
  task('contractSigning', { signed: false, reason: 'Vilkårene holder ikke' }),
  task('outcomeReport', { results: [{ metric: 'Boliger', unitsAchieved: 3, evidence: 'Registerdata' }] }),
  task('outcomeVerification', { confirmed: true, note: 'Stemmer' }),
  task('outcomeVerification', { confirmed: false, corrected: [{ metric: 'Boliger', units: 2 }], note: 'Én flyttede' }),
  task('savingsConfirmation', { realisedSavings: '1000', note: 'Færre akutophold' }),
  task('contractFinalReport', { summary: 'Kontrakten er slut', lessonsLearned: 'Mål tidligt' }),
  task('stoppedCaseReview', { decision: 'release', reason: 'Sagen er stoppet' }),
  task('reportApproval', { decision: 'approve', comments: 'Fin' }),
  task('reportApproval', { decision: 'return', comments: 'Mere om resultaterne' }),
  [
    "the secretariat writes the annual report's text",
    {
      as: 'sara.secretariat',
      method: 'PUT',
      path: '/api/reports/2025/narrative',
      schema: reportNarrativeInput,
      body: { overallAssessment: 'Et godt år', projects: [{ proposalId: 'SIF-2025-001', commentary: 'Godt i gang' }], answersToCouncil: 'Rettet' },
    },
  ],
  [
    "the secretariat evaluates the council's work",
    { as: 'sara.secretariat', method: 'PUT', path: '/api/reports/2025/evaluation', schema: councilEvaluationInput, body: { evaluation: 'Rådet har mødtes seks gange' } },
  ],
  [
    'the secretariat sends the annual report to the council',
    { as: 'sara.secretariat', method: 'POST', path: '/api/reports/2025/submit', schema: reportNoteSchema, body: { note: 'Til rådet' } },
  ],
  ['the secretariat redrafts the annual report', { as: 'sara.secretariat', method: 'POST', path: '/api/reports/2025/redraft', schema: reportNoteSchema, body: { note: 'Rettet' } }],
  ['the secretariat sends the annual report', { as: 'sara.secretariat', method: 'POST', path: '/api/reports/2025/sent', schema: reportNoteSchema, body: { note: 'Sendt' } }],
  [
    'add a person',
    {
      as: 'hr.admin',
      method: 'POST',
      path: '/api/users',
      schema: userSchema,
      body: { id: 'ny.person', name: 'Ny Person', email: 'ny.person@example.dk', roles: ['secretariat'] },
    },
  ],
  ['rename a person', { as: 'hr.admin', method: 'PUT', path: '/api/users/bo.member', schema: userUpdateSchema, body: { name: 'Bo Lind', department: 'Socialforvaltningen' } }],
];

/** Identifiers a person picks rather than types; the workflow or the user record checks them. */
const references = new Set(['id', 'bidId', 'offerId', 'proposalId']);

type Path = (string | number)[];
function stringLeaves(value: unknown, path: Path = []): Path[] {
  if (typeof value === 'string') return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringLeaves(v, [...path, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringLeaves(v, [...path, k]));
  return [];
}
function withLeaf(body: object, path: Path, change: (text: string) => string): object {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((o, k) => o[k] as Record<string | number, unknown>, copy);
  parent[path.at(-1)!] = change(parent[path.at(-1)!] as string);
  return copy;
}
const addition = (said: string) => (text: string) => (/^https?:/.test(text) ? `${text}?ref=${said.replace(/\D/g, '')}` : `${text} (${said})`);

/**
 * Free text is any string the schema takes with more words added (an enum, an amount, a
 * date or an e-mail address does not); every one of them, in every request that changes
 * something, is tried with a citizen's CPR number.
 */
const cases = routes.flatMap(([name, route]) =>
  stringLeaves(route.body)
    .filter((path) => !references.has(String(path.at(-1))) && route.schema.safeParse(withLeaf(route.body, path, addition('se 1234'))).success)
    .map((path) => [name, path.join('.'), route, path] as const),
);

describe('a CPR number in any free-text field', () => {
  let stack: Stack;
  let proposalId = '';

  beforeAll(async () => {
    stack = await startStack('cpr-numbers');
    proposalId = (await (await stack.as('sara.secretariat')).post('/api/proposals', housingFirst)).body.id;
    // Tasks of every kind to answer: the answer is refused before any workflow is asked.
    const kinds = Object.keys(taskInputSchemas) as TaskKind[];
    await stack.store.tasks.insertMany(
      kinds.map((kind) => ({ _id: `cpr-${kind}`, proposalId, kind, assignee: 'sara.secretariat', status: 'open', dueAt: new Date(Date.now() + 86_400_000), overdue: false })),
    );
  });
  afterAll(() => stack?.stop());

  it('is looked for in every free-text field of every request that changes something', () => {
    expect(cases.length).toBeGreaterThan(60);
    expect(new Set(cases.map(([name]) => name))).toEqual(new Set(routes.map(([name]) => name)));
  });

  it.each(cases)('%s: %s is refused with 422 naming the field', async (_name, field, route, path) => {
    const person = await stack.as(route.as);
    const res = await stack.request(route.method, route.path.replace(':id', proposalId), { token: person.token, body: withLeaf(route.body, path, addition('cpr 010190-1234')) });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'cprNumber', params: { fields: [field] }, errors: [{ field, code: 'cprNumber' }] });
    expect(JSON.stringify(res.body)).not.toContain('010190');
  });

  it('is refused as a user id, which every record of the person carries', async () => {
    const admin = await stack.as('hr.admin');
    const res = await stack.request('POST', '/api/users', { token: admin.token, body: { id: '010190-1234', name: 'Ny Person', email: 'ny@example.dk', roles: ['secretariat'] } });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'cprNumber', errors: [{ field: 'id', code: 'cprNumber' }] });
  });

  it('writes nothing', async () => {
    const { store } = stack;
    expect(await store.proposals.countDocuments()).toBe(1);
    expect((await store.proposals.findById(proposalId).lean())!.revision).toBe(0);
    expect(await store.tasks.countDocuments({ status: { $ne: 'open' } })).toBe(0);
    expect(await store.users.exists({ _id: 'ny.person' })).toBeNull();
    expect((await store.users.findById('bo.member').lean())!.name).toBe('Bo Lind');
    expect((await (await stack.as('sara.secretariat')).get(`/api/proposals/${proposalId}`)).body).toMatchObject({ stage: 'Motivation', live: true });
  });
});
