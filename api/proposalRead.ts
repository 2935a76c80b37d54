import type { Request } from 'express';
import type { Actor } from '../domain/people';
import type { Store } from '../store';
import { proposalRecords } from '../store/proposalDetail';
import { recordRead } from './accessLog';
import type { LifecycleClient } from './lifecycle';
import { notFound } from './problem';

/**
 * How long `GET /api/proposals/:id` waits for the workflow's `state` query. The read
 * model holds the stage, tasks, timeline and results; only the council rounds and the
 * later stages' details (mayor, agreement, procurement, contract, grant, closure) are the
 * workflow's, and an answer without them that says so beats one that waits out the
 * workflow's local activities (a busy worker held such queries for seconds).
 */
export const liveStateWaitMs = 1_000;

/** A proposal as its answer shows it: the read model's records and, if it answered in time, the workflow's state. */
export async function readProposal(store: Store, lifecycle: LifecycleClient, req: Request, reader: Actor, id: string) {
  const [records, live] = await Promise.all([
    proposalRecords(store, id, (doc) => recordRead(store, req, reader.userId, { what: 'proposal', proposalId: doc._id })),
    lifecycle.stateWithin(id, liveStateWaitMs),
  ]);
  if (!records) throw notFound('proposal', id);
  return { ...records, live };
}
