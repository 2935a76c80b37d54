/** `months` calendar months after an ISO date, at midnight UTC, as an ISO date-time. */
export function addMonths(isoDate: string, months: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString();
}
