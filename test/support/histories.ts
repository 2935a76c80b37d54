import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
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

/** The activity an event schedules or records: the server's activities by their scheduled event, local ones by their marker. */
export function activityIn(event: temporal.api.history.v1.IHistoryEvent): string | undefined {
  const marker = event.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
  if (marker) return (JSON.parse(Buffer.from(marker).toString('utf8')) as { activity_type?: string }).activity_type;
  return event.activityTaskScheduledEventAttributes?.activityType?.name ?? undefined;
}

export function recordedHistories(): { name: string; history: unknown }[] {
  return readdirSync(historiesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ name: f, history: JSON.parse(readFileSync(join(historiesDir, f), 'utf8')) }));
}

export interface RecordedPayload {
  /** Where in the history (event index and field path), for a message that names it. */
  at: string;
  encoding: string;
  keyId?: string;
  /** The payload's bytes as text: JSON in clear, noise once encrypted. */
  text: string;
}

const fromBase64 = (s: unknown) => (typeof s === 'string' ? Buffer.from(s, 'base64').toString('utf8') : undefined);

/**
 * Every payload of a history in its JSON form (historyToJSON, `temporal workflow show
 * --output json`: bytes as base64), outside search attributes: the codec never sees those.
 */
export function payloadsIn(history: unknown): RecordedPayload[] {
  const found: RecordedPayload[] = [];
  const walk = (node: unknown, at: string) => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}[${i}]`));
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const metadata = o.metadata as Record<string, unknown> | undefined;
    if (metadata && typeof metadata === 'object' && typeof metadata.encoding === 'string') {
      found.push({ at, encoding: fromBase64(metadata.encoding)!, keyId: fromBase64(metadata['encryption-key-id']), text: fromBase64(o.data) ?? '' });
      return;
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'searchAttributes') walk(v, `${at}.${k}`);
  };
  walk(history, '');
  return found;
}
