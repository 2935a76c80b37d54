import { agendaItemPath, type AgendaItemKind, type ItemDecision, type Meeting, type MeetingKind } from './meeting';

/** One item of the minutes: what was on the agenda, what the council decided, who took no part. */
export interface MinutesItem {
  number: number;
  kind: AgendaItemKind;
  caseId: string;
  /** A later round of its case (a proposal sent again): see AgendaItem.round. */
  round?: number;
  title: string;
  paperPath: string;
  decision: ItemDecision;
  conflicts: string[];
  note?: string;
}

/**
 * The minutes (referat) of a meeting, as codes and ids: pages word them in the
 * reader's language and put names to the ids. Generated from what the secretariat
 * recorded, never typed as a whole, so they say no more and no less than the record.
 */
export interface Minutes {
  meetingId: string;
  kind: MeetingKind;
  startsAt: string;
  place?: string;
  videoLink?: string;
  present: string[];
  absent: string[];
  items: MinutesItem[];
  recorded: { by: string; at: string };
  approval?: { by: string; at: string; comment?: string };
}

/** The minutes of a recorded meeting; none before it is recorded. */
export function minutesOf(m: Meeting): Minutes | undefined {
  if (!m.record) return undefined;
  const recorded = new Map(m.record.items.map((i) => [i.itemId, i]));
  return {
    meetingId: m.id,
    kind: m.kind,
    startsAt: m.startsAt,
    place: m.place,
    videoLink: m.videoLink,
    present: m.record.present,
    absent: m.record.absent,
    items: m.agenda.map((item, n) => {
      const r = recorded.get(item.id)!;
      return {
        number: n + 1,
        kind: item.kind,
        caseId: item.caseId,
        ...(item.round ? { round: item.round } : {}),
        title: item.title,
        paperPath: agendaItemPath(item),
        decision: r.decision,
        conflicts: r.conflicts,
        ...(r.note ? { note: r.note } : {}),
      };
    }),
    recorded: { by: m.record.by, at: m.record.at },
    ...(m.minutesApproval ? { approval: m.minutesApproval } : {}),
  };
}
