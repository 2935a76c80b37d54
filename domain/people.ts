/** Roles in the system; the user record, not the token, says who has which. */
export const roles = ['secretariat', 'councilMember', 'councilChair', 'mayor', 'department', 'operator', 'administrator', 'dataProtectionOfficer'] as const;
export type Role = (typeof roles)[number];

/** The languages people read the pages and their mail in; Danish unless they chose English. */
export const languages = ['da', 'en'] as const;
export type Language = (typeof languages)[number];

/** The task list's words for whose tasks (`assignee=me`, `anyone`, `pool`): no person may be called so. */
export const taskListWords = ['me', 'anyone', 'pool'] as const;
export const isTaskListWord = (id: string) => (taskListWords as readonly string[]).includes(id);

/**
 * Whether a person's account may sign in and read: active, and holding some role. An account
 * whose roles were all taken (someone who moved to another job) stays, for the record, and
 * does nothing: reading the fund's cases is part of a role, not of having been given one.
 */
export const mayUseSystem = (u: { active?: boolean | null; roles: readonly string[] }) => u.active === true && u.roles.length > 0;

/** Who acts: established by the API from a verified token and the user record. */
export interface Actor {
  userId: string;
  roles: Role[];
  department?: string; // for the department role: which magistratsafdeling
}

export function hasRole(actor: Actor, role: Role): boolean {
  return actor.roles.includes(role);
}

/** A person as the rules about roles see them: who, which roles, for which department, still here or not. */
export interface Person {
  id: string;
  roles: Role[];
  department?: string;
  active: boolean;
}

/** Whether the person may act in the role now: active, holding it, and for a department in that department. */
export function holds(person: Person, role: Role, department?: string): boolean {
  return person.active && person.roles.includes(role) && (role !== 'department' || department === undefined || person.department === department);
}
