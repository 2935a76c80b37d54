import { z } from 'zod';
import { customIssue, issue, issueEnglish, ownIssue, type Issue } from '../../domain/issues';
import { render } from '../../domain/codes';
import { isReason, isRefusal, reasonEnglish, refusalEnglish, refusalText, type Reason, type Refusal } from '../../domain/refusals';
import { dict, langs, reasonWords } from '../../i18n';
import { grantAgreementInput } from '../../domain/grant';
import { contractingActionInput } from '../../domain/contract';
import { tenderInput } from '../../domain/procurementInput';

/** Parameters of every kind a code may take, so each sentence is rendered once in each language. */
const sample: Record<string, unknown> = {
  stage: 'Procurement',
  expected: 'Contracting',
  roles: ['secretariat'],
  what: 'proposal',
  id: 'SIF-2025-001',
  taskId: 't1',
  status: 'completed',
  kind: 'councilVote',
  role: 'secretariat',
  metrics: ['housed', 'employed'],
  approved: ['housed', 'employed'],
  metric: 'housed',
  approvedOre: 2_000_000_00,
  repaymentCapOre: 1_800_000_00,
  minimumMs: 30 * 86_400_000,
  valueOre: 6_000_000_00,
  ceilingOre: 1_644_638_00,
  earliest: '2030-01-01T12:00:00.000Z',
  deadline: '2030-01-01T12:00:00.000Z',
  procedure: 'euTender',
  proposed: 'euTender',
  chosen: 'directAward',
  bidId: 'bid-1.1',
  first: 'bid-1.2',
  number: 1,
  offerId: 'offer-1',
  year: 2025,
  freeOre: 100,
  amountOre: 200,
  reservedOre: 50,
  proposalId: 'SIF-2025-001',
  key: 'k',
  userId: 'bo.member',
  message: 'no',
  comments: ['Mere evidens'],
  text: 'Fri tekst',
  availableOre: 100,
  requestedOre: 200,
  sum: 90,
  departments: ['MSO', 'MBU'],
  case: 'proposal',
  earmarkedOre: 150,
  max: 100,
  dependency: 'database',
  fields: ['summary'],
  origin: 'https://cloud.temporal.io',
  keyId: 'k-2025',
  method: 'TRACE',
  allow: ['GET', 'HEAD'],
  contentType: 'text/plain',
  limit: '1048576 bytes',
  caseId: 'SIF-2025-001',
  startsAt: '2030-01-01T12:00:00.000Z',
  items: ['i1', 'i2'],
  members: ['bo.member'],
  revision: 2,
  at: '2026-12-01T10:00:00.000Z',
  itemId: 'i1',
  decision: 'approve',
};
const item = <T>(code: string) => ({ code, ...sample }) as T;

describe('the catalogue of refusals, reasons and issues', () => {
  it('words every code in English and in both page languages, never empty and never the code itself', () => {
    const tables = [
      ['refusal', refusalEnglish, ...langs.map((l) => dict(l).refusal)],
      ['reason', reasonEnglish, ...langs.map((l) => dict(l).reason)],
      ['issue', issueEnglish, ...langs.map((l) => dict(l).issue)],
    ] as const;
    for (const [name, english, ...translated] of tables) {
      const codes = Object.keys(english).sort();
      for (const table of translated) expect([name, Object.keys(table).sort()]).toEqual([name, codes]);
      for (const code of codes) {
        for (const table of [english, ...translated]) {
          const words = render(table as never, item<{ code: string }>(code));
          expect(typeof words).toBe('string');
          expect(words.trim()).not.toBe('');
          expect(words).not.toBe(code);
        }
      }
    }
  });

  it('tells a refusal or a reason from anything else that came over the wire', () => {
    expect(isRefusal({ code: 'taskStale', stage: 'Motivation' })).toBe(true);
    expect(isRefusal({ code: 'noSuchThing' })).toBe(false);
    expect(isRefusal('the task is stale')).toBe(false);
    expect(isReason({ code: 'contractEnded' })).toBe(true);
    expect(isReason({ code: 'taskStale' })).toBe(false);
  });

  it('keeps the English the API has always given', () => {
    const stale: Refusal = { code: 'taskStale', stage: 'Procurement' };
    expect(refusalText(stale)).toBe('the proposal is in Procurement; the task is stale');
    expect(refusalText({ code: 'capTooHigh', approvedOre: 2_000_000_00 })).toBe('the cap may not exceed the 2000000 DKK the council and the mayor approved');
  });

  it('translates stored reasons by code, and shows records from before codes in their own words', () => {
    const closed: Reason = { code: 'proposalClosed', stage: 'Withdrawn' };
    expect(reasonWords('da', closed)).toBe('forslaget er trukket tilbage');
    expect(reasonWords('da', { code: 'mayorRefused', text: 'Ikke i budgettet' })).toContain('«Ikke i budgettet»');
    expect(reasonWords('da', 'the council has decided')).toBe('the council has decided');
    expect(reasonWords('da', undefined)).toBe('');
  });

  it("reads the schemas' own rules back as codes, with their parameters", () => {
    const weights = tenderInput.safeParse({ title: 'T', description: 'D', estimatedValue: '1', deadline: '2030-01-01T12:00:00Z', awardCriteria: [{ name: 'Pris', weight: 90 }] });
    expect(weights.error?.issues.map(ownIssue)).toEqual([{ code: 'weightsSum', sum: 90 }]);
    const grant = grantAgreementInput.safeParse({ grantee: 'G', amount: '0', tranches: [{ dueDate: '2030-01-01', amount: '0', condition: 'c' }], conditions: 'c' });
    expect(grant.error?.issues.map(ownIssue)).toContainEqual({ code: 'moreThanZero' });
    const required = z.string().min(1, issue('reasonRequired')).safeParse('');
    expect(ownIssue(required.error!.issues[0])).toEqual({ code: 'reasonRequired' });
    expect(ownIssue(z.string().min(1).safeParse('').error!.issues[0])).toBeUndefined();
    const own: Issue = { code: 'criterionOnce' };
    expect(customIssue(own, ['awardCriteria'])).toMatchObject({ code: 'custom', message: 'each criterion once', params: own });
  });

  it('refuses a grant tranche of nothing, which no booking could pay and the grant would wait on for ever', () => {
    const tranche = (amount: string) => ({ dueDate: '2030-01-01', amount, condition: 'Slutrapport' });
    const grant = grantAgreementInput.safeParse({ grantee: 'G', amount: '100000', tranches: [tranche('100000'), tranche('0')], conditions: 'c' });
    expect(grant.error?.issues.map((i) => [i.path.join('.'), ownIssue(i)])).toEqual([['tranches.1.amount', { code: 'moreThanZero' }]]);
  });

  it('refuses a rate card that names a metric twice, which would be paid twice for the same units', () => {
    const line = (metric: string) => ({ metric, unit: 'borgere', pricePerUnit: '10000', targetUnits: 50, maxPayment: '500000' });
    const contract = (...metrics: string[]) =>
      contractingActionInput.safeParse({
        action: 'proposeContract',
        startDate: '2030-01-01',
        measurementMonths: [12],
        rateCard: metrics.map(line),
        totalCap: '1000000',
        payee: 'investor',
      });
    expect(contract('Bolig', 'Job').success).toBe(true);
    expect(contract('Bolig', 'bolig').error?.issues.map((i) => [i.path.join('.'), ownIssue(i)])).toEqual([['rateCard.1.metric', { code: 'metricOnce' }]]);
  });
});
