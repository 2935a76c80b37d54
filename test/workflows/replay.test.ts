import { Worker } from '@temporalio/worker';
import { loadConfig } from '../../config';
import { annualReportWorkflowId } from '../../domain/annualReport';
import { newPayloadKey } from '../../config/payloadKeys';
import { temporalDataConverter } from '../../config/temporal';
import { payloadsIn, recordedHistories } from '../support/histories';
import { testPayloadKeys } from '../support/payloadKeys';
import { testServers } from '../support/servers';

/**
 * Histories recorded from earlier versions must replay on today's workflow code:
 * running proposals live for years, and a non-deterministic change would break them.
 * They were recorded encrypted (test/support/payloadKeys.ts), and are replayed as after
 * a key rotation: a new key current, the one they were written with kept for reading.
 */
/**
 * The id a recorded run had, where its code reads it: an annual report knows its year's run by
 * it (a run under another id ends at once), so replayed under the replayer's own id it would
 * take another path. The others replay under any.
 */
const recordedWorkflowIds: Record<string, string> = {
  'annual-report-sent.json': annualReportWorkflowId(2025),
  'annual-report-status-after-update.json': annualReportWorkflowId(2025),
};

describe('replaying recorded histories', () => {
  const histories = recordedHistories();
  const rotated = newPayloadKey('rotated');
  const withKeys = (keys: string) => ({
    workflowBundle: { codePath: testServers().workflowBundle },
    dataConverter: temporalDataConverter(loadConfig({ AUTH_JWT_SECRET: 'replay', PAYLOAD_KEYS: keys })),
  });

  it('has recorded histories to replay, every payload in them encrypted', () => {
    expect(histories.map((h) => h.name)).toEqual(expect.arrayContaining(['approved-to-procurement.json', 'returned-and-resubmitted.json', 'direct-grant-two-tranches.json']));
    for (const { name, history } of histories) {
      // Only the SDK's own bookkeeping in markers stays in clear: a local activity's (sequence, activity type, times) and a patch's id.
      const inClear = payloadsIn(history).filter((p) => p.encoding !== 'binary/encrypted' && !/markerRecordedEventAttributes\.details\.(data|patch-data)\./.test(p.at));
      expect([name, inClear]).toEqual([name, []]);
    }
  });

  it.each(histories.map((h) => [h.name, h.history]))('%s replays without non-determinism, under a rotated key', async (name, history) => {
    await Worker.runReplayHistory(withKeys(`${rotated},${testPayloadKeys}`), history, recordedWorkflowIds[name]);
  });

  it('cannot replay them once the key they were written with is dropped', async () => {
    // The workflow task fails on the first payload; its failure is itself encrypted, under the new key.
    await expect(Worker.runReplayHistory(withKeys(rotated), histories[0].history)).rejects.toThrow(/Replay failed due workflow task failure.*Encoded failure/);
  });
});
