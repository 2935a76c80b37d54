import type { Payload } from '@temporalio/common';
import { casesIn, maxCasesPerDecryption } from '../../api/decryptionReads';

const json = (value: unknown): Payload => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) });

describe('the cases a decrypted history names, for the access log', () => {
  it('finds a proposal by its id, as an agenda item and by a task of it, and a meeting', () => {
    const payloads = [
      json({ key: 'SIF-2026-001.event.3', proposalId: 'SIF-2026-001', at: '2026-11-30T10:00:00Z' }),
      json({ actor: { userId: 'bo.member' }, taskId: 'SIF-2026-002.r1.councilVote.bo.member', input: { decision: 'approve', comment: 'Godt "proposalId":"SIF-2026-666"' } }),
      json({ meetingId: 'M-20261201-a1b2c3', item: { kind: 'proposal', caseId: 'SIF-2026-003' } }),
    ];
    expect(casesIn(payloads)).toEqual({ proposalIds: ['SIF-2026-001', 'SIF-2026-002', 'SIF-2026-003'], meetingIds: ['M-20261201-a1b2c3'] });
  });

  it('reads only JSON, and names at most a bounded number of cases', () => {
    expect(casesIn([{ metadata: { encoding: Buffer.from('binary/plain') }, data: Buffer.from('"proposalId":"SIF-2026-001"') }])).toEqual({ proposalIds: [], meetingIds: [] });
    const many = json(Array.from({ length: 50 }, (_, i) => ({ proposalId: `SIF-2026-${100 + i}` })));
    expect(casesIn([many]).proposalIds).toHaveLength(maxCasesPerDecryption);
  });
});
