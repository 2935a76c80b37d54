import { condition, patched } from '@temporalio/workflow';
import { acts, uninterrupted } from './activities';
import type { ContractingState } from '../domain/contract';
import { contractDeclinesExhausted, contractDeclinesPerCase, contractsDeclined } from '../domain/contractDeclines';
import type { TaskInput } from '../domain/tasks';
import type { TaskRef } from '../domain/lifecycleState';
import type { ProcurementState } from '../domain/procurement';
import { hasRole } from '../domain/people';
import { chosenOffer, recommendationsPerRound, withCouncil } from '../domain/councilSelection';
import { reservationRefusalsExhausted, reservationRefusalsPerCase } from '../domain/ledger';
import { steps } from '../domain/steps';
import { unapprovedMetricRefusal } from '../domain/metrics';
import { councilSelection } from './councilSelection';
import { conflict, contractingUpdate, forbidden, setUpdateHandler } from './messages';
import type { Completion, StageContext } from './stageContext';

type ProcurementAward = NonNullable<ProcurementState['award']>;
/** Investor offers a case takes: each is an Update in its history, so they are bounded like a tender's bids. */
const investorOffers = 20;

/**
 * After the award: investor offers, the secretariat's comparison and recommendation,
 * the council's decision on it (seed §2: the council selects the investor), the outcome
 * contract with its cap within what was approved, signed by the secretariat and the
 * department; on signing the cap is reserved in the fund.
 */
export function contracting(ctx: StageContext): () => Promise<void> {
  const { proposalId, state, now, moveTo, record, book, awaitTask } = ctx;
  // Set when the stage begins; the handler, registered at the workflow's start, refuses every step before that.
  let award: ProcurementAward;
  let c: ContractingState;
  let signing = false;
  const approved = () => c.recommendations.find((r) => r.council?.result === 'approved');
  const awaitingCouncil = () => withCouncil(c.recommendations);

  setUpdateHandler(
    contractingUpdate,
    async ({ actor, input: a }) => {
      const at = now();
      if (a.action === 'registerInvestorOffer') {
        c.offers.push({
          id: `offer-${c.offers.length + 1}`,
          investor: a.investor,
          cvr: a.cvr,
          amountCommittedOre: a.amountCommitted,
          expectedReturnBasisPoints: a.expectedReturnBasisPoints,
          repaymentCapOre: a.repaymentCap,
          conditions: a.conditions,
          by: actor.userId,
          at,
        });
      } else if (a.action === 'recommendInvestor') {
        c.recommendations.push({ number: c.recommendations.length + 1, offerId: a.offerId, comparison: a.comparison, rationale: a.rationale, by: actor.userId, at });
      } else {
        c.contract = {
          provider: award.supplier,
          investor: chosenOffer(c)!.investor,
          startDate: a.startDate,
          measurementMonths: a.measurementMonths,
          rateCard: a.rateCard.map((r) => ({ metric: r.metric, unit: r.unit, pricePerUnitOre: r.pricePerUnit, targetUnits: r.targetUnits, maxPaymentOre: r.maxPayment })),
          totalCapOre: a.totalCap,
          payee: a.payee,
          proposedBy: actor.userId,
          signatures: [],
        };
      }
      await record(`contracting.${a.action}`, actor.userId, { input: a });
      return { stage: state.stage };
    },
    {
      validator: ({ actor, input: a }) => {
        if (!hasRole(actor, 'secretariat')) throw forbidden({ code: 'onlySecretariat' });
        if (state.stage !== 'Contracting') throw conflict({ code: 'wrongStage', stage: state.stage, expected: 'Contracting' });
        if (state.closingAs) throw conflict({ code: 'alreadyClosed', stage: state.closingAs });
        if (a.action === 'registerInvestorOffer' && approved()) throw conflict({ code: 'investorChosen' });
        if (a.action === 'registerInvestorOffer' && c.offers.length >= investorOffers) throw conflict({ code: 'tooManyOffers', max: investorOffers });
        if (a.action === 'recommendInvestor') {
          if (awaitingCouncil()) throw conflict({ code: 'investorAwaitsCouncil' });
          if (approved()) throw conflict({ code: 'investorChosen' });
          if (c.recommendations.length >= recommendationsPerRound) throw conflict({ code: 'tooManyRecommendations', max: recommendationsPerRound });
          if (!c.offers.some((o) => o.id === a.offerId)) throw conflict({ code: 'noSuchOffer', offerId: a.offerId });
        }
        if (a.action === 'proposeContract') {
          if (!approved()) throw conflict({ code: 'investorNotApproved' });
          // One contract at a time: a second proposed before the first went out for signature would take its place unseen.
          if (signing || c.contract) throw conflict({ code: 'contractOutForSignature' });
          if (reservationRefusalsExhausted(c.refusedByFund)) throw conflict({ code: 'tooManyRefusedContracts', max: reservationRefusalsPerCase });
          if (contractDeclinesExhausted(c.declines)) throw conflict({ code: 'tooManyDeclinedContracts', max: contractDeclinesPerCase });
          const approvedOre = ctx.summary().requestedOre;
          if (a.totalCap > approvedOre) throw conflict({ code: 'capTooHigh', approvedOre });
          // The fund pays for the effects the council approved (the API and the page name the field; this holds for every way in).
          const unapproved = unapprovedMetricRefusal(ctx.summary().outcomeMetrics, a.rateCard);
          if (unapproved) throw conflict(unapproved);
          // Paid to the investor, the outcome payments are its repayment: no more than the offer the council chose caps it at.
          const repaymentCapOre = chosenOffer(c)?.repaymentCapOre;
          if (a.payee === 'investor' && repaymentCapOre !== undefined && a.totalCap > repaymentCapOre) throw conflict({ code: 'capAboveRepaymentCap', repaymentCapOre });
        }
      },
    },
  );

  return async () => {
    const d = ctx.deadlines;
    award = state.procurement!.award!;
    c = state.contracting = { offers: [], recommendations: [] };
    await moveTo('Contracting');
    // The council approves the recommended investor, or returns it for another recommendation.
    while (!approved()) {
      await condition(awaitingCouncil);
      const recommendation = c.recommendations.at(-1)!;
      await councilSelection(ctx, 'investor', recommendation, `investor.${recommendation.number}`);
    }

    // Signed by both, then the cap is reserved; a cap the fund cannot hold sends the contract back.
    for (let attempt = 1; ; attempt++) {
      await condition(() => c.contract !== undefined && c.contract.signatures.length === 0 && !c.contract.signedAt);
      const contract = c.contract!;
      signing = true;
      // Decided before the tasks open, so a decline is never refused for coming early; a run that began signing before it still takes only signatures.
      if (patched('contract-signing-declinable')) c.declinable = true;
      const head = await acts.resolveAssignee({ role: 'department', department: ctx.summary().responsibleDepartment });
      const tasks = await ctx.openTasks([
        { kind: 'contractSigning', assignee: contract.proposedBy, dueInMs: d.contractSigning, key: `contractSigning.${attempt}.secretariat` },
        { kind: 'contractSigning', assignee: head, dueInMs: d.contractSigning, key: `contractSigning.${attempt}.department`, role: 'department' },
      ]);
      if (c.declinable) {
        const declined = await signaturesOrDecline(contract, tasks);
        if (declined) {
          await declineContract(declined, attempt, tasks);
          continue;
        }
      } else {
        for (const task of tasks) {
          const signed = await awaitTask(task);
          contract.signatures.push({ by: signed.actor.userId, at: signed.at });
        }
      }
      // The booking and the contract it holds money for are one step, so a withdrawal meanwhile finds the reservation to release.
      const reserved = await uninterrupted(async () => {
        const booking = await book(
          steps.contractReservation(attempt),
          'reservation',
          contract.totalCapOre,
          `Resultatkontrakt: ${ctx.summary().title}`,
          contract.proposedBy,
          contract.provider,
        );
        signing = false;
        if (booking.booked) {
          contract.signedAt = now();
          contract.reservedOre = contract.totalCapOre;
        }
        return booking;
      });
      if (reserved.booked) break;
      // Gone before the notice is written: a new contract proposed meanwhile (signing is over) is the next attempt's, not cleared after it.
      const clearedFirst = patched('refused-contract-cleared-first');
      if (clearedFirst) c.contract = undefined;
      // Counted apart from the attempts, which declined contracts take too.
      const refusals = (c.refusedByFund ?? 0) + 1;
      c.refusedByFund = refusals;
      // On the timeline: the Open Contracting export dates the contract's removal by it (its signatures leave with it).
      if (patched('contract-refusal-on-timeline')) await ctx.record('contracting.refusedByFund', 'system', { attempt });
      // Past the bound no contract is taken any more (the validator above): the case waits to be withdrawn.
      const exhausted = reservationRefusalsExhausted(refusals) && patched('fund-refusals-bounded');
      if (exhausted) await ctx.record('fundRefusalsExhausted', 'system', { refusals });
      await acts.notify({
        key: `${proposalId}.contract.${attempt}.refused`,
        event: 'contractRefusedByFund',
        proposalId,
        to: { users: [contract.proposedBy], otherwise: 'secretariat' },
        ...(exhausted ? { reason: { code: 'fundRefusalsExhausted' as const, refusals } } : {}),
      });
      if (!clearedFirst) c.contract = undefined;
    }
    await moveTo('Implementation');
  };

  /** Each signature as it comes, until both have signed (undefined) or one declines (that answer). */
  async function signaturesOrDecline(contract: NonNullable<ContractingState['contract']>, tasks: TaskRef[]): Promise<Completion | undefined> {
    const waiting = [...tasks];
    while (waiting.length > 0) {
      await condition(() => waiting.some((t) => ctx.answerOf(t.id) !== undefined));
      const [task] = waiting.splice(
        waiting.findIndex((t) => ctx.answerOf(t.id) !== undefined),
        1,
      );
      const answer = await awaitTask(task);
      if (!(answer.input as TaskInput<'contractSigning'>).signed) return answer;
      contract.signatures.push({ by: answer.actor.userId, at: answer.at });
    }
    return undefined;
  }

  /**
   * A signer declined: the contract goes back to the secretariat, its other signature with
   * it (both reasons when both declined). Gone before anything is written, so a contract
   * proposed meanwhile is the next attempt's. The other task closes without the reason: a
   * closed task's reason is not kept as written text; the answer and the mail carry it.
   */
  async function declineContract(answer: Completion, attempt: number, tasks: TaskRef[]) {
    const { proposedBy } = c.contract!;
    c.contract = undefined;
    signing = false;
    const declinedNow = tasks.flatMap((t) => {
      const input = ctx.answerOf(t.id) as TaskInput<'contractSigning'> | undefined;
      return input?.signed === false ? [{ attempt, by: t.completedBy!, at: t.completedAt!, reason: input.reason }] : [];
    });
    c.declines = [...(c.declines ?? []), ...declinedNow];
    await ctx.cancelOpenTasks({ code: 'contractDeclined' }, (t) => tasks.includes(t));
    await record('contracting.contractDeclined', answer.actor.userId, { attempt });
    const reason = { code: 'contractDeclined' as const, text: declinedNow[0].reason, declines: contractsDeclined(c.declines) };
    await acts.notify({ key: `${proposalId}.contract.${attempt}.declined`, event: 'contractDeclined', proposalId, to: { users: [proposedBy], otherwise: 'secretariat' }, reason });
  }
}
