import type { Request } from 'express';
import type { Payload } from '@temporalio/common';
import { encodingOf, encryptedEncoding } from '../config/payloadCodec';
import type { Store } from '../store';
import { recordRead } from './accessLog';

/** The most cases one decryption names on the access log. */
export const maxCasesPerDecryption = 20;
/**
 * One operator's reads of one case through the codec are recorded once in this long. The
 * Temporal UI asks the codec once for each event's payloads, so a history looked at once
 * would otherwise be hundreds of entries of the same read.
 */
export const decryptionReadWindowMs = 10 * 60_000;

/** Where a payload's JSON names a case: a proposal by its id or as an agenda's item, a task (whose id begins with its proposal's), a meeting. */
const named = /"(proposalId|caseId|taskId|meetingId)":"([^".\\]{1,100})[^"\\]{0,200}"/g;

/** The proposals and meetings a batch of decrypted payloads names: the codec is told payloads, not the workflow they come from. */
export function casesIn(payloads: readonly Payload[]): { proposalIds: string[]; meetingIds: string[] } {
  const found = { proposalIds: new Set<string>(), meetingIds: new Set<string>() };
  for (const p of payloads) {
    if (!p.data || !encodingOf(p)?.startsWith('json/')) continue;
    for (const [, field, id] of Buffer.from(p.data).toString('utf8').matchAll(named)) {
      if (found.proposalIds.size + found.meetingIds.size >= maxCasesPerDecryption) break;
      found[field === 'meetingId' ? 'meetingIds' : 'proposalIds'].add(id);
    }
  }
  return { proposalIds: [...found.proposalIds], meetingIds: [...found.meetingIds] };
}

/** When this process last recorded a person's read of a case through the codec. */
const lastRecorded = new Map<string, number>();

/**
 * A decryption is a read of what the history holds: on the access log under each case
 * the decrypted payloads name (without a case when they name none), before the clear
 * text goes out, once per person and case in a window. Only what was encrypted counts:
 * a payload sent in clear was never hidden, and naming a case in one records nothing.
 */
export async function recordDecryption(store: Store, req: Request, userId: string, sent: readonly Payload[], decoded: readonly Payload[]) {
  const decrypted = decoded.filter((_, i) => encodingOf(sent[i]) === encryptedEncoding);
  if (decrypted.length === 0) return;
  const { proposalIds, meetingIds } = casesIn(decrypted);
  const cases = [...proposalIds.map((proposalId) => ({ proposalId })), ...meetingIds.map((meetingId) => ({ meetingId }))];
  const now = Date.now();
  if (lastRecorded.size > 10_000) for (const [key, at] of lastRecorded) if (now - at >= decryptionReadWindowMs) lastRecorded.delete(key);
  const due = (cases.length ? cases : [{}])
    .map((c) => ({ c, key: JSON.stringify([userId, c]) }))
    .filter(({ key }) => now - (lastRecorded.get(key) ?? -Infinity) >= decryptionReadWindowMs);
  for (const { key } of due) lastRecorded.set(key, now);
  await Promise.all(due.map(({ c }) => recordRead(store, req, userId, { what: 'history', ...c }))).catch((err: unknown) => {
    // Not on record, so not shown; and tried again on the next request, not skipped for the window.
    for (const { key } of due) lastRecorded.delete(key);
    throw err;
  });
}
