import { z } from 'zod';
import { missingForSubmission } from '../../domain/completeness';
import { proposalSchema } from '../../domain/proposal';
import { earlyDraft, housingFirst } from '../fixtures/proposals';

describe('the proposal schema', () => {
  it('holds money as whole øre inside and shows DKK outside', () => {
    const p = proposalSchema.parse(housingFirst);
    expect(p.businessCase!.requestedFromFund).toBe(2_300_000_000);
    expect(p.businessCase!.expectedSavings[2].amount).toBe(420_000_050);
    expect(z.encode(proposalSchema, p).businessCase!.requestedFromFund).toBe('23000000.00');
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
    expect(missingForSubmission(draft)).toEqual([
      expect.stringMatching(/^targetGroup/),
      expect.stringMatching(/^outcomes/),
      expect.stringMatching(/^motivation/),
      expect.stringMatching(/^businessCase/),
    ]);
    expect(missingForSubmission(proposalSchema.parse(housingFirst))).toEqual([]);
  });

  it('refuses to ask the fund for more than the initiative costs', () => {
    const p = proposalSchema.parse({ ...housingFirst, businessCase: { ...housingFirst.businessCase, requestedFromFund: '30000000' } });
    expect(missingForSubmission(p)).toEqual([expect.stringMatching(/may not exceed the total cost/)]);
  });

  it('requires evidence behind the motivation', () => {
    const p = proposalSchema.parse({ ...housingFirst, motivation: { rationale: 'fordi', evidence: [] } });
    expect(missingForSubmission(p)).toEqual([expect.stringMatching(/^motivation.evidence/)]);
  });
});
