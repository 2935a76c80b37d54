import { currentUpdateInfo } from '@temporalio/workflow';

/**
 * The Updates this workflow applied last, by Update ID, with their results; handed to the
 * next run when it continues as new. Temporal recognises an Update ID again within one
 * run only. An Update applied just before the workflow continued as new, sent again with
 * the same ID (a retry with the same Idempotency-Key after a 503, or the API asking after
 * its own Update that ran past its bound), would reach the new run as a new one: a draft
 * revised twice, or a council member's answer refused as stale though it counted. Here it
 * gets its first result. A retry comes within minutes, so the newest few are enough.
 *
 * Module state is this workflow's own: the SDK gives each workflow execution its own
 * instances of the workflow bundle's modules, also when it reuses one V8 context.
 */
const kept = 50;
const applied = new Map<string, unknown>();

export type AppliedUpdates = [updateId: string, result: unknown][];

export function appliedUpdates(): AppliedUpdates {
  return [...applied];
}

/** What the run before applied: called once, when a continued run starts. */
export function carryAppliedUpdates(carried: AppliedUpdates | undefined): void {
  for (const [id, result] of carried ?? []) remember(id, result);
}

function remember(id: string, result: unknown) {
  applied.set(id, result);
  if (applied.size > kept) applied.delete(applied.keys().next().value!);
}

/** The Update being handled, if this workflow (in this run or the one before) already applied it. */
export function alreadyApplied(): { result: unknown } | undefined {
  const id = currentUpdateInfo()?.id;
  return id !== undefined && applied.has(id) ? { result: applied.get(id) } : undefined;
}

/** Records the Update being handled as applied, with its result. */
export function recordApplied(result: unknown): void {
  const id = currentUpdateInfo()?.id;
  if (id !== undefined) remember(id, result);
}
