import { allHandlersFinished, condition, defineQuery, defineUpdate, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { annualReportWorkflowId } from '../domain/annualReport';
import { hasRole, type Actor } from '../domain/people';
import { conflict, forbidden, setUpdateHandler } from './messages';

const acts = proxyActivities<Activities>({ startToCloseTimeout: '2 minutes', retry: { initialInterval: '1 second', maximumInterval: '1 minute' } });

export interface ReportProgress {
  year: number;
  version: number;
  status: 'drafting' | 'awaitingChair' | 'returned' | 'approved' | 'sentToCityCouncil';
  comments?: string;
}

export const reportProgressQuery = defineQuery<ReportProgress>('reportProgress');
/** The chair approves the draft, or returns it with comments. */
export const reportDecisionUpdate = defineUpdate<ReportProgress, [{ actor: Actor; decision: 'approve' | 'return'; comments?: string }]>('reportDecision');
/** The secretariat redrafts a returned report, or marks an approved one as sent to the city council. */
export const reportSecretariatUpdate = defineUpdate<ReportProgress, [{ actor: Actor; step: 'redraft' | 'markSent'; note?: string }]>('reportSecretariat');

/**
 * The year's report to the city council (afrapportering): drafted from the books,
 * approved by the council chair (or returned with comments and redrafted), then
 * marked as sent. The yearly Schedule starts it for the year just closed; the
 * secretariat can start it by hand for any year.
 */
export async function annualReport(input: { year?: number; requestedBy: string }): Promise<ReportProgress> {
  const year = input.year ?? new Date(workflowInfo().startTime).getUTCFullYear() - 1;
  const progress: ReportProgress = { year, version: 0, status: 'drafting' };
  let redraftBy: string | undefined;
  /** The newest version the read model shows to the chair. */
  let readyVersion = 0;
  let sent: { by: string; note?: string } | undefined;
  const now = () => new Date().toISOString();

  setHandler(reportProgressQuery, () => progress);
  setUpdateHandler(
    reportDecisionUpdate,
    async ({ actor, decision, comments }) => {
      const at = now();
      progress.status = decision === 'approve' ? 'approved' : 'returned';
      progress.comments = comments;
      await acts.recordReportStatus({ year, version: progress.version, status: progress.status, by: actor.userId, at, comments });
      return progress;
    },
    {
      validator: ({ actor, decision, comments }) => {
        if (!hasRole(actor, 'councilChair')) throw forbidden({ code: 'onlyChairApprovesReport' });
        if (progress.status !== 'awaitingChair') throw conflict({ code: 'reportNotAwaitingChair', status: progress.status });
        if (decision === 'return' && !comments?.trim()) throw conflict({ code: 'returnNeedsComments' });
      },
    },
  );
  setUpdateHandler(
    reportSecretariatUpdate,
    async ({ actor, step, note }) => {
      const version = progress.version;
      if (step === 'redraft') redraftBy = actor.userId;
      else sent = { by: actor.userId, note };
      await condition(() => (step === 'redraft' ? readyVersion > version : progress.status === 'sentToCityCouncil'));
      return progress;
    },
    {
      validator: ({ actor, step }) => {
        if (!hasRole(actor, 'secretariat')) throw forbidden({ code: 'onlySecretariat' });
        if (step === 'redraft' && progress.status !== 'returned') throw conflict({ code: 'reportNotReturned', status: progress.status });
        if (step === 'markSent' && progress.status !== 'approved') throw conflict({ code: 'reportNotApproved', status: progress.status });
      },
    },
  );

  let by = input.requestedBy;
  for (;;) {
    progress.version += 1;
    progress.status = 'drafting';
    await acts.draftAnnualReport({ year, version: progress.version, at: now(), by, workflowId: workflowInfo().workflowId });
    progress.status = 'awaitingChair';
    // The read model shows the draft to the chair only now that the workflow awaits the
    // chair, so no one sees a report they cannot act on yet.
    await acts.recordReportStatus({ year, version: progress.version, status: 'draft', by, at: now() });
    readyVersion = progress.version;
    const chair = (await acts.councilComposition()).chair;
    await acts.notify({
      key: `${annualReportWorkflowId(year)}.v${progress.version}.ready`,
      event: 'annualReportReady',
      proposalId: annualReportWorkflowId(year),
      to: { users: [chair] },
    });
    await condition(() => progress.status === 'approved' || progress.status === 'returned');
    if ((progress.status as ReportProgress['status']) === 'approved') break;
    await acts.notify({
      key: `${annualReportWorkflowId(year)}.v${progress.version}.returned`,
      event: 'annualReportReturned',
      proposalId: annualReportWorkflowId(year),
      to: { roles: ['secretariat'] },
    });
    await condition(() => redraftBy !== undefined);
    by = redraftBy!;
    redraftBy = undefined;
  }
  await condition(() => sent !== undefined);
  // Written before the status changes, so the secretariat's Update returns once the record says so.
  await acts.recordReportStatus({ year, version: progress.version, status: 'sentToCityCouncil', by: sent!.by, at: now(), comments: sent!.note });
  progress.status = 'sentToCityCouncil';
  await condition(allHandlersFinished);
  return progress;
}
