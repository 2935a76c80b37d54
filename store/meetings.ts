import type { Meeting } from '../domain/meeting';
import type { MeetingDoc, Store } from '.';
import { insertOnce, updateOneSerialised } from './serialised';

/**
 * Writes the meeting as its workflow has it now, the `seq`th time: the first write
 * creates it, a later one replaces an older one only, so a retried or overtaken
 * write never takes the calendar back.
 */
export async function saveMeeting(store: Store, m: { meeting: Meeting; workflowId: string; seq: number; at: string }): Promise<void> {
  const fields = {
    workflowId: m.workflowId,
    kind: m.meeting.kind,
    startsAt: new Date(m.meeting.startsAt),
    status: m.meeting.status,
    seq: m.seq,
    meeting: m.meeting,
    updatedAt: new Date(m.at),
  };
  await insertOnce(store.meetings, m.meeting.id, fields);
  await updateOneSerialised(store, store.meetings, { _id: m.meeting.id, seq: { $lt: m.seq } }, { $set: fields });
}

/** The calendar: a page of the meetings from `from` on, soonest first, with how many there are in all. */
export async function meetingsFrom(store: Store, from: Date, page = { skip: 0, limit: 100 }): Promise<{ total: number; docs: MeetingDoc[] }> {
  const filter = { startsAt: { $gte: from } };
  const [total, docs] = await Promise.all([
    store.meetings.countDocuments(filter),
    store.meetings.find(filter).sort({ startsAt: 1, _id: 1 }).skip(page.skip).limit(page.limit).lean(),
  ]);
  return { total, docs };
}
