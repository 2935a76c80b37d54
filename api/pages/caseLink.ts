import { annualReportYear } from '../../domain/annualReport';
import { isMeetingId } from '../../domain/meeting';

/** The page of what a case id names: a proposal, a year's annual report (its tasks and notices), or a meeting. */
export function caseLink(caseId: string): string {
  const year = annualReportYear(caseId);
  if (year) return `/reports/${year}`;
  return isMeetingId(caseId) ? `/meetings/${encodeURIComponent(caseId)}` : `/proposals/${encodeURIComponent(caseId)}`;
}
