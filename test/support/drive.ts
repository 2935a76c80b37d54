import type { WorkflowHandle } from '@temporalio/client';
import type { Role } from '../../workflows/domain/people';
import type { TaskInput } from '../../workflows/domain/tasks';
import { completeTaskUpdate, stateQuery, submitUpdate } from '../../workflows/messages';
import type { Store } from '../../activities/store';
import { eventually } from './eventually';

export const actor = (userId: string, role: Role, department?: string) => ({ userId, roles: [role], ...(department ? { department } : {}) });

/** Completes the open task of a kind as its assignee, as the API would after validating the input. */
export async function completeOpen(store: Store, handle: WorkflowHandle, proposalId: string, kind: string, input: TaskInput, role: Role) {
  const task = await eventually(async () => {
    const t = await store.tasks.findOne({ proposalId, kind, status: 'open' }).lean();
    if (!t) throw new Error(`no open ${kind} task for ${proposalId}`);
    return t;
  });
  await handle.executeUpdate(completeTaskUpdate, { args: [{ actor: actor(task.assignee, role), taskId: task._id, input }] });
  return task;
}

/** Submission, a unanimous council with the chair's attestation, the mayor's approval and the department's agreement. */
export async function approveThroughAgreement(store: Store, handle: WorkflowHandle, proposalId: string) {
  await handle.executeUpdate(submitUpdate, { args: [{ actor: actor('sara.secretariat', 'secretariat') }] });
  for (let i = 0; i < 2; i++) await completeOpen(store, handle, proposalId, 'councilVote', { decision: 'approve' }, 'councilMember');
  await completeOpen(store, handle, proposalId, 'councilAttestation', { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true }, 'councilChair');
  await completeOpen(store, handle, proposalId, 'mayoralApproval', { decision: 'approve' }, 'mayor');
  await completeOpen(store, handle, proposalId, 'cooperationAgreement', { savingsShare: { kind: 'percentage', basisPoints: 3000 }, conditions: 'Efter revision' }, 'department');
}

export async function waitForStage(handle: WorkflowHandle, stage: string) {
  return eventually(async () => {
    const s = await handle.query(stateQuery);
    if (s.stage !== stage) throw new Error(`stage is ${s.stage}, waiting for ${stage}`);
    return s;
  });
}
