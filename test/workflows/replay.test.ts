import { Worker } from '@temporalio/worker';
import { recordedHistories } from '../support/histories';
import { testServers } from '../support/servers';

/**
 * Histories recorded from earlier versions must replay on today's workflow code:
 * running proposals live for years, and a non-deterministic change would break them.
 */
describe('replaying recorded histories', () => {
  const histories = recordedHistories();

  it('has recorded histories to replay', () => {
    expect(histories.map((h) => h.name)).toEqual(expect.arrayContaining(['approved-to-procurement.json', 'returned-and-resubmitted.json', 'direct-grant-two-tranches.json']));
  });

  it.each(histories.map((h) => [h.name, h.history]))('%s replays without non-determinism', async (_name, history) => {
    await Worker.runReplayHistory({ workflowBundle: { codePath: testServers().workflowBundle } }, history);
  });
});
