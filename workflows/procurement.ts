import { condition, sleep } from '@temporalio/workflow';
import { hasRole } from '../domain/people';
import {
  aboveCeiling,
  earliestDeadline,
  fourEyesProblem,
  judgedValue,
  procedureCeiling,
  proposedProcedure,
  rankBids,
  unjustifiedDeviation,
  type ProcurementSettings,
  type ProcurementState,
} from '../domain/procurement';
import type { ProcurementAction } from '../domain/procurementInput';
import { conflict, forbidden, procurementUpdate, setUpdateHandler } from './messages';
import type { StageContext } from './stageContext';

/** What the procurement stage needs from the lifecycle around it. */
export type ProcurementContext = Pick<StageContext, 'state' | 'summary' | 'now' | 'moveTo' | 'record'>;

/** What users can repeat in a procurement is bounded, and with it the workflow's history. */
export const limits = { bidsPerRound: 100, complaints: 20, rounds: 10 } as const;

export type ProcurementOutcome = { outcome: 'awarded' } | { outcome: 'cancelled'; reason: string; by: string };

/**
 * Udbud: the secretariat confirms the procedure the thresholds propose (or another,
 * with a rationale); a direct award, or a tender with a bid window a durable timer
 * closes, a four-eyes evaluation, the award and its standstill, in which a complaint
 * pauses it. Ends when an award stands, or when the secretariat cancels.
 */
export function procurementStage(ctx: ProcurementContext): (settings: ProcurementSettings) => Promise<ProcurementOutcome> {
  // Set when the stage begins; the handler, registered at the workflow's start, refuses every step before that.
  let settings: ProcurementSettings;
  let p: ProcurementState;
  let cancellation: { reason: string; by: string } | undefined;
  let retender: { reason: string; by: string } | undefined;
  const nowMs = () => Date.now();
  const windowOpen = () => !!p.tender?.publishedAt && !p.tender.closedAt && nowMs() < Date.parse(p.tender.deadline);
  const openComplaint = () => p.complaints.some((c) => !c.resolution);
  const approvedOre = () => ctx.summary().requestedOre;

  /** What the timeline keeps beside the step: the value the procedure was judged on, and an award past the procedure's ceiling with the rationale it stands on. */
  function onRecord(a: ProcurementAction): Record<string, unknown> {
    if (a.action === 'decideProcedure') return { judgedValueOre: p.judgedValueOre, approvedOre: p.approvedOre, proposedProcedure: p.proposedProcedure };
    if ((a.action === 'award' || a.action === 'directAward') && p.award && aboveCeiling(p, p.award.priceOre))
      return { aboveProcedure: { ceilingOre: p.ceilingOre, rationale: p.rationale } };
    return {};
  }

  function check(a: ProcurementAction) {
    const minimumDeadline = (from: number) => {
      const deadline = a.action === 'prepareTender' ? Date.parse(a.deadline) : Date.parse(p.tender!.deadline);
      const earliest = earliestDeadline(from, settings.minimumTenderMs);
      if (deadline < earliest) {
        throw conflict({ code: 'deadlineTooEarly', minimumMs: settings.minimumTenderMs, earliest: new Date(earliest).toISOString() });
      }
    };
    const withinProcedure = (valueOre: number) => {
      const ceilingOre = unjustifiedDeviation(p, valueOre);
      if (ceilingOre !== undefined) throw conflict({ code: 'valueAboveProcedure', procedure: p.procedure!, valueOre, ceilingOre });
    };
    switch (a.action) {
      case 'decideProcedure': {
        if (p.procedure) throw conflict({ code: 'procedureDecided', procedure: p.procedure });
        const valueOre = judgedValue(a.estimatedValue, approvedOre());
        const proposed = proposedProcedure(a.serviceKind, valueOre, settings.thresholds);
        if (a.procedure !== proposed && !a.rationale) throw conflict({ code: 'needsRationale', proposed, chosen: a.procedure, valueOre });
        return;
      }
      case 'directAward':
        if (p.procedure !== 'directAward') throw conflict({ code: 'notDirectAward', procedure: p.procedure });
        if (p.award) throw conflict({ code: 'alreadyAwarded' });
        return withinProcedure(a.price);
      case 'prepareTender':
        if (!p.procedure || p.procedure === 'directAward') throw conflict({ code: 'tenderNeedsProcedure' });
        if (p.tender?.publishedAt) throw conflict({ code: 'tenderPublished' });
        return minimumDeadline(nowMs());
      case 'publishTender':
        if (!p.tender) throw conflict({ code: 'prepareTenderFirst' });
        if (p.tender.publishedAt) throw conflict({ code: 'tenderAlreadyPublished' });
        return minimumDeadline(nowMs());
      case 'registerBid':
        if (!p.tender?.publishedAt) throw conflict({ code: 'tenderNotPublished' });
        if (!windowOpen()) throw conflict({ code: 'bidTooLate', deadline: p.tender.deadline });
        if (p.bids.length >= limits.bidsPerRound) throw conflict({ code: 'tooManyBids', max: limits.bidsPerRound });
        return;
      case 'evaluate': {
        if (!p.tender?.closedAt) throw conflict({ code: 'evaluateAfterDeadline' });
        if (p.award) throw conflict({ code: 'alreadyAwarded' });
        const expected = p.bids.flatMap((b) => p.tender!.awardCriteria.map((c) => `${b.id}/${c.name}`)).sort();
        const given = a.scores.map((s) => `${s.bidId}/${s.criterion}`).sort();
        if (JSON.stringify(expected) !== JSON.stringify(given)) throw conflict({ code: 'scoreAll' });
        return;
      }
      case 'award': {
        if (!p.tender?.closedAt) throw conflict({ code: 'bidWindowOpen' });
        if (p.award) throw conflict({ code: 'alreadyAwarded' });
        const problem = fourEyesProblem(
          p.tender.preparedBy,
          p.evaluations.map((e) => e.evaluator),
        );
        if (problem) throw conflict({ code: problem });
        const ranking = rankBids(
          p.bids.map((b) => b.id),
          p.tender.awardCriteria,
          p.evaluations,
        );
        if (!ranking.some((r) => r.bidId === a.bidId)) throw conflict({ code: 'noSuchBid', bidId: a.bidId });
        if (ranking[0].bidId !== a.bidId && !a.rationale) throw conflict({ code: 'notFirstRanked', first: ranking[0].bidId });
        return withinProcedure(p.bids.find((b) => b.id === a.bidId)!.priceOre);
      }
      case 'recordComplaint':
        if (!p.award?.standstillEndsAt || p.award.stands) throw conflict({ code: 'complaintOutsideStandstill' });
        if (p.complaints.length >= limits.complaints) throw conflict({ code: 'tooManyComplaints', max: limits.complaints });
        return;
      case 'resolveComplaint':
        if (!p.complaints.some((c) => c.number === a.number && !c.resolution)) throw conflict({ code: 'noOpenComplaint', number: a.number });
        return;
      case 'retender':
      case 'cancelTender':
        if (a.action === 'retender' && p.procedure === 'directAward') throw conflict({ code: 'directAwardNoRetender' });
        if (a.action === 'retender' && p.round >= limits.rounds) throw conflict({ code: 'tooManyRounds', max: limits.rounds });
        if (p.award?.stands) throw conflict({ code: 'awardStands' });
        if (p.award) throw conflict({ code: 'awardInStandstill' });
        if (p.procedure !== 'directAward' && p.tender?.publishedAt && !p.tender.closedAt) throw conflict({ code: 'bidWindowOpen' });
        return;
    }
  }

  function apply(a: ProcurementAction, by: string, at: string) {
    switch (a.action) {
      case 'decideProcedure': {
        const judgedValueOre = judgedValue(a.estimatedValue, approvedOre());
        Object.assign(p, {
          serviceKind: a.serviceKind,
          estimatedValueOre: a.estimatedValue,
          approvedOre: approvedOre(),
          judgedValueOre,
          proposedProcedure: proposedProcedure(a.serviceKind, judgedValueOre, settings.thresholds),
          procedure: a.procedure,
          ceilingOre: procedureCeiling(a.serviceKind, a.procedure, settings.thresholds),
          rationale: a.rationale,
          decidedBy: by,
        });
        return;
      }
      case 'directAward':
        p.award = { supplier: a.supplier, cvr: a.cvr, priceOre: a.price, by, at, rationale: a.rationale, stands: false };
        return;
      case 'prepareTender': {
        const { action: _, estimatedValue, ...tender } = a;
        p.tender = { ...tender, estimatedValueOre: estimatedValue, preparedBy: by };
        return;
      }
      case 'publishTender':
        p.tender!.publishedAt = at;
        return;
      case 'registerBid':
        p.bids.push({
          id: `bid-${p.round}.${p.bids.length + 1}`,
          bidder: a.bidder,
          cvr: a.cvr,
          priceOre: a.price,
          outcomePrices: a.outcomePrices.map((o) => ({ metric: o.metric, pricePerUnitOre: o.pricePerUnit })),
          registeredBy: by,
          at,
        });
        return;
      case 'evaluate':
        // An evaluator may correct their scores until the award: the latest stand.
        p.evaluations = [...p.evaluations.filter((e) => e.evaluator !== by), { evaluator: by, scores: a.scores }];
        return;
      case 'award': {
        p.ranking = rankBids(
          p.bids.map((b) => b.id),
          p.tender!.awardCriteria,
          p.evaluations,
        );
        const bid = p.bids.find((b) => b.id === a.bidId)!;
        const standstillEndsAt = new Date(nowMs() + settings.standstillMs).toISOString();
        p.award = { bidId: bid.id, supplier: bid.bidder, cvr: bid.cvr, priceOre: bid.priceOre, by, at, rationale: a.rationale, standstillEndsAt, stands: false };
        return;
      }
      case 'recordComplaint':
        p.complaints.push({ number: p.complaints.length + 1, complainant: a.complainant, summary: a.summary, by, at });
        return;
      case 'resolveComplaint': {
        const complaint = p.complaints.find((c) => c.number === a.number)!;
        complaint.resolution = { upheld: a.upheld, note: a.note, by, at };
        // An upheld complaint annuls the award: the secretariat awards again, re-tenders or cancels.
        if (a.upheld) {
          p.earlierRounds.push({ round: p.round, outcome: 'awardAnnulled', reason: a.note, by, at });
          p.award = undefined;
          p.ranking = undefined;
        }
        return;
      }
      case 'retender':
        retender = { reason: a.reason, by };
        return;
      case 'cancelTender':
        cancellation = { reason: a.reason, by };
        return;
    }
  }

  setUpdateHandler(
    procurementUpdate,
    async ({ actor, input }) => {
      const at = ctx.now();
      apply(input, actor.userId, at);
      await ctx.record(`procurement.${input.action}`, actor.userId, { round: p.round, input, ...onRecord(input) });
      return { stage: ctx.state.stage };
    },
    {
      validator: ({ actor, input }) => {
        if (!hasRole(actor, 'secretariat')) throw forbidden({ code: 'procurementBySecretariat' });
        if (ctx.state.stage !== 'Procurement') throw conflict({ code: 'wrongStage', stage: ctx.state.stage, expected: 'Procurement' });
        check(input);
      },
    },
  );

  return async (configured) => {
    settings = configured;
    p = ctx.state.procurement = { round: 1, bids: [], evaluations: [], complaints: [], earlierRounds: [] };
    await ctx.moveTo('Procurement');
    await condition(() => !!p.procedure || !!cancellation);

    for (;;) {
      if (p.procedure !== 'directAward' && !cancellation) {
        await condition(() => !!p.tender?.publishedAt || !!cancellation || !!retender);
        if (p.tender?.publishedAt && !p.tender.closedAt) {
          // The window closes at the deadline, by a durable timer.
          await sleep(Math.max(0, Date.parse(p.tender.deadline) - nowMs()));
          p.tender.closedAt = ctx.now();
          await ctx.record('procurement.bidWindowClosed', 'system', { round: p.round, bids: p.bids.length });
        }
      }
      // An award, then its standstill; or a new tender; or the end.
      await condition(() => !!p.award || !!cancellation || !!retender);
      if (cancellation) return { outcome: 'cancelled', ...cancellation };
      if (retender) {
        p.earlierRounds.push({ round: p.round, outcome: 'retendered', reason: retender.reason, by: retender.by, at: ctx.now() });
        Object.assign(p, { round: p.round + 1, tender: undefined, bids: [], evaluations: [], ranking: undefined, award: undefined });
        retender = undefined;
        continue;
      }
      const award = p.award!;
      if (!award.standstillEndsAt) {
        award.stands = true; // a direct award has no standstill
        return { outcome: 'awarded' };
      }
      const ends = Date.parse(award.standstillEndsAt);
      while (p.award === award && (openComplaint() || nowMs() < ends)) {
        if (openComplaint()) await condition(() => !openComplaint());
        else await condition(() => openComplaint(), ends - nowMs());
      }
      if (p.award === award) {
        award.stands = true;
        return { outcome: 'awarded' };
      }
      // The award was annulled: wait for the next decision.
    }
  };
}
