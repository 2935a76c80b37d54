import { holds, type Person } from './people';

/** The terms of reference seat three external members, one of them the chair (formand). */
export const councilSize = 3;

/**
 * How many rounds one proposal has before the council. Every round stays in the case's
 * state (its ballots, comments and attestation: up to 16,000 characters, some 50 KB as
 * JSON at worst) and is carried into each new run of the workflow, so the rounds need a
 * bound of their own: twenty keep them well under Temporal's 2 MB limit on a payload, with
 * room for the rest of the state. Twenty rounds is years of meetings;
 * a proposal the council has not approved by then is rejected or withdrawn, not sent again.
 */
export const maxCouncilRounds = 20;

/** The council as it stands: complete (a round can open) or not, and who it has. */
export type Council = { complete: true; members: string[]; chair: string } | { complete: false; members: string[]; chairs: string[] };

/**
 * Who sits on the council today: its active members and chair. A round opens only with
 * exactly three members of whom exactly one chairs; otherwise the council is incomplete
 * and the round waits until the administrator has seated it.
 */
export function councilOf(people: readonly Person[]): Council {
  const members = people
    .filter((p) => holds(p, 'councilMember'))
    .map((p) => p.id)
    .sort();
  const chairs = people
    .filter((p) => holds(p, 'councilChair'))
    .map((p) => p.id)
    .sort();
  if (members.length === councilSize && chairs.length === 1 && members.includes(chairs[0])) return { complete: true, members, chair: chairs[0] };
  return { complete: false, members, chairs };
}
