import { z } from 'zod';
import { missingForSubmission } from '../../domain/completeness';
import { buildDecisionPaper, renderDecisionPaper } from '../../domain/decisionPaper';
import { ownIssue } from '../../domain/issues';
import { proposalSchema } from '../../domain/proposal';
import { earlyDraft, housingFirst } from '../fixtures/proposals';

describe('the proposal schema', () => {
  it('holds money as whole øre inside and shows DKK outside', () => {
    const p = proposalSchema.parse(housingFirst);
    expect(p.businessCase!.requestedFromFund).toBe(2_300_000_000);
    expect(p.businessCase!.expectedSavings[2].amount).toBe(420_000_050);
    expect(z.encode(proposalSchema, p).businessCase!.requestedFromFund).toBe('23000000.00');
  });

  it('takes amounts only as large as a case can add up exactly, so its decision paper can always be written', () => {
    const largest = '99999999999.99';
    const rows = Array.from({ length: 100 }, (_, i) => ({ department: `D${i % 3}`, year: (i % 30) + 1, amount: largest }));
    const p = proposalSchema.parse({ ...housingFirst, businessCase: { ...housingFirst.businessCase, totalCost: largest, expectedSavings: rows } });
    const paper = buildDecisionPaper('p-1', 1, p, { capitalOre: 0, freeOre: 0, committedOre: 0 }, '2026-11-30T12:00:00.000Z');
    expect(renderDecisionPaper(paper)).toContain('D0');
    const tooMuch = proposalSchema.safeParse({
      ...housingFirst,
      businessCase: { ...housingFirst.businessCase, expectedSavings: [{ department: 'MSB', year: 1, amount: '100000000000' }] },
    });
    expect(tooMuch.error?.issues.map((i) => [i.path.join('.'), (i as { params?: { code?: string } }).params?.code])).toEqual([
      ['businessCase.expectedSavings.0.amount', 'dkkAmount'],
    ]);
  });

  it('names an outcome metric on one line, and never by a name every object already has, by which payments are looked up', () => {
    const codes = (metric: string) =>
      proposalSchema.safeParse({ ...housingFirst, outcomes: [{ ...housingFirst.outcomes![0], metric }] }).error?.issues.map((i) => [i.path.join('.'), ownIssue(i)?.code]);
    expect(codes('constructor')).toEqual([['outcomes.0.metric', 'metricNameReserved']]);
    expect(codes('__proto__')).toEqual([['outcomes.0.metric', 'metricNameReserved']]);
    expect(codes('Borgere i egen bolig\nefter et år')).toEqual([['outcomes.0.metric', 'metricNameOneLine']]);
    expect(codes('Borgere i egen bolig efter et år')).toBeUndefined();
  });

  it("takes an outcome's baseline and target as numbers the proposal's form shows plainly and takes back", () => {
    const fields = (baseline: number) =>
      proposalSchema.safeParse({ ...housingFirst, outcomes: [{ ...housingFirst.outcomes![0], baseline }] }).error?.issues.map((i) => [i.path.join('.'), i.code]);
    expect(fields(1e21)).toEqual([['outcomes.0.baseline', 'too_big']]);
    expect(fields(1e-7)).toEqual([['outcomes.0.baseline', 'not_multiple_of']]);
    for (const plain of [0.35, -12.5, 0.0001, 1e12, 35]) expect([plain, fields(plain)]).toEqual([plain, undefined]);
  });

  it('names each bad field', () => {
    const result = proposalSchema.safeParse({
      ...housingFirst,
      welfareArea: 'space',
      businessCase: { ...housingFirst.businessCase, totalCost: '12.345' },
      colour: 'blue',
    });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path.join('.') || (i.code === 'unrecognized_keys' ? i.keys.join() : ''));
    expect(paths).toEqual(expect.arrayContaining(['welfareArea', 'businessCase.totalCost', 'colour']));
  });

  it('accepts an early draft but lists what it lacks before submission', () => {
    const draft = proposalSchema.parse(earlyDraft);
    expect(missingForSubmission(draft).map((m) => m.code)).toEqual(['targetGroup', 'outcomes', 'motivation', 'businessCase']);
    expect(missingForSubmission(proposalSchema.parse(housingFirst))).toEqual([]);
  });

  it('refuses to ask the fund for more than the initiative costs', () => {
    const p = proposalSchema.parse({ ...housingFirst, businessCase: { ...housingFirst.businessCase, requestedFromFund: '30000000' } });
    expect(missingForSubmission(p)).toEqual([{ field: 'businessCase.requestedFromFund', code: 'requestedAboveCost' }]);
  });

  it('requires evidence behind the motivation', () => {
    const p = proposalSchema.parse({ ...housingFirst, motivation: { rationale: 'fordi', evidence: [] } });
    expect(missingForSubmission(p)).toEqual([{ field: 'motivation.evidence', code: 'evidence' }]);
  });
});
