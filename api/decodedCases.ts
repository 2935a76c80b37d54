import type { Payload } from '@temporalio/common';

/** The most cases one decryption names on the access log: a history's page of events touches one case, rarely more. */
export const maxCasesPerDecode = 20;

const named = /"(proposalId|meetingId)":"([^"\\]{1,100})"/g;

/**
 * The cases whose data a decrypted batch of payloads shows, as the access log files
 * reads: the proposals and council meetings its JSON names. The codec endpoint is told
 * payloads, not which workflow they came from, so what they name is the best record there is.
 */
export function casesIn(payloads: readonly Payload[]): { proposalIds: string[]; meetingIds: string[] } {
  const found = { proposalId: new Set<string>(), meetingId: new Set<string>() };
  for (const p of payloads) {
    if (!p.data || !/^json\//.test(Buffer.from(p.metadata?.encoding ?? []).toString())) continue;
    for (const [, field, id] of Buffer.from(p.data).toString('utf8').matchAll(named)) {
      if (found.proposalId.size + found.meetingId.size >= maxCasesPerDecode) break;
      found[field as 'proposalId' | 'meetingId'].add(id);
    }
  }
  return { proposalIds: [...found.proposalId], meetingIds: [...found.meetingId] };
}
