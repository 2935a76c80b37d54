import { MONTHS, ScheduleAlreadyRunning, type Client, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import type { Config } from '../config';
import { reportDeadlines, type AnnualReportInput } from '../workflows/annualReport';

export const annualReportScheduleId = 'annual-report';

/**
 * The yearly Schedule that drafts the annual report for the year just closed, on a
 * configured date after the accounts close. Created on start, brought up to date if
 * the configuration changed; operators see and pause it in the Temporal UI.
 */
export async function ensureAnnualReportSchedule(client: Client, config: Config, taskQueue = config.temporal.taskQueue) {
  const { month, day, hour } = config.annualReport;
  const spec: ScheduleSpec = { calendars: [{ month: MONTHS[month - 1], dayOfMonth: day, hour }], timezone: 'Europe/Copenhagen' };
  const action: ScheduleOptionsAction = {
    type: 'startWorkflow',
    workflowType: 'annualReport',
    workflowId: 'annual-report-scheduled',
    taskQueue,
    args: [{ requestedBy: 'schedule', deadlines: reportDeadlines(config.deadlines) } satisfies AnnualReportInput],
  };
  // Each year's run is its own year's: one still running (a report the council keeps returning) never holds up the next.
  const overlap = 'ALLOW_ALL';
  try {
    await client.schedule.create({ scheduleId: annualReportScheduleId, spec, action, policies: { overlap } });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(annualReportScheduleId).update((previous) => ({ ...previous, spec, action, policies: { ...previous.policies, overlap } }));
  }
}
