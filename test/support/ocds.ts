/**
 * The OCDS 1.1.5 codelist values the fund's export uses, written out here so a test
 * fails when the export strays from them (the official schema is not shipped with
 * the project).
 */
const codelists = {
  releaseTag: [
    'planning',
    'planningUpdate',
    'tender',
    'tenderAmendment',
    'tenderUpdate',
    'tenderCancellation',
    'award',
    'awardUpdate',
    'awardCancellation',
    'contract',
    'contractUpdate',
    'contractAmendment',
    'implementation',
    'implementationUpdate',
    'contractTermination',
    'compiled',
  ],
  tenderStatus: ['planning', 'planned', 'active', 'cancelled', 'unsuccessful', 'complete', 'withdrawn'],
  method: ['open', 'selective', 'limited', 'direct'],
  awardCriteria: ['priceOnly', 'costOnly', 'qualityOnly', 'ratedCriteria', 'lowestCost', 'bestProposal', 'bestValueToGovernment', 'singleBidOnly'],
  awardStatus: ['pending', 'active', 'cancelled', 'unsuccessful'],
  contractStatus: ['pending', 'active', 'cancelled', 'terminated'],
  partyRole: ['buyer', 'procuringEntity', 'supplier', 'tenderer', 'funder', 'enquirer', 'payer', 'payee', 'reviewBody', 'interestedParty'],
  milestoneType: ['preProcurement', 'approval', 'engagement', 'assessment', 'delivery', 'reporting', 'financing', 'payment'],
  milestoneStatus: ['scheduled', 'met', 'notMet', 'partiallyMet'],
  initiationType: ['tender'],
};
const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking an OCDS document

/** The package's required fields, every code from its codelist, every date a date-time, every amount in DKK. */
export function expectValidOcds(pkg: Json) {
  const inList = (list: keyof typeof codelists, value: unknown) => expect(codelists[list]).toContain(value);
  const amount = (v: Json) => {
    expect(typeof v.amount).toBe('number');
    expect(v.currency).toBe('DKK');
  };
  expect(pkg).toMatchObject({ version: '1.1', uri: expect.any(String), publisher: { name: expect.any(String) } });
  expect(pkg.publishedDate).toMatch(dateTime);
  expect(pkg.releases).toHaveLength(1);
  const r = pkg.releases[0];
  expect(r.ocid).toMatch(/^ocds-[a-z0-9]{6}-/);
  expect(r.id).toEqual(expect.any(String));
  expect(r.date).toMatch(dateTime);
  r.tag.forEach((t: string) => inList('releaseTag', t));
  inList('initiationType', r.initiationType);
  const partyIds = new Set(r.parties.map((p: Json) => p.id));
  r.parties.forEach((p: Json) => p.roles.forEach((role: string) => inList('partyRole', role)));
  expect(partyIds.has(r.buyer.id)).toBe(true);
  if (r.planning.budget) amount(r.planning.budget.amount);
  if (r.tender) {
    inList('tenderStatus', r.tender.status);
    if (r.tender.procurementMethod) inList('method', r.tender.procurementMethod);
    if (r.tender.awardCriteria) inList('awardCriteria', r.tender.awardCriteria);
    if (r.tender.value) amount(r.tender.value);
    if (r.tender.tenderPeriod?.startDate) expect(r.tender.tenderPeriod.startDate).toMatch(dateTime);
    if (r.tender.tenderPeriod?.endDate) expect(r.tender.tenderPeriod.endDate).toMatch(dateTime);
    // While the bid window is open the tenderers are not published, not even their number.
    if (r.tender.status === 'active' && !r.tender.tenderers) expect(r.tender).not.toHaveProperty('numberOfTenderers');
    else {
      r.tender.tenderers.forEach((t: Json) => expect(partyIds.has(t.id)).toBe(true));
      expect(r.tender.numberOfTenderers).toBe(r.tender.tenderers.length);
    }
  }
  for (const a of r.awards) {
    inList('awardStatus', a.status);
    expect(a.date).toMatch(dateTime);
    amount(a.value);
    a.suppliers.forEach((s: Json) => expect(partyIds.has(s.id)).toBe(true));
  }
  for (const c of r.contracts) {
    inList('contractStatus', c.status);
    expect(r.awards.map((a: Json) => a.id)).toContain(c.awardID);
    amount(c.value);
    expect(c.period.startDate).toMatch(dateTime);
    expect(c.period.endDate).toMatch(dateTime);
    if (c.dateSigned) expect(c.dateSigned).toMatch(dateTime);
    (c.implementation?.transactions ?? []).forEach((tr: Json) => {
      amount(tr.value);
      expect(tr.date).toMatch(dateTime);
      expect(partyIds.has(tr.payer.id)).toBe(true);
      expect(partyIds.has(tr.payee.id)).toBe(true);
    });
    c.milestones.forEach((m: Json) => {
      inList('milestoneType', m.type);
      inList('milestoneStatus', m.status);
      expect(m.dueDate).toMatch(dateTime);
    });
  }
  return r;
}
