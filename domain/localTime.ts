import { timeZone } from './dates';

const local = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** Copenhagen's wall clock at an instant, as the numbers Date.UTC takes. */
function wallClock(at: number): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'));
}

/**
 * What a datetime-local field holds ("2026-03-01T12:00", no zone) read as Copenhagen
 * time, as the ISO instant the schemas take; anything else as typed, so zod names it.
 * A day or hour that does not exist (30 February, 24:30) is not rolled over into the next.
 */
export function fromLocalInput(text: string): string {
  const m = local.exec(text);
  if (!m) return text;
  const wanted = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  if (new Date(wanted).toISOString().slice(0, 16) !== text) return text;
  // The zone's offset depends on the instant; a second pass settles it across a DST change.
  let at = wanted;
  for (let i = 0; i < 2; i++) at = wanted - (wallClock(at) - at);
  return new Date(at).toISOString();
}

/** An instant as a datetime-local field shows it, in Copenhagen time. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  return new Date(wallClock(Date.parse(iso))).toISOString().slice(0, 16);
}
