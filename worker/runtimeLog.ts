import { formatWithOptions } from 'node:util';
import type { LogEntry } from '@temporalio/worker';
import { describeError } from '../domain/logText';

/**
 * The Temporal SDK's log lines as its default logger writes them, but with each error
 * in their metadata (a failed activity's, a failed workflow task's) described by
 * `describeError`: the SDK would print every field of the error, and a database error
 * carries the documents it was writing.
 */
export function logWithoutPersonalData(entry: LogEntry): void {
  const meta = entry.meta && Object.fromEntries(Object.entries(entry.meta).map(([k, v]) => [k, v instanceof Error ? describeError(v) : v]));
  const at = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  process.stderr.write(`${at} [${entry.level}] ${entry.message}${meta ? ` ${formatWithOptions({ colors: false }, meta)}` : ''}\n`);
}
