import type { WorkflowHandle } from '@temporalio/client';
import { annualReportWorkflowId } from '../../domain/annualReport';
import { reportSecretariatUpdate } from '../../workflows/annualReport';
import type { Role } from '../../domain/people';
import type { TaskInput } from '../../domain/tasks';
import { completeTaskUpdate, contractingUpdate, procurementUpdate, stateQuery, submitUpdate } from '../../workflows/messages';
import { contractingActionInput } from '../../domain/contract';
import { savingsConfirmationInput } from '../../domain/outcomeInputs';
import { procurementActionInput } from '../../domain/procurementInput';
import type { Store } from '../../store';
import { eventually } from './eventually';
import type { Stack } from './stack';

export const actor = (userId: string, role: Role, department?: string) => ({ userId, roles: [role], ...(department ? { department } : {}) });

/**
 * Completes the open task of a kind that needs `role` (a contract's two signatures need two) as its
 * assignee holding that role, as the API would after validating the input.
 */
export async function completeOpen(store: Store, handle: WorkflowHandle, proposalId: string, kind: string, input: TaskInput, role: Role) {
  const task = await eventually(async () => {
    const t = await store.tasks.findOne({ proposalId, kind, role, status: 'open' }).lean();
    if (!t) throw new Error(`no open ${kind} task for ${proposalId} that needs the role ${role}`);
    return t;
  });
  await handle.executeUpdate(completeTaskUpdate, { args: [{ actor: actor(task.assignee!, role, task.department), taskId: task._id, input }] });
  return task;
}

/** The secretariat sends the drafted report to the council, two members approve it through their tasks, and it is marked as sent. */
export async function approveAndSendReport(store: Store, handle: WorkflowHandle, year: number) {
  const sara = actor('sara.secretariat', 'secretariat');
  await handle.executeUpdate(reportSecretariatUpdate, { args: [{ actor: sara, step: 'submit' }] });
  for (let i = 0; i < 2; i++) await completeOpen(store, handle, annualReportWorkflowId(year), 'reportApproval', { decision: 'approve' }, 'councilMember');
  return handle.executeUpdate(reportSecretariatUpdate, { args: [{ actor: sara, step: 'markSent' }] });
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

/** The terms of a directly awarded outcome contract, as the API takes them (DKK). */
export interface ContractTerms {
  supplier: string;
  value: string;
  investor: string;
  startDate: string;
  measurementMonths: number[];
  rateCard: { metric: string; unit: string; pricePerUnit: string; targetUnits: number; maxPayment: string }[];
  totalCap: string;
}

/** Two of the three members approve the secretariat's recommendation through their tasks: the council chooses the provider or the investor. */
export async function councilApproves(store: Store, handle: WorkflowHandle, proposalId: string, kind: 'awardDecision' | 'investorDecision') {
  for (let i = 0; i < 2; i++) await completeOpen(store, handle, proposalId, kind, { decision: 'approve' }, 'councilMember');
}

/** From the cooperation agreement to a signed contract: a direct award with a rationale and one investor, each recommended to the council and approved, both signatures. */
export async function signContract(store: Store, handle: WorkflowHandle, proposalId: string, terms: ContractTerms) {
  const sara = actor('sara.secretariat', 'secretariat');
  await waitForStage(handle, 'Procurement');
  const step = (input: unknown) => handle.executeUpdate(procurementUpdate, { args: [{ actor: sara, input: procurementActionInput.parse(input) }] });
  await step({ action: 'decideProcedure', serviceKind: 'social', estimatedValue: terms.value, procedure: 'directAward', rationale: 'Videreførelse af en eksisterende indsats' });
  await step({
    action: 'recommendDirectAward',
    supplier: terms.supplier,
    price: terms.value,
    reasons: 'Et valideret forløb',
    rationale: 'Eneste leverandør med et valideret forløb',
  });
  await councilApproves(store, handle, proposalId, 'awardDecision');
  await waitForStage(handle, 'Contracting');
  const contract = (input: unknown) => handle.executeUpdate(contractingUpdate, { args: [{ actor: sara, input: contractingActionInput.parse(input) }] });
  await contract({ action: 'registerInvestorOffer', investor: terms.investor, amountCommitted: terms.totalCap, conditions: 'Tilbagebetaling af resultatbetalinger' });
  await contract({ action: 'recommendInvestor', offerId: 'offer-1', comparison: 'Eneste tilbud', rationale: 'Dækker hele loftet' });
  await councilApproves(store, handle, proposalId, 'investorDecision');
  const { supplier: _s, value: _v, investor: _i, ...contractTerms } = terms;
  await contract({ action: 'proposeContract', ...contractTerms, payee: 'investor' });
  await completeOpen(store, handle, proposalId, 'contractSigning', { signed: true }, 'secretariat');
  await completeOpen(store, handle, proposalId, 'contractSigning', { signed: true }, 'department');
  await waitForStage(handle, 'Implementation');
}

/** One measurement point: outcome data, the department's confirmation, the realised savings (DKK). */
export async function measure(store: Store, handle: WorkflowHandle, proposalId: string, months: number, units: Record<string, number>, savings: string) {
  await completeOpen(
    store,
    handle,
    proposalId,
    'outcomeReport',
    { results: Object.entries(units).map(([metric, unitsAchieved]) => ({ metric, unitsAchieved, evidence: 'Registerdata' })) },
    'secretariat',
  );
  await completeOpen(store, handle, proposalId, 'outcomeVerification', { confirmed: true }, 'department');
  await completeOpen(store, handle, proposalId, 'savingsConfirmation', savingsConfirmationInput.parse({ realisedSavings: savings }), 'department');
  await eventually(async () => {
    const m = (await handle.query(stateQuery)).implementation!.measurements.find((x) => x.months === months);
    if (m?.returnedOre === undefined) throw new Error(`measurement ${months} not settled yet`);
    // The workflow notes the share before it books it: settled means the ledger has it too.
    if (m.returnedOre > 0 && !(await store.ledger.exists({ _id: `${proposalId}.contract.m${months}.savings` }))) {
      throw new Error(`the savings of measurement ${months} are not booked yet`);
    }
  });
}

/** A client of the API as one person (test/support/stack.ts). */
interface ApiAs {
  post(path: string, body?: unknown): Promise<{ status: number }>;
}

/** Through the API as the secretariat: Housing First recommended for a direct award to Boligsocialt Netværk, approved by two members, on to Contracting. */
export async function awardDirectly(stack: Stack, api: ApiAs, handle: WorkflowHandle, id: string) {
  await recommendDirectAward(api, handle, id);
  await councilApprovesThroughApi(stack, id, 'awardDecision');
  await waitForStage(handle, 'Contracting');
}

/** Through the API as the secretariat: once in Procurement, a direct award to Boligsocialt Netværk recommended to the council. */
export async function recommendDirectAward(api: ApiAs, handle: WorkflowHandle, id: string) {
  const step = async (input: unknown) => expect((await api.post(`/api/proposals/${id}/procurement`, input)).status).toBe(200);
  await waitForStage(handle, 'Procurement');
  await step({ action: 'decideProcedure', serviceKind: 'social', estimatedValue: '12000000', procedure: 'directAward', rationale: 'Videreførelse' });
  await step({
    action: 'recommendDirectAward',
    supplier: 'Boligsocialt Netværk',
    price: '12000000',
    reasons: 'Et valideret forløb',
    rationale: 'Eneste leverandør med et valideret forløb',
  });
}

/** Two members approve the recommendation, each through the API. */
export async function councilApprovesThroughApi(stack: Stack, proposalId: string, kind: 'awardDecision' | 'investorDecision') {
  for (let i = 0; i < 2; i++) await answerThroughApi(stack, proposalId, kind, { decision: 'approve' });
}

/** Answers the open task of a kind through the API, as whoever holds it. */
export async function answerThroughApi(stack: Stack, proposalId: string, kind: string, input: unknown) {
  const task = await eventually(async () => {
    const t = await stack.store.tasks.findOne({ proposalId, kind, status: 'open' }).lean();
    if (!t?.assignee) throw new Error(`no open ${kind} task held by anyone yet`);
    return t;
  });
  const res = await (await stack.as(task.assignee!)).post(`/api/tasks/${encodeURIComponent(task._id)}/complete`, input);
  expect(res.status).toBe(200);
  return task;
}
