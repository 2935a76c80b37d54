import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ledger } from '../../store/ledger';
import { annualReportActivities } from '../../activities/annualReport';
import { annualReportWorkflowId, renderAnnualReport } from '../../domain/annualReport';
import { annualReport, reportDeadlines } from '../../workflows/annualReport';
import type { AnnualReport } from '../../domain/annualReport';
import { balancesOf } from '../../domain/ledger';
import { outcomeVerificationInput, savingsConfirmationInput } from '../../domain/outcomeInputs';
import { ocdsReleasePackage } from '../../domain/ocds';
import type { Proposal } from '../../domain/proposal';
import { expectValidOcds } from '../support/ocds';
import { ocdsRecordOf } from '../../store/ocdsRecord';
import { completeTaskUpdate, stateQuery } from '../../workflows/messages';
import { type2Diabetes } from '../fixtures/proposals';
import { actor, approveAndSendReport, approveThroughAgreement, completeOpen, signContract } from '../support/drive';
import { eventually } from '../support/eventually';
import { startTimeSkippingStack, type TimeSkippingStack } from '../support/timeSkipping';
import { day, dkk, isoDay } from '../support/units';

const sara = actor('sara.secretariat', 'secretariat');

/** The Type 2 diabetes contract from signing to close: three years of measurements in seconds. */
describe('outcome payouts', () => {
  let t: TimeSkippingStack;
  beforeAll(async () => {
    t = await startTimeSkippingStack('payout');
  });
  afterAll(() => t?.stop());

  const rateCard = [
    // Paid per citizen who completes the course (at least 36 % of 450 is 162), and per citizen whose HbA1c falls at least 8.5 %.
    { metric: 'Gennemført forløb', unit: 'borgere', pricePerUnit: '20000', targetUnits: 162, maxPayment: '4500000' },
    { metric: 'HbA1c-fald ≥ 8,5 %', unit: 'borgere', pricePerUnit: '50000', targetUnits: 150, maxPayment: '8800000' },
  ];

  async function signedContract(id: string, startDate: string) {
    const handle = await t.startProposal(id, type2Diabetes);
    await approveThroughAgreement(t.store, handle, id); // the department returns 30 % of realised savings
    await signContract(t.store, handle, id, {
      supplier: 'Diabetesforeningen Aarhus',
      value: '13300000',
      investor: 'Sundhedsinvest A/S',
      startDate,
      measurementMonths: [12, 24, 36],
      rateCard,
      totalCap: '13300000',
    });
    return handle;
  }

  const report = (completed: number, hba1c: number) => ({
    results: [
      { metric: 'Gennemført forløb', unitsAchieved: completed, evidence: 'Fremmødelister' },
      { metric: 'HbA1c-fald ≥ 8,5 %', unitsAchieved: hba1c, evidence: 'Laboratoriedata' },
    ],
  });

  async function measurement(handle: WorkflowHandle, id: string, months: number, units: [number, number], savings: string, correction?: [number, number]) {
    await completeOpen(t.store, handle, id, 'outcomeReport', report(...units), 'secretariat');
    // Decoded with the task's schema, as the API does: DKK in, øre out.
    const verification = outcomeVerificationInput.parse(
      correction ? { confirmed: false, corrected: [{ metric: 'HbA1c-fald ≥ 8,5 %', units: correction[1] }], note: 'Tre prøver var fra før forløbet' } : { confirmed: true },
    );
    await completeOpen(t.store, handle, id, 'outcomeVerification', verification, 'department');
    await completeOpen(t.store, handle, id, 'savingsConfirmation', savingsConfirmationInput.parse({ realisedSavings: savings }), 'department');
    await eventually(async () => {
      const m = (await handle.query(stateQuery)).implementation!.measurements.find((x) => x.months === months);
      expect(m?.returnedOre).toBeDefined();
    });
  }

  async function books(id: string) {
    const entries = await t.store.ledger.find().sort({ seq: 1 }).lean();
    const { reservedByProposal, earmarkedByProposal: _earmarks, ...balances } = await ledger(t.store).balances();
    expect(balancesOf(entries.map((e) => ({ ...e, proposalId: e.proposalId ?? undefined })))).toEqual(balances);
    return { balances, reserved: reservedByProposal[id] ?? 0, entries: entries.filter((e) => e.proposalId === id) };
  }

  it('pays for verified effect at 12, 24 and 36 months, never beyond the caps, and returns the agreed share of savings', async () => {
    const id = 'SIF-2026-501';
    const start = await t.env.currentTimeMs();
    const handle = await signedContract(id, isoDay(start + 30 * day));
    expect((await books(id)).reserved).toBe(dkk(13_300_000));

    // Nothing is due before the first measurement point.
    await t.env.sleep(200 * day);
    expect(await t.store.tasks.countDocuments({ proposalId: id, kind: 'outcomeReport' })).toBe(0);
    await t.env.sleep(200 * day);

    // A report must cover the rate card exactly.
    const task = await eventually(async () => (await t.store.tasks.findOne({ proposalId: id, kind: 'outcomeReport', status: 'open' }).lean())!);
    const partial = await handle
      .executeUpdate(completeTaskUpdate, { args: [{ actor: sara, taskId: task._id, input: { results: [report(1, 1).results[0]] } }] })
      .catch((e: unknown) => e);
    expect(partial).toBeInstanceOf(WorkflowUpdateFailedError);

    // 12 months: 60 completed, 43 reported with HbA1c fall, corrected to 40 → 60×20,000 + 40×50,000 = 3.2 million.
    await measurement(handle, id, 12, [60, 43], '1000000', [60, 40]);
    let state = await handle.query(stateQuery);
    expect(state.implementation!.measurements[0]).toMatchObject({
      units: { 'Gennemført forløb': 60, 'HbA1c-fald ≥ 8,5 %': 40 },
      corrected: true,
      paymentOre: dkk(3_200_000),
      returnedOre: dkk(300_000),
    });

    await t.env.sleep(366 * day);
    // 24 months: 110 more completed → 2.2 million, but only 2.5 million of 4.5 remain for the metric … paid in full; 70 more HbA1c → 3.5 million.
    await measurement(handle, id, 24, [110, 70], '2500000');
    await t.env.sleep(366 * day);
    // 36 months: an over-claim is paid only up to the caps: the metric maxima (4.5 + 8.8 million) and the contract's 13.3 million.
    await measurement(handle, id, 36, [500, 500], '4000000');
    state = await handle.query(stateQuery);
    expect(state.implementation!.measurements.map((m) => m.paymentOre)).toEqual([dkk(3_200_000), dkk(5_700_000), dkk(4_400_000)]);
    expect(state.implementation!.paidPerMetricOre).toEqual({ 'Gennemført forløb': dkk(4_500_000), 'HbA1c-fald ≥ 8,5 %': dkk(8_800_000) });
    expect(state.implementation!.paidOre).toBe(dkk(13_300_000));

    await completeOpen(t.store, handle, id, 'contractFinalReport', { summary: 'Målene er nået', lessonsLearned: 'Tidlig rekruttering via lægerne virkede' }, 'secretariat');
    expect(await handle.result()).toMatchObject({ stage: 'Closed', reason: { code: 'contractEnded' } });

    // The Open Contracting export shows the payments as transactions and the points as met.
    const doc = await t.store.proposals.findById(id).lean();
    const pkg = ocdsReleasePackage(id, doc!.content as Proposal, await handle.query(stateQuery), await ocdsRecordOf(t.store, id), {
      ...t.config.ocds,
      packageUri: 'https://fond.example.dk/ocds',
    });
    const release = expectValidOcds(JSON.parse(JSON.stringify(pkg)));
    expect(release.tag).toEqual(['planning', 'tender', 'award', 'contract', 'contractTermination', 'implementation']);
    expect(release.contracts[0].status).toBe('terminated');
    expect(release.contracts[0].milestones.map((m: { status: string }) => m.status)).toEqual(['met', 'met', 'met']);
    expect(release.contracts[0].implementation.transactions.map((tr: { value: { amount: number }; payee: { name: string } }) => [tr.value.amount, tr.payee.name])).toEqual([
      [3200000, 'Sundhedsinvest A/S'],
      [5700000, 'Sundhedsinvest A/S'],
      [4400000, 'Sundhedsinvest A/S'],
    ]);

    const { balances, reserved, entries } = await books(id);
    expect(reserved).toBe(0);
    expect(entries.map((e) => [e.kind, e.amountOre / 100, e.counterpart])).toEqual([
      ['earmark', 13_300_000, undefined], // the council's approval, until the contract reserves it
      ['reservation', 13_300_000, 'Diabetesforeningen Aarhus'],
      ['outcomePayment', 3_200_000, 'Sundhedsinvest A/S'],
      ['savingsReturned', 300_000, 'MSO'],
      ['outcomePayment', 5_700_000, 'Sundhedsinvest A/S'],
      ['savingsReturned', 750_000, 'MSO'],
      ['outcomePayment', 4_400_000, 'Sundhedsinvest A/S'],
      ['savingsReturned', 1_200_000, 'MSO'],
    ]);
    expect(balances).toEqual({
      capitalOre: dkk(40_000_000),
      reservedOre: 0,
      paidOre: dkk(13_300_000),
      grantedOre: 0,
      returnedOre: dkk(2_250_000),
      earmarkedOre: 0, // the approval's earmark became the contract's reservation
      freeOre: dkk(40_000_000 - 13_300_000 + 2_250_000),
    });
  });

  it('brings measurement points already past due at once, in order, for a contract taken over late, and releases what effect did not earn', async () => {
    const id = 'SIF-2026-502';
    const now = await t.env.currentTimeMs();
    // Started 25 months ago: the 12- and 24-month points are past.
    const handle = await signedContract(id, isoDay(now - 25 * 31 * day));
    await measurement(handle, id, 12, [10, 5], '0');
    await measurement(handle, id, 24, [10, 5], '0');
    const state = await handle.query(stateQuery);
    expect(state.implementation!.measurements.map((m) => m.months)).toEqual([12, 24]);
    expect(await t.store.tasks.countDocuments({ proposalId: id, kind: 'outcomeReport', status: 'open' })).toBe(0); // 36 months is still ahead

    await t.env.sleep(400 * day);
    await measurement(handle, id, 36, [0, 0], '0');
    await completeOpen(t.store, handle, id, 'contractFinalReport', { summary: 'Lav effekt', lessonsLearned: 'Rekrutteringen slog fejl' }, 'secretariat');
    await handle.result();
    const { reserved, entries } = await books(id);
    expect(reserved).toBe(0);
    expect(entries.filter((e) => e.kind === 'release').map((e) => e.amountOre)).toEqual([dkk(13_300_000 - 2 * 450_000)]);
  });

  it('reports a year of payments, returns and results to the city council', async () => {
    const first = await t.store.ledger.findOne({ kind: 'outcomePayment' }).sort({ seq: 1 }).lean();
    const year = first!.date.getUTCFullYear();
    const inYear = await t.store.ledger.find({ date: { $gte: new Date(Date.UTC(year, 0, 1)), $lt: new Date(Date.UTC(year + 1, 0, 1)) } }).lean();
    const sum = (kind: string) => inYear.filter((e) => e.kind === kind).reduce((s, e) => s + e.amountOre, 0);

    const handle = await t.env.client.workflow.start(annualReport, {
      taskQueue: t.taskQueue,
      workflowId: annualReportWorkflowId(year),
      args: [{ year, requestedBy: 'sara.secretariat', deadlines: reportDeadlines(t.config.deadlines) }],
    });
    const doc = await eventually(async () => {
      const d = await t.store.reports.findById(year).lean();
      if (d?.status !== 'drafting') throw new Error(`the report for ${year} is not drafted yet`);
      return d;
    });
    const report = doc.report as AnnualReport;
    expect(report.paymentsOre).toEqual({ outcomePayments: sum('outcomePayment'), grants: sum('directGrant'), savingsReturned: sum('savingsReturned') });
    expect(report.paymentsOre.outcomePayments).toBeGreaterThan(0);
    const diabetes = report.results.find((r) => r.proposalId === 'SIF-2026-501');
    expect(diabetes?.measurements).toEqual(expect.arrayContaining([expect.objectContaining({ metric: 'HbA1c-fald ≥ 8,5 %', targetUnits: 150 })]));
    expect(report.outlook.years.length).toBeGreaterThanOrEqual(10);
    expect(renderAnnualReport(doc.report as AnnualReport)).toContain('## Betalinger og tilbageløb i året');

    // Each case's results are the verified units its workflow paid for, point by point, as the workflow holds them.
    const verified = await t.store.tasks
      .find({ kind: 'outcomeVerification', status: 'completed', completedAt: { $gte: new Date(Date.UTC(year, 0, 1)), $lt: new Date(Date.UTC(year + 1, 0, 1)) } })
      .lean();
    for (const r of report.results) {
      const { contracting, implementation } = await t.env.client.workflow.getHandle(`proposal-${r.proposalId}`).query(stateQuery);
      const target = (metric: string) => contracting!.contract!.rateCard.find((l) => l.metric === metric)!.targetUnits;
      // The target is the contract's: beside it, the units since the start.
      const sinceStart: Record<string, number> = {};
      const expected = implementation!.measurements
        .filter((m) => m.units)
        .flatMap((m) =>
          Object.entries(m.units!).map(([metric, units]) => {
            sinceStart[metric] = (sinceStart[metric] ?? 0) + units;
            return { months: m.months, metric, units, cumulativeUnits: sinceStart[metric], targetUnits: target(metric) };
          }),
        )
        .filter((m) => verified.some((v) => v.proposalId === r.proposalId && v._id.endsWith(`.m${m.months}.outcomeVerification`)));
      expect(r.measurements).toEqual(expected);
    }

    await approveAndSendReport(t.store, handle, year);
    expect(await handle.result()).toMatchObject({ year, version: 1, status: 'sentToCityCouncil' });

    // Drafted again outside any workflow or activity, as for cases whose histories Temporal's retention has deleted:
    // the figures come from the read model and the ledger alone.
    const reports = annualReportActivities(t.store, t.config);
    const draft = (version: number, workflowId: string) => reports.draftAnnualReport({ year, version, at: new Date().toISOString(), by: 'sara.secretariat', workflowId });
    expect(await draft(2, 'w')).toEqual({ workflowId: 'w', version: 2, status: 'drafting' });
    // A second run for the year (the Schedule's, after one started by hand) is told whose report it is.
    expect(await draft(1, 'annual-report-scheduled')).toEqual({ workflowId: 'w', version: 2, status: 'drafting' });
    const again = (await t.store.reports.findById(year).lean())!.report as AnnualReport;
    expect(again.results).toEqual(report.results);
  });

  it("puts a measurement point on the month's last day when the start's day is missing there", async () => {
    const id = 'SIF-2026-503';
    // Started on a leap day: a year on is 28 February, not 1 March.
    const handle = await signedContract(id, '2024-02-29');
    await measurement(handle, id, 12, [0, 0], '0');
    await measurement(handle, id, 24, [0, 0], '0');
    // Earlier tests may have skipped time past the last point; otherwise wait for it.
    const wait = Date.parse('2027-02-28T00:00:00Z') - (await t.env.currentTimeMs());
    if (wait > 0) await t.env.sleep(wait + 1000);
    await measurement(handle, id, 36, [0, 0], '0');
    const { measurements } = (await handle.query(stateQuery)).implementation!;
    expect(measurements.map((m) => m.dueAt)).toEqual(['2025-02-28T00:00:00.000Z', '2026-02-28T00:00:00.000Z', '2027-02-28T00:00:00.000Z']);
    await completeOpen(t.store, handle, id, 'contractFinalReport', { summary: 'Ingen effekt', lessonsLearned: 'Forløbet kom aldrig i gang' }, 'secretariat');
    await handle.result();
  });
});
