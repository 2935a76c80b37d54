import { condition } from '@temporalio/workflow';
import { acts, uninterrupted } from './activities';
import type { ContractingState } from '../domain/contract';
import type { ProcurementState } from '../domain/procurement';
import { hasRole } from '../domain/people';
import type { TaskInput } from '../domain/tasks';
import { steps } from '../domain/steps';
import { conflict, contractingUpdate, forbidden, setUpdateHandler } from './messages';
import type { StageContext } from './stageContext';

type ProcurementAward = NonNullable<ProcurementState['award']>;

/**
 * After the award: investor offers, the secretariat's choice confirmed by the
 * chair, the outcome contract with its cap within what was approved, signed by
 * the secretariat and the department; on signing the cap is reserved in the fund.
 */
export function contracting(ctx: StageContext): () => Promise<void> {
  const { proposalId, state, now, moveTo, record, book, openTask, awaitTask } = ctx;
  // Set when the stage begins; the handler, registered at the workflow's start, refuses every step before that.
  let award: ProcurementAward;
  let c: ContractingState;
  let selectionRound = 0;
  let signing = false;
  const selectedOffer = () => c.offers.find((o) => o.id === c.selection?.offerId);
  // Read from the chair's completed task itself, so a step right after the answer sees it.
  const investorConfirmed = () => {
    const last = [...state.tasks].reverse().find((t) => t.kind === 'investorConfirmation');
    return (last && (ctx.answerOf(last.id) as TaskInput<'investorConfirmation'> | undefined)?.confirmed) === true;
  };

  setUpdateHandler(
    contractingUpdate,
    async ({ actor, input: a }) => {
      const at = now();
      if (a.action === 'registerInvestorOffer') {
        c.offers.push({
          id: `offer-${c.offers.length + 1}`,
          investor: a.investor,
          amountCommittedOre: a.amountCommitted,
          expectedReturnBasisPoints: a.expectedReturnBasisPoints,
          repaymentCapOre: a.repaymentCap,
          conditions: a.conditions,
          by: actor.userId,
          at,
        });
      } else if (a.action === 'selectInvestor') {
        c.selection = { offerId: a.offerId, rationale: a.rationale, by: actor.userId, at };
      } else {
        c.contract = {
          provider: award.supplier,
          investor: selectedOffer()!.investor,
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
        if (a.action === 'registerInvestorOffer' && investorConfirmed()) throw conflict({ code: 'investorChosen' });
        if (a.action === 'selectInvestor') {
          const awaitingChair = state.tasks.some((t) => t.kind === 'investorConfirmation' && t.status === 'open');
          if (awaitingChair || (c.selection && !c.selection.confirmation && selectionRound === 0)) throw conflict({ code: 'investorAwaitsChair' });
          if (investorConfirmed()) throw conflict({ code: 'investorChosen' });
          if (!c.offers.some((o) => o.id === a.offerId)) throw conflict({ code: 'noSuchOffer', offerId: a.offerId });
        }
        if (a.action === 'proposeContract') {
          if (!investorConfirmed()) throw conflict({ code: 'investorNotConfirmed' });
          if (signing) throw conflict({ code: 'contractOutForSignature' });
          const approved = ctx.summary().requestedOre;
          if (a.totalCap > approved) throw conflict({ code: 'capTooHigh', approvedOre: approved });
        }
      },
    },
  );

  return async () => {
    const d = ctx.deadlines;
    award = state.procurement!.award!;
    c = state.contracting = { offers: [] };
    await moveTo('Contracting');
    // The chair confirms the choice, or sends it back for another.
    for (;;) {
      await condition(() => c.selection !== undefined && !c.selection.confirmation);
      const selection = c.selection!;
      selectionRound += 1;
      const chair = await acts.resolveAssignee({ role: 'councilChair' });
      const { input, actor, at } = await awaitTask(await openTask('investorConfirmation', chair, d.investorConfirmation, `investorConfirmation.${selectionRound}`));
      const answer = input as TaskInput<'investorConfirmation'>;
      selection.confirmation = { confirmed: answer.confirmed, by: actor.userId, at, reason: answer.confirmed ? undefined : answer.reason };
      if (answer.confirmed) break;
      // The secretariat may already have chosen again.
      if (c.selection === selection) c.selection = undefined;
    }

    // Signed by both, then the cap is reserved; a cap the fund cannot hold sends the contract back.
    for (let attempt = 1; ; attempt++) {
      await condition(() => c.contract !== undefined && c.contract.signatures.length === 0 && !c.contract.signedAt);
      const contract = c.contract!;
      signing = true;
      const head = await acts.resolveAssignee({ role: 'department', department: ctx.summary().responsibleDepartment });
      const tasks = await ctx.openTasks([
        { kind: 'contractSigning', assignee: contract.proposedBy, dueInMs: d.contractSigning, key: `contractSigning.${attempt}.secretariat` },
        { kind: 'contractSigning', assignee: head, dueInMs: d.contractSigning, key: `contractSigning.${attempt}.department`, role: 'department' },
      ]);
      for (const task of tasks) {
        const signed = await awaitTask(task);
        contract.signatures.push({ by: signed.actor.userId, at: signed.at });
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
      await acts.notify({ key: `${proposalId}.contract.${attempt}.refused`, event: 'contractRefusedByFund', proposalId, to: { users: [contract.proposedBy] } });
      c.contract = undefined;
    }
    await moveTo('Implementation');
  };
}
