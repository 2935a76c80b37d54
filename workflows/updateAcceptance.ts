/**
 * Which Updates of this workflow may not be on record yet. An Update is accepted only
 * when the workflow task running its handler completes; anything a local activity
 * writes before that outlives an Update that a worker's crash then loses (the fault
 * suite saw a vote in the database that the workflow had cancelled). So after an
 * Update begins, the next short step runs as the server's activity: its scheduling
 * goes out with the acceptance or after it, so once it returns the Update is on record.
 */
let begun = 0;
let recorded = 0;

/** Called as each Update's handler begins (after its validator accepted it). */
export function updateBegun(): void {
  begun += 1;
}

/** The count of Updates begun, if some of them may not be on record yet. */
export function unrecordedUpdates(): number | undefined {
  return begun > recorded ? begun : undefined;
}

/** The first `count` Updates are on record: a step scheduled after they began has come back. */
export function updatesRecorded(count: number): void {
  recorded = Math.max(recorded, count);
}
