import { performance } from 'node:perf_hooks';
import { housingFirst } from '../../test/fixtures/proposals';
import { answer } from '../cases';
import { workflowIdFor } from '../../workflows/input';
import { apiAs, inParallel, type Measure } from '../measure';
import { percentile } from '../stats';

const proposals = Number(process.env.BENCH_LIFECYCLES ?? 30);
const concurrency = 10;

/**
 * Whole cases through the API, ten at a time, as people would take them: created,
 * submitted, two council votes and the chair's attestation, the mayor's approval and
 * the department's cooperation agreement. Counted in proposals a minute; the row also
 * says how long one case's path took and how many events its history holds by then.
 */
export const throughput: Measure = {
  name: 'throughput',
  async run(stack) {
    const sara = await apiAs(stack, 'sara.secretariat');
    const paths: number[] = [];
    const histories: number[] = [];
    const started = performance.now();
    await inParallel(proposals, concurrency, async () => {
      const began = performance.now();
      const id = await sara.create(housingFirst);
      await sara.post(`/api/proposals/${id}/submit`);
      for (let i = 0; i < 2; i++) await answer(stack, id, 'councilVote', { decision: 'approve' });
      await answer(stack, id, 'councilAttestation', { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true });
      await answer(stack, id, 'mayoralApproval', { decision: 'approve' });
      await answer(stack, id, 'cooperationAgreement', { savingsShare: { kind: 'percentage', basisPoints: 3000 }, conditions: 'Efter revision' });
      paths.push(performance.now() - began);
      histories.push((await stack.client.workflow.getHandle(workflowIdFor(id)).describe()).historyLength);
    });
    const minutes = (performance.now() - started) / 60_000;
    return [
      {
        measure: `lifecycle create → council → mayor → agreement, ${proposals} cases, concurrency ${concurrency} (a case's path p50 ${(percentile(paths, 50) / 1000).toFixed(1)} s, p95 ${(percentile(paths, 95) / 1000).toFixed(1)} s; its history ${percentile(histories, 50)} events, median)`,
        value: { amount: proposals / minutes, unit: 'proposals/min' },
        target: { kind: 'atLeast', min: 60, unit: 'proposals/min' },
      },
    ];
  },
};
