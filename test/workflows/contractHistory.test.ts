import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { temporalDataConverter } from '../../config/temporal';
import { addMonths } from '../../domain/dates';
import { stateQuery } from '../../workflows/messages';
import { housingFirst } from '../fixtures/proposals';
import { recordHistory } from '../support/histories';
import { testServers } from '../support/servers';
import { approveThroughAgreement, completeOpen, measure, signContract } from '../support/drive';
import { startTimeSkippingStack, type TimeSkippingStack } from '../support/timeSkipping';
import { day, isoDay } from '../support/units';

/**
 * A case's history is what every worker replays each time it picks the case up, and
 * what Temporal keeps for years: a 48-month contract with five measurement points,
 * from the first draft to its close, stays under 700 events.
 */
describe('the history of a whole outcome contract', () => {
  let t: TimeSkippingStack;
  beforeAll(async () => {
    t = await startTimeSkippingStack('contract-history');
  });
  afterAll(() => t?.stop());

  it('takes under 700 events from the first draft through five measurement points to the close', async () => {
    const id = 'SIF-2026-701';
    const handle = await t.startProposal(id, housingFirst);
    await approveThroughAgreement(t.store, handle, id);
    const startDate = isoDay((await t.env.currentTimeMs()) + 30 * day);
    const months = [12, 18, 24, 36, 48];
    await signContract(t.store, handle, id, {
      supplier: 'Fonden Ny Start',
      value: '22000000',
      investor: 'Den Sociale Kapitalfond',
      startDate,
      measurementMonths: months,
      rateCard: [{ metric: 'Andel i egen bolig', unit: 'borgere', pricePerUnit: '150000', targetUnits: 90, maxPayment: '13500000' }],
      totalCap: '22000000',
    });
    for (const m of months) {
      // No task is open while the contract waits for its next point, so nothing is reminded meanwhile.
      await t.env.sleep(Date.parse(addMonths(startDate, m)) - (await t.env.currentTimeMs()) + day);
      await measure(t.store, handle, id, m, { 'Andel i egen bolig': 10 }, '100000');
    }
    await completeOpen(t.store, handle, id, 'contractFinalReport', { summary: 'Målene er delvist nået', lessonsLearned: 'Boligerne kom sent' }, 'secretariat');
    expect(await handle.result()).toMatchObject({ stage: 'Closed' });
    expect((await handle.query(stateQuery)).implementation!.measurements).toHaveLength(5);
    await recordHistory(handle, 'outcome-contract-assignees-when-due');

    // Replayed from its first event, as a worker that picks the case up does.
    const history = await handle.fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: { codePath: testServers().workflowBundle }, dataConverter: temporalDataConverter(t.config) }, history);

    const events = history.events ?? [];
    const byType = new Map<string, number>();
    for (const e of events) {
      const name = temporal.api.enums.v1.EventType[e.eventType!].replace(/^EVENT_TYPE_/, '');
      byType.set(name, (byType.get(name) ?? 0) + 1);
    }
    console.log(`48-month contract, 5 measurement points: ${events.length} events\n${[...byType].map(([k, v]) => `${v}\t${k}`).join('\n')}`);
    expect(events.length).toBeLessThanOrEqual(700);
  });
});
