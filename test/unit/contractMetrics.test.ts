import { contractingActionInput, unapprovedMetricIssues } from '../../domain/contract';
import { fieldProblems } from '../../api/problem';
import { z } from 'zod';

const outcomes = [{ metric: 'Andel i egen bolig' }, { metric: 'Andel i uddannelse eller job' }];
const contract = (...metrics: string[]) =>
  contractingActionInput.parse({
    action: 'proposeContract',
    startDate: '2027-01-01',
    measurementMonths: [12],
    rateCard: metrics.map((metric) => ({ metric, unit: 'borgere', pricePerUnit: '1000', targetUnits: 10, maxPayment: '10000' })),
    totalCap: '10000',
    payee: 'investor',
  });

describe("a contract's rate card against the outcomes the council approved", () => {
  it('pays for approved outcome metrics only, named as the proposal names them (case and spacing aside)', () => {
    expect(unapprovedMetricIssues(contract('Andel i egen bolig', ' andel i  UDDANNELSE eller job '), outcomes)).toEqual([]);
    const problems = fieldProblems(new z.ZodError(unapprovedMetricIssues(contract('Andel i egen bolig', 'Antal samtaler'), outcomes)));
    expect(problems).toEqual([
      {
        field: 'rateCard.1.metric',
        code: 'metricNotApproved',
        message: 'must be one of the outcome metrics the council approved: Andel i egen bolig; Andel i uddannelse eller job',
        params: { approved: ['Andel i egen bolig', 'Andel i uddannelse eller job'] },
      },
    ]);
  });

  it('concerns only the contract, not the other steps', () => {
    const offer = contractingActionInput.parse({ action: 'registerInvestorOffer', investor: 'Investor A/S', amountCommitted: '1000', conditions: 'Afdrag' });
    expect(unapprovedMetricIssues(offer, [])).toEqual([]);
  });
});
