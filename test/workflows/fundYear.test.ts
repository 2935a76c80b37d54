import { ledger } from '../../store/ledger';
import { annualReportWorkflowId, renderAnnualReport } from '../../domain/annualReport';
import { annualReport, reportDeadlines } from '../../workflows/annualReport';
import type { AnnualReport } from '../../domain/annualReport';
import { grantAgreementInput } from '../../domain/grant';
import { balancesOf } from '../../domain/ledger';
import { housingFirst, type2Diabetes, youthAnxietyGroups } from '../fixtures/proposals';
import { approveAndSendReport, approveThroughAgreement, completeOpen, measure, signContract, waitForStage } from '../support/drive';
import { eventually } from '../support/eventually';
import { startTimeSkippingStack, type TimeSkippingStack } from '../support/timeSkipping';
import { day, dkk, isoDay } from '../support/units';

/**
 * One fund, three initiatives: Housing First and Type 2 diabetes on outcome
 * contracts, and a direct grant, through a year the annual report covers; then
 * Housing First runs on to the end of its contract.
 */
describe('a year of the fund with all three', () => {
  let t: TimeSkippingStack;
  beforeAll(async () => {
    t = await startTimeSkippingStack('fund-year');
  });
  afterAll(() => t?.stop());

  it('pays all three in one year, reports that year, and closes Housing First after 48 months', async () => {
    const now = await t.env.currentTimeMs();
    const start = isoDay(now + 10 * day);
    const hf = await t.startProposal('SIF-2026-401', housingFirst);
    await approveThroughAgreement(t.store, hf, 'SIF-2026-401');
    await signContract(t.store, hf, 'SIF-2026-401', {
      supplier: 'Fonden Ny Start',
      value: '22000000',
      investor: 'Den Sociale Kapitalfond',
      startDate: start,
      measurementMonths: [12, 18, 24, 36, 48],
      rateCard: [{ metric: 'Andel i egen bolig', unit: 'borgere', pricePerUnit: '150000', targetUnits: 90, maxPayment: '13500000' }],
      totalCap: '13500000',
    });
    const diabetes = await t.startProposal('SIF-2026-402', type2Diabetes);
    await approveThroughAgreement(t.store, diabetes, 'SIF-2026-402');
    await signContract(t.store, diabetes, 'SIF-2026-402', {
      supplier: 'Diabetesforeningen Aarhus',
      value: '13300000',
      investor: 'Sundhedsinvest A/S',
      startDate: start,
      measurementMonths: [12, 24, 36],
      rateCard: [{ metric: 'HbA1c-fald ≥ 8,5 %', unit: 'borgere', pricePerUnit: '50000', targetUnits: 150, maxPayment: '8800000' }],
      totalCap: '8800000',
    });
    const grant = await t.startProposal('SIF-2026-403', youthAnxietyGroups);
    await approveThroughAgreement(t.store, grant, 'SIF-2026-403');
    await waitForStage(grant, 'GrantAgreement');
    await completeOpen(
      t.store,
      grant,
      'SIF-2026-403',
      'grantAgreement',
      grantAgreementInput.parse({
        grantee: 'Foreningen Ung i Aarhus',
        amount: '1200000',
        tranches: [
          { dueDate: isoDay(now + 20 * day), amount: '600000', condition: 'Forløbene er startet' },
          { dueDate: isoDay(now + 200 * day), amount: '600000', condition: 'Midtvejsevaluering modtaget' },
        ],
        conditions: 'Alene til gruppeforløbene',
      }),
      'secretariat',
    );
    await waitForStage(grant, 'GrantActive');

    await t.env.sleep(21 * day);
    await completeOpen(t.store, grant, 'SIF-2026-403', 'trancheConfirmation', { confirmed: true }, 'secretariat');
    await t.env.sleep(180 * day);
    await completeOpen(t.store, grant, 'SIF-2026-403', 'trancheConfirmation', { confirmed: true }, 'secretariat');
    await completeOpen(t.store, grant, 'SIF-2026-403', 'grantFinalReport', { summary: 'Gennemført', resultsAchieved: 'Fravær faldt', documents: [] }, 'secretariat');
    await waitForStage(grant, 'Closed'); // a query: awaiting the result would let the server skip time on its own

    await t.env.sleep(175 * day); // past the 12-month points of both contracts
    await measure(t.store, hf, 'SIF-2026-401', 12, { 'Andel i egen bolig': 30 }, '2000000');
    await measure(t.store, diabetes, 'SIF-2026-402', 12, { 'HbA1c-fald ≥ 8,5 %': 40 }, '1000000');

    // The year of the second tranche and both 12-month payments.
    const year = new Date(Date.parse(start) + 366 * day).getUTCFullYear();
    const entries = await t.store.ledger.find({ date: { $gte: new Date(Date.UTC(year, 0, 1)), $lt: new Date(Date.UTC(year + 1, 0, 1)) } }).lean();
    const report = await t.env.client.workflow.start(annualReport, {
      taskQueue: t.taskQueue,
      workflowId: annualReportWorkflowId(year),
      args: [{ year, requestedBy: 'sara.secretariat', deadlines: reportDeadlines(t.config.deadlines) }],
    });
    const doc = await eventually(async () => {
      const d = await t.store.reports.findById(year).lean();
      if (d?.status !== 'drafting') throw new Error('the report is not drafted yet');
      return d;
    });
    const r = doc.report as AnnualReport;
    const paidIn = (kind: string) => entries.filter((e) => e.kind === kind).reduce((s, e) => s + e.amountOre, 0);
    expect(r.paymentsOre).toEqual({ outcomePayments: paidIn('outcomePayment'), grants: paidIn('directGrant'), savingsReturned: paidIn('savingsReturned') });
    expect(r.perProposal.map((p) => p.proposalId)).toEqual(expect.arrayContaining(['SIF-2026-401', 'SIF-2026-402', 'SIF-2026-403']));
    expect(r.perProposal.find((p) => p.proposalId === 'SIF-2026-401')).toMatchObject({ outcomePaymentsOre: dkk(4_500_000), savingsReturnedOre: dkk(600_000) }); // 30 % of 2 million
    expect(r.perProposal.find((p) => p.proposalId === 'SIF-2026-402')).toMatchObject({ outcomePaymentsOre: dkk(2_000_000), savingsReturnedOre: dkk(300_000) });
    expect(r.results.map((x) => x.proposalId).sort()).toEqual(['SIF-2026-401', 'SIF-2026-402']);
    expect(renderAnnualReport(doc.report as AnnualReport)).toContain('Housing First for unge hjemløse');
    await approveAndSendReport(t.store, report, year);
    expect((await t.store.reports.findById(year).lean())!.status).toBe('sentToCityCouncil');

    // Housing First runs on to the end of its contract.
    for (const [months, units, wait] of [
      [18, 20, 183],
      [24, 25, 183],
      [36, 30, 366],
      [48, 60, 366],
    ] as const) {
      await t.env.sleep(wait * day);
      await measure(t.store, hf, 'SIF-2026-401', months, { 'Andel i egen bolig': units }, '1500000');
    }
    await completeOpen(t.store, hf, 'SIF-2026-401', 'contractFinalReport', { summary: '75 % i egen bolig', lessonsLearned: 'ICM virker' }, 'secretariat');
    const state = await waitForStage(hf, 'Closed');
    // 30 + 20 + 25 + 30 + 60 = 165 citizens at 150,000 = 24.75 million earned, paid up to the 13.5 million cap.
    expect(state.implementation!.paidOre).toBe(dkk(13_500_000));
    expect(state.implementation!.measurements.map((m) => m.paymentOre)).toEqual([dkk(4_500_000), dkk(3_000_000), dkk(3_750_000), dkk(2_250_000), 0]);

    const all = await t.store.ledger.find().sort({ seq: 1 }).lean();
    const { reservedByProposal, earmarkedByProposal: _earmarks, ...balances } = await ledger(t.store).balances();
    expect(balancesOf(all.map((e) => ({ ...e, proposalId: e.proposalId ?? undefined })))).toEqual(balances);
    expect(reservedByProposal['SIF-2026-401']).toBe(0);
    expect(reservedByProposal['SIF-2026-403']).toBe(0);
    expect(reservedByProposal['SIF-2026-402']).toBe(dkk(8_800_000 - 2_000_000));
    expect(balances.freeOre).toBeGreaterThanOrEqual(0);
  });
});
