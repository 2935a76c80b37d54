import { performance } from 'node:perf_hooks';
import { housingFirst } from '../../test/fixtures/proposals';
import { answer } from '../cases';
import { apiAs, inParallel, type Measure } from '../measure';

const proposals = Number(process.env.BENCH_LIFECYCLES ?? 30);
const concurrency = 10;

/**
 * Whole cases through the API, ten at a time, as people would take them: created,
 * submitted, two council votes and the chair's attestation, the mayor's approval and
 * the department's cooperation agreement. Counted in proposals a minute.
 */
export const throughput: Measure = {
  name: 'throughput',
  async run(stack) {
    const sara = await apiAs(stack, 'sara.secretariat');
    const started = performance.now();
    await inParallel(proposals, concurrency, async () => {
      const id = await sara.create(housingFirst);
      await sara.post(`/api/proposals/${id}/submit`);
      for (let i = 0; i < 2; i++) await answer(stack, id, 'councilVote', { decision: 'approve' });
      await answer(stack, id, 'councilAttestation', { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true });
      await answer(stack, id, 'mayoralApproval', { decision: 'approve' });
      await answer(stack, id, 'cooperationAgreement', { savingsShare: { kind: 'percentage', basisPoints: 3000 }, conditions: 'Efter revision' });
    });
    const minutes = (performance.now() - started) / 60_000;
    return [
      {
        measure: `lifecycle create → council → mayor → agreement, ${proposals} cases, concurrency ${concurrency}`,
        value: { amount: proposals / minutes, unit: 'proposals/min' },
        target: { kind: 'atLeast', min: 60, unit: 'proposals/min' },
      },
    ];
  },
};
