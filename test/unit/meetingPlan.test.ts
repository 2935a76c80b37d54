import { agendaOpenAfterStartMs, agendaRefusal, awaitsMinutes, cancelRefusal, maxAgendasPerCase, otherAgendasRefusal, type Meeting, type RecordedItem } from '../../domain/meeting';
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

describe("a case on the council's agendas", () => {
  const meeting = (id: string, status: Meeting['status'], caseIds: string[] = []): Meeting => ({
    id,
    kind: 'council',
    startsAt: '2026-12-01T09:00:00.000Z',
    status,
    plannedBy: 'sara.secretariat',
    agenda: caseIds.map((caseId, n) => ({ id: `i${n + 1}`, kind: 'proposal', caseId, title: caseId, addedBy: 'sara.secretariat', addedAt: '2026-11-30T09:00:00.000Z' })),
  });
  const item = { kind: 'proposal' as const, caseId: 'SIF-2026-0001' };

  it('goes before one meeting at a time: again once that meeting was held or cancelled', () => {
    expect(otherAgendasRefusal('M-2', [meeting('M-1', 'agendaSent', ['SIF-2026-0001']), meeting('M-2', 'planned')], item)).toEqual({
      code: 'onAnotherAgenda',
      caseId: 'SIF-2026-0001',
      meetingId: 'M-1',
    });
    for (const held of ['recorded', 'cancelled'] as const)
      expect(otherAgendasRefusal('M-2', [meeting('M-1', held, ['SIF-2026-0001']), meeting('M-2', 'planned')], item)).toBeUndefined();
    // Another case is no matter.
    expect(otherAgendasRefusal('M-2', [meeting('M-1', 'planned', ['SIF-2026-0002'])], item)).toBeUndefined();
  });

  it('goes on an agenda until the day of the meeting is over, not weeks after it was held and before it was recorded', () => {
    const m = meeting('M-1', 'agendaSent');
    const startsAt = Date.parse(m.startsAt);
    expect(agendaRefusal(m, item, startsAt - 60_000)).toBeUndefined();
    expect(agendaRefusal(m, item, startsAt + agendaOpenAfterStartMs)).toBeUndefined(); // an urgent case raised at the meeting
    expect(agendaRefusal(m, item, startsAt + 19 * 86_400_000)).toEqual({ code: 'meetingOver', startsAt: m.startsAt });
  });

  it('is cancelled only before its meeting begins: once begun, the meeting is recorded, so its minutes say what became of it', () => {
    const startsAt = Date.parse(meeting('M-1', 'planned').startsAt);
    for (const open of ['planned', 'agendaSent'] as const) {
      expect(cancelRefusal(meeting('M-1', open), startsAt - 1)).toBeUndefined();
      expect(cancelRefusal(meeting('M-1', open), startsAt)).toEqual({ code: 'meetingBegun', startsAt: '2026-12-01T09:00:00.000Z' });
    }
    expect(cancelRefusal(meeting('M-1', 'recorded'), startsAt - 1)).toEqual({ code: 'meetingNotOpen', status: 'recorded' });
  });

  it('goes before a meeting again for a later round of it, once: a revised proposal is a decision of its own', () => {
    const withRound = (m: Meeting, round: number): Meeting => ({ ...m, agenda: m.agenda.map((i) => ({ ...i, round })) });
    const m = withRound(meeting('M-1', 'agendaSent', ['SIF-2026-0001']), 1);
    const startsAt = Date.parse(m.startsAt);
    expect(agendaRefusal(m, { ...item, round: 1 }, startsAt)).toEqual({ code: 'alreadyOnAgenda', caseId: 'SIF-2026-0001' });
    expect(agendaRefusal(m, { ...item, round: 2 }, startsAt)).toBeUndefined();
    // An item from before rounds were kept stands for every round of its case.
    expect(agendaRefusal(meeting('M-1', 'agendaSent', ['SIF-2026-0001']), { ...item, round: 2 }, startsAt)).toEqual({ code: 'alreadyOnAgenda', caseId: 'SIF-2026-0001' });
    // On another meeting while the earlier round waits to be recorded, but not the same round twice.
    expect(otherAgendasRefusal('M-2', [m, meeting('M-2', 'planned')], { ...item, round: 2 })).toBeUndefined();
    expect(otherAgendasRefusal('M-2', [m, meeting('M-2', 'planned')], { ...item, round: 1 })).toMatchObject({ code: 'onAnotherAgenda', meetingId: 'M-1' });
  });

  it('a decision the votes made awaits its minutes when its meeting was cancelled or recorded it as postponed, until a meeting records it', () => {
    const decision = { ...item, round: 1 };
    const round = (n: number, m: Meeting): Meeting => ({ ...m, agenda: m.agenda.map((i) => ({ ...i, round: n })) });
    const recorded = (m: Meeting, d: RecordedItem['decision']): Meeting => ({
      ...m,
      record: { present: [], absent: [], items: [{ itemId: 'i1', decision: d, conflicts: [] }], by: 'sara.secretariat', at: m.startsAt },
    });
    const cancelled = round(1, meeting('M-1', 'cancelled', ['SIF-2026-0001']));
    // Never on an agenda (asynchronous voting decided it alone): nothing to minute.
    expect(awaitsMinutes([], decision)).toBe(false);
    expect(awaitsMinutes([cancelled], decision)).toBe(true);
    expect(awaitsMinutes([round(1, recorded(meeting('M-1', 'minutesApproved', ['SIF-2026-0001']), 'postponed'))], decision)).toBe(true);
    // A meeting to come holds it, or one recorded what the votes decided.
    expect(awaitsMinutes([cancelled, round(1, meeting('M-2', 'agendaSent', ['SIF-2026-0001']))], decision)).toBe(false);
    for (const status of ['recorded', 'minutesReturned', 'minutesApproved'] as const)
      expect(awaitsMinutes([cancelled, round(1, recorded(meeting('M-2', status, ['SIF-2026-0001']), 'approve'))], decision)).toBe(false);
    // Another round of the case is another decision: on a cancelled meeting, or minuted, it is no matter for this one.
    expect(awaitsMinutes([round(2, meeting('M-1', 'cancelled', ['SIF-2026-0001']))], decision)).toBe(false);
    expect(awaitsMinutes([cancelled, round(2, recorded(meeting('M-2', 'recorded', ['SIF-2026-0001']), 'approve'))], decision)).toBe(true);
    // An item from before rounds were kept names no round, and came before any round that is named: a cancelled one holds
    // no round, a recorded one minuted none that was named since. One on a meeting to come may yet hold it.
    expect(awaitsMinutes([meeting('M-1', 'cancelled', ['SIF-2026-0001'])], decision)).toBe(false);
    expect(awaitsMinutes([cancelled, recorded(meeting('M-0', 'minutesApproved', ['SIF-2026-0001']), 'returnForChanges')], decision)).toBe(true);
    expect(awaitsMinutes([cancelled, meeting('M-2', 'planned', ['SIF-2026-0001'])], decision)).toBe(false);
  });

  it('goes before a bounded number of meetings, cancelled ones included: each signals its workflow', () => {
    const earlier = Array.from({ length: maxAgendasPerCase }, (_, n) => meeting(`M-${n}`, 'cancelled', ['SIF-2026-0001']));
    expect(otherAgendasRefusal('M-new', earlier.slice(1), item)).toBeUndefined();
    expect(otherAgendasRefusal('M-new', earlier, item)).toEqual({ code: 'tooManyAgendas', caseId: 'SIF-2026-0001', max: maxAgendasPerCase });
  });
});
