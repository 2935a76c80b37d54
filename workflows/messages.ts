import type { UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, defineQuery, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';
import type { ReportStatus } from '../domain/annualReport';
import type { ContractingAction } from '../domain/contract';
import type { AgendaItemKind, MeetingStatus } from '../domain/meeting';
import type { Actor } from '../domain/people';
import type { ProcurementAction } from '../domain/procurementInput';
import type { ProposalSummary } from './input';
import type { Stage } from '../domain/stages';
import type { TaskInput } from '../domain/tasks';
import type { LifecycleState } from '../domain/lifecycleState';
import { refusalText, type Reason, type Refusal } from '../domain/refusals';
import { alreadyApplied, recordApplied } from './appliedUpdates';

/**
 * setHandler for an Update, with the validator typed like the handler. The SDK's
 * setHandler cannot infer the validator's arguments and gives them `any`, so a
 * misspelt field or a wrong type in a validator would compile unnoticed. An Update
 * this workflow already applied, also in the run before it continued as new, is
 * neither validated nor applied again: it gets its first result (workflows/appliedUpdates.ts).
 */
export function setUpdateHandler<Ret, Args extends unknown[]>(
  def: UpdateDefinition<Ret, Args>,
  handler: (...args: Args) => Ret | Promise<Ret>,
  options?: { validator?: (...args: Args) => void },
): void {
  const validator = options?.validator;
  setHandler(
    def,
    async (...args: Args) => {
      const earlier = alreadyApplied();
      if (earlier) return earlier.result as Ret;
      const result = await handler(...args);
      recordApplied(result);
      return result;
    },
    validator && {
      validator: (...args: Args) => {
        if (!alreadyApplied()) validator(...args);
      },
    },
  );
}

export const stateQuery = defineQuery<LifecycleState>('state');

/**
 * Revise the draft (only in Motivation). The API has stored the revised proposal as a
 * draft in the database; the workflow gets what it decides on (the summary) and the
 * draft's id, never the bulky content, so revisions do not fill its history.
 */
/** `basedOn`: the revision the sender's form was drawn from; one saved since by someone else is refused (absent: not checked). */
export const reviseUpdate = defineUpdate<{ revision: number }, [{ actor: Actor; summary: ProposalSummary; draftId: string; basedOn?: number }]>('revise');
/** Send the proposal to the council; the API has checked completeness first. */
/** `revision`: the one whose completeness the sender checked; a draft revised since is refused (absent: not checked). */
export const submitUpdate = defineUpdate<{ stage: Stage }, [{ actor: Actor; revision?: number }]>('submit');
export const withdrawUpdate = defineUpdate<{ stage: Stage }, [{ actor: Actor; reason: string }]>('withdraw');
/** A task answered: the proposal's stage after it, or the annual report's or the meeting's status. */
export const completeTaskUpdate = defineUpdate<
  ({ stage: Stage } | { reportStatus: ReportStatus } | { meetingStatus: MeetingStatus }) & { completedAt: string },
  [{ actor: Actor; taskId: string; input: TaskInput }]
>('completeTask');

/**
 * A member of the task's role takes it, from the pool or from a colleague who is away.
 * `from` is the holder the claimant saw (null: nobody), so a task that changed hands
 * meanwhile is not taken by surprise.
 */
export const claimTaskUpdate = defineUpdate<{ assignee: string | null }, [{ actor: Actor; taskId: string; from: string | null }]>('claimTask');
/** Whoever holds a pooled task hands it back, so any member of the role may claim it. */
export const releaseTaskUpdate = defineUpdate<{ assignee: string | null }, [{ actor: Actor; taskId: string }]>('releaseTask');

/**
 * The administrator took from a task's holder the role the task needs, or deactivated
 * them: the task goes to whoever holds the role now (a pooled task to its pool). `from`
 * is the holder the API saw, so a task that changed hands meanwhile stays where it is.
 */
export const reassignTaskUpdate = defineUpdate<{ assignee: string | null }, [{ actor: Actor; taskId: string; from: string; reason: Reason }]>('reassignTask');

/** The council's roles changed: a round waiting for a complete council looks again. */
export const councilChangedSignal = defineSignal('councilChanged');

/**
 * A meeting put the proposal (no `kind`), or its award or investor recommendation, on its
 * agenda: in meeting mode the round or the decision waiting for it opens its tasks. An item
 * for another `round` (one decided earlier, on for its minutes) opens nothing; items from
 * before the round was sent have none.
 */
export const onAgendaSignal = defineSignal<[{ meetingId: string; kind?: AgendaItemKind; round?: number }]>('onAgenda');

/** The secretariat's steps in procurement: the procedure, the tender, bids, evaluation, award, complaints. */
export const procurementUpdate = defineUpdate<{ stage: Stage }, [{ actor: Actor; input: ProcurementAction }]>('procurement');

/** The secretariat's steps after the award: investor offers, the choice of investor, the outcome contract. */
export const contractingUpdate = defineUpdate<{ stage: Stage }, [{ actor: Actor; input: ContractingAction }]>('contracting');

/** Failure types the API maps to HTTP statuses. */
export const failureTypes = { forbidden: 'Forbidden', conflict: 'Conflict', notFound: 'NotFound' } as const;

/**
 * A validator's refusals: the API answers 403 and 409. The refusal's code and parameters
 * travel as the failure's details; its English words are the message.
 */
export const forbidden = (refusal: Refusal) => refuse(failureTypes.forbidden, refusal);
export const conflict = (refusal: Refusal) => refuse(failureTypes.conflict, refusal);

const refuse = (type: string, refusal: Refusal) => ApplicationFailure.create({ type, message: refusalText(refusal), details: [refusal] });
