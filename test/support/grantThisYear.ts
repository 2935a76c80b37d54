import { lifecycleClient } from '../../api/lifecycle';
import { startAnnualReport } from '../../api/routes/reports';
import { workflowIdFor } from '../../workflows/input';
import { youthAnxietyGroups } from '../fixtures/proposals';
import { approveThroughAgreement, waitForStage } from './drive';
import { eventually } from './eventually';
import type { Stack } from './stack';
import { isoDay } from './units';

/** Answers the open task of a kind on a case through the API, as whoever holds it. */
export async function answerOpenTask(stack: Stack, proposalId: string, kind: string, input: unknown, assignee?: string) {
  const task = await eventually(async () => {
    const t = await stack.store.tasks.findOne({ proposalId, kind, status: 'open', ...(assignee ? { assignee } : {}) }).lean();
    if (!t?.assignee) throw new Error(`no open ${kind} task on ${proposalId}${assignee ? ` for ${assignee}` : ''} held by anyone yet`);
    return t;
  });
  return (await stack.as(task.assignee!)).post(`/api/tasks/${encodeURIComponent(task._id)}/complete`, input);
}

/**
 * The youth anxiety groups as a direct grant of 1.2 million through the real system:
 * approved, agreed in two tranches, the first (700,000) paid today and the second
 * (500,000) still reserved. A project with money in this year's books.
 */
export async function grantWithFirstTranche(stack: Stack): Promise<string> {
  const year = new Date().getUTCFullYear();
  const sara = await stack.as('sara.secretariat');
  const proposalId = (await sara.post('/api/proposals', youthAnxietyGroups)).body.id as string;
  const handle = stack.client.workflow.getHandle(workflowIdFor(proposalId));
  await approveThroughAgreement(stack.store, handle, proposalId);
  await waitForStage(handle, 'GrantAgreement');
  const answered = async (kind: string, input: unknown) => expect((await answerOpenTask(stack, proposalId, kind, input)).status).toBe(200);
  await answered('grantAgreement', {
    grantee: 'Foreningen Ung i Aarhus',
    amount: '1200000.00',
    tranches: [
      { dueDate: isoDay(Date.now()), amount: '700000.00', condition: 'Forløbene er startet på tre skoler' },
      { dueDate: `${year + 2}-06-01`, amount: '500000.00', condition: 'Midtvejsevaluering er modtaget' },
    ],
    conditions: 'Tilskuddet bruges alene til gruppeforløbene.',
  });
  await answered('trancheConfirmation', { confirmed: true, note: 'Besøgt skolerne' });
  await eventually(async () => expect(await stack.store.ledger.countDocuments({ kind: 'directGrant', proposalId })).toBe(1));
  return proposalId;
}

/**
 * Drafts a year's report as the secretariat's start does, without the API's rule that
 * only a closed year may be started by hand: a test can fill this year's books through
 * the real system, not last year's, so the report tests draft this year.
 */
export function draftReport(stack: Stack, year: number) {
  return startAnnualReport(stack.store, lifecycleClient(stack.client, stack.config.temporal.taskQueue), stack.config.deadlines, year, 'sara.secretariat');
}
