import { ApplicationFailure } from '@temporalio/activity';
import type { Role } from '../domain/people';
import type { Store } from '../store';

export function peopleActivities(store: Store) {
  const activeWith = (role: Role, extra: Record<string, unknown> = {}) =>
    store.users
      .find({ roles: role, active: true, ...extra })
      .sort({ _id: 1 })
      .lean();

  return {
    /** The council as it is today: each round asks the members seated when it opens. */
    async councilComposition(): Promise<{ members: string[]; chair: string }> {
      const members = await activeWith('councilMember');
      const chair = members.find((m) => m.roles.includes('councilChair'));
      if (!chair) {
        // Retried until the secretariat seats a chair.
        throw ApplicationFailure.create({ message: 'the council has no active chair' });
      }
      return { members: members.map((m) => m._id), chair: chair._id };
    },

    /** The one person a role's task goes to: the mayor, or the head of a department. */
    async resolveAssignee(q: { role: Role; department?: string }): Promise<string> {
      const [person] = await activeWith(q.role, q.department ? { department: q.department } : {});
      if (!person) {
        throw ApplicationFailure.create({
          message: `no active user has the role ${q.role}${q.department ? ` for ${q.department}` : ''}`,
        });
      }
      return person._id;
    },
  };
}
