import { contractingActionInput } from '../../domain/contract';
import { unapprovedMetricIssues } from '../../domain/pricedMetrics';
import { procurementActionInput } from '../../domain/procurementInput';
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

describe("a bid's outcome prices against the outcomes the council approved", () => {
  const bid = (...metrics: string[]) =>
    procurementActionInput.safeParse({
      action: 'registerBid',
      bidder: 'Bostøtte A/S',
      price: '2900000',
      outcomePrices: metrics.map((metric) => ({ metric, pricePerUnit: '20000' })),
    });

  it('prices approved outcome metrics only, each once, and a bid without outcome prices is taken', () => {
    expect(unapprovedMetricIssues(bid().data!, outcomes)).toEqual([]);
    expect(unapprovedMetricIssues(bid('ANDEL I EGEN BOLIG').data!, outcomes)).toEqual([]);
    expect(fieldProblems(new z.ZodError(unapprovedMetricIssues(bid('Andel i egen bolig', 'Boliger').data!, outcomes)))).toEqual([
      expect.objectContaining({ field: 'outcomePrices.1.metric', code: 'metricNotApproved', params: { approved: ['Andel i egen bolig', 'Andel i uddannelse eller job'] } }),
    ]);
    expect(fieldProblems(bid('Andel i egen bolig', ' andel i  egen bolig').error!)).toEqual([expect.objectContaining({ field: 'outcomePrices.1.metric', code: 'metricOnce' })]);
  });
});
