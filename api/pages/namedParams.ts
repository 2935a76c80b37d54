import type { AgendaItem } from '../../domain/meeting';

/**
 * A refusal's or reason's parameters as the pages name things: people by name, not user
 * id, and an agenda item by its number and title, as the agenda lists it. The words
 * around them stay the codes' translations; the API keeps the ids.
 */
export function namedParams<T>(params: T, nameOf: (userId: string) => string, agenda: readonly Pick<AgendaItem, 'id' | 'title'>[] = []): T {
  if (!params || typeof params !== 'object') return params;
  const p = { ...(params as Record<string, unknown>) };
  if (typeof p.userId === 'string') p.userId = nameOf(p.userId);
  if (Array.isArray(p.members)) p.members = p.members.map((m: unknown) => (typeof m === 'string' ? nameOf(m) : m));
  const at = typeof p.itemId === 'string' ? agenda.findIndex((i) => i.id === p.itemId) : -1;
  if (at >= 0) p.itemId = `${at + 1} (${agenda[at].title})`;
  return p as T;
}
