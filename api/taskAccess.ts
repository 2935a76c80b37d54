import type { Actor } from '../domain/people';
import { poolKindsOf } from '../domain/taskPool';

/** The read-model filter for tasks nobody holds that the actor's roles may take. */
export function poolFilter(actor: Actor) {
  return { assignee: null, kind: { $in: poolKindsOf(actor) } };
}
