import { ApplicationFailure } from '@temporalio/activity';
import type { Council } from '../domain/council';
import type { Role } from '../domain/people';
import type { Store } from '../store';
import { councilToday } from '../store/people';

export function peopleActivities(store: Store) {
  const activeWith = (role: Role, extra: Record<string, unknown> = {}) =>
    store.users
      .find({ roles: role, active: true, ...extra })
      .sort({ _id: 1 })
      .lean();

  return {
    /** The council as it is today: each round asks when it opens, and waits while the council is not complete. */
    async councilComposition(): Promise<Council> {
      return councilToday(store);
    },

    /** The one person a role's task goes to: the mayor, the chair, or the head of a department; `preferring` while they hold the role. */
    async resolveAssignee(q: { role: Role; department?: string; preferring?: string }): Promise<string> {
      const holders = await activeWith(q.role, q.department ? { department: q.department } : {});
      const person = holders.find((p) => p._id === q.preferring) ?? holders[0];
      if (!person) {
        throw ApplicationFailure.create({
          message: `no active user has the role ${q.role}${q.department ? ` for ${q.department}` : ''}`,
        });
      }
      return person._id;
    },

    /**
     * Who takes over a task whose holder lost its role: another active holder of the
     * role (for a department's task, in that department). A council member's vote goes
     * to a member not yet seated in the round, i.e. the one who replaced them; an
     * attestation to nobody `recused` in its round. Null if there is nobody, which the
     * rules about needed roles keep from happening, except for a recused new chair.
     */
    async successorFor(q: { role: Role; department?: string; leaving: string; seated?: string[]; recused?: string[] }): Promise<string | null> {
      const candidates = await activeWith(q.role, q.department ? { department: q.department } : {});
      const taken = new Set([q.leaving, ...(q.seated ?? []), ...(q.recused ?? [])]);
      return candidates.find((c) => !taken.has(c._id))?._id ?? null;
    },
  };
}
