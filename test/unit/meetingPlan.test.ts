import { planMeetingInput } from '../../domain/meetingInput';

describe('planning a meeting', () => {
  afterEach(() => jest.useRealTimers());

  it('asks that the meeting lie ahead of the moment it is planned, however long the server has run', () => {
    jest.useFakeTimers({ now: Date.parse('2026-11-30T09:00:00Z') });
    const meeting = { startsAt: '2026-11-30T11:00:00+01:00', place: 'Rådhuset, lokale 1' };
    // One hour ahead at nine (UTC): planned.
    expect(planMeetingInput.safeParse(meeting).success).toBe(true);
    // The same schema an hour and a half later: that hour has passed.
    jest.setSystemTime(Date.parse('2026-11-30T10:30:00Z'));
    const late = planMeetingInput.safeParse(meeting);
    expect(late.error?.issues.map((i) => [i.path.join('.'), (i as { params?: { code?: string } }).params?.code])).toEqual([['startsAt', 'meetingAhead']]);
  });
});
