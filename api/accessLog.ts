import type { Request } from 'express';
import type { ReadKind } from '../domain/accessLog';
import { annualReportWorkflowId } from '../domain/annualReport';
import type { Store } from '../store';
import { accessLog } from '../store/accessLog';
import { noteRead } from './requestContext';

/**
 * Puts on record that `userId` reads personal data through this request (the API or a
 * page), naming the route, never the content. The caller starts it beside its own
 * reads and answers once it resolves: a read that could not be recorded is not shown.
 */
export function recordRead(store: Store, req: Request, userId: string, read: { what: ReadKind; proposalId?: string; taskId?: string; meetingId?: string }): Promise<void> {
  const route = `${req.method} ${req.baseUrl}${(req.route as { path: string }).path}`;
  const via = req.baseUrl.startsWith('/api') ? 'api' : req.baseUrl.startsWith('/codec') ? 'codec' : 'pages';
  // A meeting is a case of its own on the log, as its tasks are: a search by case finds its reads with theirs.
  const filedAs = read.meetingId && !read.proposalId ? { ...read, proposalId: read.meetingId } : read;
  noteRead({ ...filedAs, via, route });
  return accessLog(store).record({ userId, ...filedAs, via, route });
}

/** A read of a year's annual report (its council rounds name each member's answer and comments), filed under the report's case id as its tasks are. */
export const recordReportRead = (store: Store, req: Request, userId: string, year: number) =>
  recordRead(store, req, userId, { what: 'report', proposalId: annualReportWorkflowId(year) });
