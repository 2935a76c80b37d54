// Configuration takes durations in any unit ("14 days", "90 seconds", "2 weeks"),
// so that a demo installation can run a whole lifecycle in minutes.
const unitMs: Record<string, number> = {
  ms: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
};

/** Milliseconds for "14 days", "90 seconds", "1.5 hours", "10d"; throws on anything else. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$/.exec(text);
  const factor = match ? unitMs[match[2].toLowerCase()] : undefined;
  if (!match || factor === undefined) {
    throw new Error(`"${text}" is not a duration; write e.g. "14 days", "90 seconds", "2 weeks"`);
  }
  const ms = Math.round(Number(match[1]) * factor);
  if (ms <= 0) throw new Error(`"${text}" must be longer than zero`);
  return ms;
}

export const durationUnits = ['day', 'hour', 'minute', 'second', 'millisecond'] as const;
export type DurationUnit = (typeof durationUnits)[number];

/**
 * A duration in the largest unit that measures it whole ("30 days", "90 seconds"), so
 * a refusal or a hint shows the period as it was configured; each language words the unit.
 */
export function durationInUnits(ms: number): { amount: number; unit: DurationUnit } {
  const unit = durationUnits.find((u) => ms % unitMs[u] === 0 && ms >= unitMs[u]) ?? 'millisecond';
  return { amount: ms / unitMs[unit], unit };
}

export function durationText(ms: number): string {
  const { amount, unit } = durationInUnits(ms);
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}
