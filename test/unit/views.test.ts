import { z } from 'zod';
import { oreFieldsAsDkk, proposalContentView, stepInputView, taskInputView } from '../../api/views';
import { proposalSchema } from '../../domain/proposal';
import { housingFirst } from '../fixtures/proposals';
import { contractingActionInput } from '../../domain/contract';
import { cooperationAgreementInput } from '../../domain/cooperationAgreement';
import { procurementActionInput } from '../../domain/procurementInput';

const directAward = { action: 'recommendDirectAward', supplier: 'Boligsocialt Netværk', price: '12000000', reasons: 'Valideret forløb', rationale: 'Eneste leverandør' };

describe('what the API shows', () => {
  it('shows øre fields as DKK under their plain names, however deep', () => {
    expect(oreFieldsAsDkk({ capitalOre: 4_000_000_000, nested: [{ paidOre: 5 }], byDepartmentOre: { MSB: 150 }, count: 3 })).toEqual({
      capital: '40000000.00',
      nested: [{ paid: '0.05' }],
      byDepartment: { MSB: '1.50' },
      count: 3,
    });
  });

  it('shows agreed amounts per year as DKK again', () => {
    const decoded = cooperationAgreementInput.parse({
      savingsShare: { kind: 'amounts', perYear: [{ year: 2, amount: '1250000.5' }] },
      conditions: 'Efter revision',
    });
    expect(decoded.savingsShare).toEqual({ kind: 'amounts', perYear: [{ year: 2, amount: 125_000_050 }] });
    expect(taskInputView('cooperationAgreement', decoded)).toEqual({
      savingsShare: { kind: 'amounts', perYear: [{ year: 2, amount: '1250000.50' }] },
      conditions: 'Efter revision',
    });
  });

  it("shows a procurement or contracting step's money on the timeline as it was sent: DKK, not the øre the workflow holds", () => {
    const contract = contractingActionInput.parse({
      action: 'proposeContract',
      startDate: '2026-01-01',
      measurementMonths: [12],
      rateCard: [{ metric: 'Andel i egen bolig', unit: 'borgere', pricePerUnit: '100000', targetUnits: 40, maxPayment: '8000000.5' }],
      totalCap: '12000000',
      payee: 'investor',
    });
    expect(stepInputView('contracting.proposeContract', contract)).toMatchObject({
      totalCap: '12000000.00',
      rateCard: [{ pricePerUnit: '100000.00', maxPayment: '8000000.50', targetUnits: 40 }],
    });
    const award = procurementActionInput.parse(directAward);
    expect(stepInputView('procurement.recommendDirectAward', award)).toEqual({ ...directAward, price: '12000000.00' });
    expect(stepInputView('procurement.bidWindowClosed', undefined)).toBeUndefined();
  });

  it('shows a record kept before a rule was tightened as it was stored, its money still in DKK', () => {
    const stored = proposalSchema.parse(housingFirst);
    // Longer than today's 200 characters; the money beside it is shown in DKK as ever.
    const old = { ...stored, title: 'Housing First i Aarhus '.repeat(10) };
    const shown = proposalContentView(old);
    expect(shown.title).toBe(old.title);
    expect(shown.businessCase).toEqual(z.encode(proposalSchema, stored).businessCase);
    expect(shown.businessCase?.requestedFromFund).toBe(Number(housingFirst.businessCase?.requestedFromFund).toFixed(2));

    const award = procurementActionInput.parse(directAward);
    const reasons = 'Valideret forløb. '.repeat(2_000);
    expect(stepInputView('procurement.recommendDirectAward', { ...award, reasons })).toEqual({ ...directAward, price: '12000000.00', reasons });
    const comment = 'God evidens. '.repeat(400);
    expect(taskInputView('councilVote', { decision: 'approve', comment })).toEqual({ decision: 'approve', comment });
  });
});
