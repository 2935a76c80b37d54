import type { Meeting } from '../domain/meeting';
import type { Store } from '../store';
import { saveMeeting } from '../store/meetings';

export function meetingActivities(store: Store) {
  return {
    /** The meeting as its workflow has it now, for the calendar and the meeting pages. */
    async saveMeeting(m: { meeting: Meeting; workflowId: string; seq: number; at: string }): Promise<void> {
      await saveMeeting(store, m);
    },
  };
}
