import { councilSize } from './council';
import { holds, type Person, type Role } from './people';
import type { Reason, Refusal } from './refusals';

/**
 * What the process needs of people: at least this many active holders of each role.
 * Nobody removes or deactivates the last of them (the council: below three members);
 * each configured department also keeps at least one head.
 */
export const neededHolders: readonly { role: Role; minimum: number }[] = [
  { role: 'secretariat', minimum: 1 },
  { role: 'mayor', minimum: 1 },
  { role: 'councilChair', minimum: 1 },
  { role: 'councilMember', minimum: councilSize },
  { role: 'administrator', minimum: 1 },
];

/** A person's roles, department and standing: what a change of roles is about, and what the record keeps before and after. */
export const standing = (p: Person) => ({ roles: [...p.roles].sort(), department: p.department ?? null, active: p.active });

const sameStanding = (a: Person, b: Person) => JSON.stringify(standing(a)) === JSON.stringify(standing(b));

/**
 * Why this change of a person may not be made, or undefined. Only an administrator
 * manages people (the API checks the role); on top of that nobody changes their own
 * roles, department or standing (a role is never self-granted, and nobody locks
 * themself out), and no change takes a needed role below its minimum. A change that
 * leaves a count already short no shorter is allowed, so a short council can be mended.
 * `before` is absent for a new person; `everyone` is every person before the change.
 */
export function roleChangeRefusal(byUserId: string, change: { before?: Person; after: Person }, everyone: readonly Person[], departments: readonly string[]): Refusal | undefined {
  const { before, after } = change;
  if (after.id === byUserId && before && !sameStanding(before, after)) return { code: 'ownRoles' };
  const afterwards = [...everyone.filter((p) => p.id !== after.id), after];
  const count = (people: readonly Person[], role: Role, department?: string) => people.filter((p) => holds(p, role, department)).length;
  const needs = [
    ...neededHolders.map((n) => ({ ...n, department: undefined as string | undefined })),
    ...departments.map((department) => ({ role: 'department' as const, minimum: 1, department })),
  ];
  for (const { role, minimum, department } of needs) {
    const now = count(afterwards, role, department);
    if (now < minimum && now < count(everyone, role, department)) return { code: 'lastHolder', role, minimum, ...(department ? { department } : {}) };
  }
  return undefined;
}

/**
 * Why this change of a person's e-mail address may not be made, or undefined. The codec
 * endpoint knows a Temporal UI user by the address, as exactly one active user's: so
 * nobody changes their own (an administrator who freed theirs could give it to an
 * operator's record, or a new one, and decrypt alone), and no active person takes an
 * address another active person has.
 */
export function emailChangeRefusal(
  byUserId: string,
  change: { before?: { email: string; active: boolean }; after: { id: string; email: string; active: boolean } },
  everyone: readonly { id: string; email: string; active: boolean }[],
): Refusal | undefined {
  const { before, after } = change;
  if (after.id === byUserId && before && before.email !== after.email) return { code: 'ownEmail' };
  const address = after.email.toLowerCase();
  // Asked of a new address only (a new person, a changed one, one active again): a change of roles alone is never held up by it.
  const newAddress = !before || before.email.toLowerCase() !== address || (!before.active && after.active);
  if (newAddress && after.active && everyone.some((p) => p.id !== after.id && p.active && p.email.toLowerCase() === address)) return { code: 'emailTaken' };
  return undefined;
}

/**
 * Why a task the person holds must go to someone else after a change of their roles,
 * or undefined while they may still answer it: the role the task needs (for a
 * department's task, in that department), held by an active person.
 */
export function whyTaskMoves(person: Person, task: { role: Role; department?: string }): Reason | undefined {
  if (!person.active) return { code: 'holderDeactivated', userId: person.id };
  if (!holds(person, task.role, task.department)) return { code: 'roleLost', userId: person.id, role: task.role, ...(task.department ? { department: task.department } : {}) };
  return undefined;
}
