import { allHandlersFinished, condition, continueAsNew, defineQuery, defineUpdate, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
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

export interface AnnualReportInput {
  year?: number;
  requestedBy: string;
  /** Set when the workflow continued as new after the chair returned this version. */
  returned?: { year: number; version: number; comments?: string };
}

/** Past this many events a returned report continues as new, so its history stays bounded however often it goes back and forth. */
const historyLimit = 300;

/**
 * The year's report to the city council (afrapportering): drafted from the books,
 * approved by the council chair (or returned with comments and redrafted), then
 * marked as sent. The yearly Schedule starts it for the year just closed; the
 * secretariat can start it by hand for any year.
 */
export async function annualReport(input: AnnualReportInput): Promise<ReportProgress> {
  const year = input.returned?.year ?? input.year ?? new Date(workflowInfo().startTime).getUTCFullYear() - 1;
  const progress: ReportProgress = input.returned
    ? { year, version: input.returned.version, status: 'returned', comments: input.returned.comments }
    : { year, version: 0, status: 'drafting' };
  let redraftBy: string | undefined;
  /** The newest version the read model shows to the chair. */
  let readyVersion = progress.version;
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
  // A run continued after a return starts where the last one stopped: awaiting the redraft.
  let awaitingRedraft = input.returned !== undefined;
  for (;;) {
    if (awaitingRedraft) {
      await condition(() => redraftBy !== undefined);
      by = redraftBy!;
      redraftBy = undefined;
    }
    awaitingRedraft = true;
    progress.version += 1;
    progress.status = 'drafting';
    await acts.draftAnnualReport({ year, version: progress.version, at: now(), by, workflowId: workflowInfo().workflowId });
    progress.status = 'awaitingChair';
    // The read model shows the draft to the chair only now that the workflow awaits the
    // chair, so no one sees a report they cannot act on yet.
    await acts.recordReportStatus({ year, version: progress.version, status: 'draft', by, at: now() });
    readyVersion = progress.version;
    const chair = await acts.resolveAssignee({ role: 'councilChair' });
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
    if (workflowInfo().historyLength > historyLimit || workflowInfo().continueAsNewSuggested) {
      // A redraft already asked for is answered in this run; otherwise the next run waits for it.
      await condition(() => redraftBy !== undefined || allHandlersFinished());
      if (redraftBy === undefined) {
        return continueAsNew<typeof annualReport>({ requestedBy: input.requestedBy, returned: { year, version: progress.version, comments: progress.comments } });
      }
    }
  }
  await condition(() => sent !== undefined);
  // Written before the status changes, so the secretariat's Update returns once the record says so.
  await acts.recordReportStatus({ year, version: progress.version, status: 'sentToCityCouncil', by: sent!.by, at: now(), comments: sent!.note });
  progress.status = 'sentToCityCouncil';
  await condition(allHandlersFinished);
  return progress;
}
