import type { AgendaItem } from '../../domain/meeting';

/**
 * A refusal's or reason's parameters as the pages name things: people by name, not user
 * id, an agenda item by its number and title, as the agenda lists it, and a case as the
 * page calls it (`caseName`). The words around them stay the codes' translations; the
 * API keeps the ids.
 */
export function namedParams<T>(
  params: T,
  nameOf: (userId: string) => string,
  agenda: readonly Pick<AgendaItem, 'id' | 'title'>[] = [],
  caseName: (caseId: string) => string = (caseId) => caseId,
): T {
  if (!params || typeof params !== 'object') return params;
  const p = { ...(params as Record<string, unknown>) };
  if (typeof p.userId === 'string') p.userId = nameOf(p.userId);
  if (typeof p.caseId === 'string') p.caseId = caseName(p.caseId);
  if (Array.isArray(p.members)) p.members = p.members.map((m: unknown) => (typeof m === 'string' ? nameOf(m) : m));
  const at = typeof p.itemId === 'string' ? agenda.findIndex((i) => i.id === p.itemId) : -1;
  if (at >= 0) p.itemId = `${at + 1} (${agenda[at].title})`;
  return p as T;
}
