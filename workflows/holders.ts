import { patched } from '@temporalio/workflow';
import type { Role } from '../domain/people';
import { acts } from './activities';

/**
 * Who is given a task as it opens: the person the case names while they still hold the
 * role, otherwise another who does. A case runs for years; people leave or change jobs
 * meanwhile, and a task given to someone who no longer may answer it waits for nobody.
 * Behind `patchId`: cases that opened such a task before ask nobody, as they then did.
 */
export async function holderWhenOpening(patchId: string, q: { role: Role; department?: string; preferring: string }): Promise<string> {
  return patched(patchId) ? acts.resolveAssignee(q) : q.preferring;
}
