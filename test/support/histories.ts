import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';

export const historiesDir = join(__dirname, '../histories');

/**
 * With RECORD_HISTORIES=1, a test saves the history of a workflow it ran, for the
 * replay test to keep later workflow code compatible with it (see the README, *Changing workflow code*).
 */
export async function recordHistory(handle: WorkflowHandle, name: string) {
  if (!process.env.RECORD_HISTORIES) return;
  writeFileSync(join(historiesDir, `${name}.json`), historyToJSON(await handle.fetchHistory()));
}

export function recordedHistories(): { name: string; history: unknown }[] {
  return readdirSync(historiesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ name: f, history: JSON.parse(readFileSync(join(historiesDir, f), 'utf8')) }));
}
