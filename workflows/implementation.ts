import { patched, sleep } from '@temporalio/workflow';
import { acts } from './activities';
import { holderWhenOpening } from './holders';
import { addMonths } from '../domain/dates';
import { outcomePayment, savingsShare, savingsShareThrough, type ImplementationState, type MeasurementState } from '../domain/payout';
import type { TaskInput } from '../domain/tasks';
import type { StageContext } from './stageContext';
import type { Closure } from '../domain/lifecycleState';
import { refusalText } from '../domain/refusals';
import { steps } from '../domain/steps';

/**
 * The outcome contract at work: at each measurement point (a durable timer; a
 * point already past is due at once) outcome data, their verification, the
 * payment the rate card earns from the reservation, and the department's realised
 * savings of which the agreed share returns to the fund; at the end a final report,
 * and what is still reserved goes back. The history grows with the measurement
 * points (at most 40), not with the years between them.
 */
export async function implementation(ctx: StageContext): Promise<Closure> {
  const { state, book, openTask, awaitTask } = ctx;
  const summary = ctx.summary();
  const d = ctx.deadlines;
  const contract = state.contracting!.contract!;
  const savingsAgreement = state.cooperationAgreement!.savingsShare;
  const payee = contract.payee === 'investor' ? contract.investor : contract.provider;
  // A contract runs for years: each task goes to who holds its role when it opens, the same person while they still do.
  const holders = { secretariat: contract.proposedBy, department: await acts.resolveAssignee({ role: 'department', department: summary.responsibleDepartment }) };
  async function holderNow(role: 'secretariat' | 'department') {
    const department = role === 'department' ? { department: summary.responsibleDepartment } : {};
    return (holders[role] = await holderWhenOpening('assignees-when-tasks-open', { role, preferring: holders[role], ...department }));
  }
  const impl: ImplementationState = (state.implementation = {
    measurements: [],
    paidOre: 0,
    paidPerMetricOre: {},
    reservedOre: contract.reservedOre!,
    returnedOre: 0,
    returnedPerYearOre: {},
  });

  for (const months of contract.measurementMonths) {
    const dueAt = addMonths(contract.startDate, months);
    const wait = Date.parse(dueAt) - Date.now();
    if (wait > 0) await sleep(wait);
    const m: MeasurementState = { months, dueAt };
    impl.measurements.push(m);

    const report = await awaitTask(await openTask('outcomeReport', await holderNow('secretariat'), d.outcomeReport, steps.outcomeReport(months)));
    const verification = await awaitTask(await openTask('outcomeVerification', await holderNow('department'), d.outcomeVerification, steps.outcomeVerification(months)));
    const units = Object.fromEntries((report.input as TaskInput<'outcomeReport'>).results.map((r) => [r.metric, r.unitsAchieved]));
    const v = verification.input as TaskInput<'outcomeVerification'>;
    if (!v.confirmed) for (const c of v.corrected) units[c.metric] = c.units;
    Object.assign(m, { units, corrected: !v.confirmed });

    const payment = outcomePayment(contract.rateCard, units, { perMetricOre: impl.paidPerMetricOre, totalOre: impl.paidOre }, contract.totalCapOre, impl.reservedOre);
    m.paymentOre = payment.totalOre;
    if (payment.totalOre > 0) {
      // Counted before the booking, so the commitment it records has this point paid.
      for (const l of payment.lines) impl.paidPerMetricOre[l.metric] = (impl.paidPerMetricOre[l.metric] ?? 0) + l.amountOre;
      impl.paidOre += payment.totalOre;
      impl.reservedOre -= payment.totalOre;
      const paid = await book(steps.outcomePayment(months), 'outcomePayment', payment.totalOre, `Resultatbetaling efter ${months} måneder`, verification.actor.userId, payee, true);
      if (!paid.booked) throw new Error(`outcome payment refused: ${refusalText(paid.refusal)}`); // cannot happen: capped by the reservation
    } else if (patched('commitment-of-unpaid-point')) {
      // Nothing is booked, yet the point no longer expects a payment.
      await ctx.recordCommitment();
    }

    const savings = await awaitTask(await openTask('savingsConfirmation', await holderNow('department'), d.savingsConfirmation, steps.savingsConfirmation(months)));
    const realised = (savings.input as TaskInput<'savingsConfirmation'>).realisedSavings;
    const year = Math.ceil(months / 12);
    // Patched: a contract measured before this counted only the point's own year, and years between two points were lost.
    const share = patched('savings-years-between-points')
      ? savingsShareThrough(savingsAgreement, year, realised, impl.returnedOre)
      : savingsShare(savingsAgreement, year, realised, impl.returnedPerYearOre[year] ?? 0);
    Object.assign(m, { realisedSavingsOre: realised, returnedOre: share });
    if (share > 0) {
      await book(steps.savingsReturned(months), 'savingsReturned', share, `Tilbageført besparelse efter ${months} måneder`, savings.actor.userId, summary.responsibleDepartment);
      impl.returnedOre += share;
      impl.returnedPerYearOre[year] = (impl.returnedPerYearOre[year] ?? 0) + share;
    } else if (patched('commitment-of-unreturned-savings')) {
      // Nothing is booked, yet the outlook no longer expects this point's savings.
      await ctx.recordCommitment();
    }
  }

  const final = await awaitTask(await openTask('contractFinalReport', await holderNow('secretariat'), d.contractFinalReport, steps.contractFinalReport));
  impl.finalReport = { by: final.actor.userId, at: final.at, ...(final.input as TaskInput<'contractFinalReport'>) };
  if (impl.reservedOre > 0) {
    await book(steps.contractRelease, 'release', impl.reservedOre, 'Kontraktens uforbrugte reservation frigives', final.actor.userId, contract.provider);
    impl.releasedOre = impl.reservedOre;
    impl.reservedOre = 0;
  }
  return ctx.close('Closed', { code: 'contractEnded' }, final.actor.userId);
}
