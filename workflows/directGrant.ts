import { condition, patched, sleep } from '@temporalio/workflow';
import { acts, uninterrupted } from './activities';
import { holderWhenOpening } from './holders';
import type { GrantAgreement, GrantState } from '../domain/grant';
import type { TaskInput } from '../domain/tasks';
import { reservationRefusalsExhausted } from '../domain/ledger';
import { steps } from '../domain/steps';
import type { Completion, StageContext } from './stageContext';
import type { Closure } from '../domain/lifecycleState';
import { refusalText } from '../domain/refusals';

/** Direct financing: the grant agreement, each tranche on its date once its condition is confirmed, the final report. */
export async function directGrant(ctx: StageContext): Promise<Closure> {
  const { proposalId, state, book, openTask, awaitTask, moveTo } = ctx;
  const d = ctx.deadlines;
  let secretary = ctx.createdBy;
  /** The secretariat's member for a task about to open: the case's own while they are in the secretariat. */
  const secretaryNow = async () => (secretary = await holderWhenOpening('grant-tasks-to-current-secretariat', { role: 'secretariat', preferring: secretary }));
  await moveTo('GrantAgreement');
  let agreed: Completion;
  let grant: GrantState | undefined;
  for (let attempt = 1; ; attempt++) {
    const key = steps.grantAgreement(attempt);
    agreed = await awaitTask(await openTask('grantAgreement', await secretaryNow(), d.grantAgreement, key));
    const g = agreed.input as GrantAgreement;
    // The booking and the grant it holds money for are one step, so a withdrawal meanwhile finds the reservation to release.
    grant = await uninterrupted(async () => {
      const reserved = await book(steps.grantReservation(key), 'reservation', g.amount, `Tilsagn: ${ctx.summary().title}`, agreed.actor.userId, g.grantee);
      if (!reserved.booked) return undefined;
      return (state.grant = {
        grantee: g.grantee,
        amountOre: g.amount,
        conditions: g.conditions,
        agreedBy: agreed.actor.userId,
        agreedAt: agreed.at,
        reservedOre: g.amount,
        tranches: g.tranches.map((t) => ({ dueDate: t.dueDate, amountOre: t.amount, condition: t.condition, status: 'scheduled' })),
      });
    });
    if (grant) break;
    // The fund's free money is not enough for this grant: the secretariat sets a new one, up to a bound; past it the case waits to be withdrawn.
    const exhausted = reservationRefusalsExhausted(attempt) && patched('fund-refusals-bounded');
    if (exhausted && patched('fund-refusals-exhausted-recorded')) await ctx.record('fundRefusalsExhausted', 'system', { refusals: attempt });
    await acts.notify({
      key: `${proposalId}.${key}.refused`,
      event: 'grantRefusedByFund',
      proposalId,
      // Who set this grant: a pooled task, so perhaps not the one it was opened for.
      to: { users: [agreed.actor.userId], otherwise: 'secretariat' },
      ...(exhausted ? { reason: { code: 'fundRefusalsExhausted' as const, refusals: attempt } } : {}),
    });
    if (exhausted) await condition(() => false);
  }
  await moveTo('GrantActive', { by: agreed.actor.userId });

  for (const [i, tranche] of grant.tranches.entries()) {
    // A date already past (an agreement entered late) is due at once.
    const wait = Date.parse(`${tranche.dueDate}T00:00:00Z`) - Date.now();
    if (wait > 0) await sleep(wait);
    tranche.status = 'due';
    const { input: c, actor, at } = await awaitTask(await openTask('trancheConfirmation', await secretaryNow(), d.trancheConfirmation, steps.trancheConfirmation(i + 1)));
    const confirmation = c as TaskInput<'trancheConfirmation'>;
    Object.assign(tranche, { decidedBy: actor.userId, decidedAt: at });
    const release = () => book(steps.trancheRelease(i + 1), 'release', tranche.amountOre, `Rate ${i + 1}: ud af reservationen`, actor.userId, grant.grantee);
    const payment = (fromReservation: boolean) =>
      book(steps.tranchePayment(i + 1), 'directGrant', tranche.amountOre, `Rate ${i + 1} af tilskuddet`, actor.userId, grant.grantee, fromReservation);
    // The tranche leaves the reservation either way: paid out, or back to free capital.
    // Its status is set before the booking that settles it, so the commitment that booking records no longer expects it.
    if (patched('tranche-paid-from-reservation')) {
      // One booking straight from the reservation: released first, the money was free capital for a moment, which another case could take.
      await uninterrupted(async () => {
        Object.assign(tranche, confirmation.confirmed ? { status: 'paid' } : { status: 'withheld', reason: confirmation.reason });
        const settled = confirmation.confirmed ? await payment(true) : await release();
        if (!settled.booked) throw new Error(`tranche ${i + 1} refused: ${refusalText(settled.refusal)}`); // cannot happen: it is reserved
        grant.reservedOre -= tranche.amountOre;
      });
      continue;
    }
    await uninterrupted(async () => {
      if (!confirmation.confirmed) Object.assign(tranche, { status: 'withheld', reason: confirmation.reason });
      await release();
      grant.reservedOre -= tranche.amountOre;
      if (confirmation.confirmed) {
        tranche.status = 'paid';
        await payment(false);
      }
    });
  }

  const report = await awaitTask(await openTask('grantFinalReport', await secretaryNow(), d.grantFinalReport, steps.grantFinalReport));
  const r = report.input as TaskInput<'grantFinalReport'>;
  grant.finalReport = { by: report.actor.userId, at: report.at, ...r };
  return ctx.close('Closed', { code: 'grantCompleted' }, report.actor.userId);
}
