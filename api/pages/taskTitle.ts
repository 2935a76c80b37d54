import { annualReportYear } from '../../domain/annualReport';
import { isMeetingId, type Meeting } from '../../domain/meeting';
import { dict, formatDate, type Lang } from '../../i18n';
import type { TaskKind } from '../../domain/tasks';
import { meetingWords } from '../../i18n/meetings';
import type { Store, TaskDoc } from '../../store';

type MeetingOfTask = Pick<Meeting, 'kind'> & { startsAt: Date };

/**
 * What a task is about, in the reader's words. A proposal's task carries the proposal's
 * own title. The annual report's and a meeting's tasks carry a title their workflows made
 * in Danish, for the mails; the pages name the report and the meeting in the reader's language.
 */
export function taskCaseTitle(lang: Lang, task: Pick<TaskDoc, 'proposalId' | 'title'>, meeting: MeetingOfTask | undefined): string {
  const year = annualReportYear(task.proposalId);
  if (year) return dict(lang).report.title(year);
  if (meeting) return `${meetingWords(lang).kinds[meeting.kind]} ${formatDate(lang, meeting.startsAt)}`;
  return task.title ?? task.proposalId;
}

/** A task's kind, and which time it is asked when it is asked again (a council's second round, the corrected minutes' approval). */
export function taskKindName(lang: Lang, task: Pick<TaskDoc, 'kind' | 'round'>): string {
  const kind = dict(lang).taskKind[task.kind as TaskKind] ?? task.kind;
  return task.round && task.round > 1 ? `${kind} (${dict(lang).task.round(task.round)})` : kind;
}

/** The meetings some tasks are about, for their titles: one read, none when no task is a meeting's. */
export async function meetingsOfTasks(store: Store, tasks: readonly Pick<TaskDoc, 'proposalId'>[]): Promise<Map<string, MeetingOfTask>> {
  const ids = [...new Set(tasks.map((t) => t.proposalId).filter(isMeetingId))];
  if (!ids.length) return new Map();
  const docs = await store.meetings.find({ _id: { $in: ids } }, { kind: 1, startsAt: 1 }).lean();
  return new Map(docs.map((d) => [d._id, { kind: d.kind as Meeting['kind'], startsAt: d.startsAt }]));
}
