import { condition, sleep } from '@temporalio/workflow';
import { hasRole } from '../domain/people';
import {
  aboveCeiling,
  earliestDeadline,
  fourEyesProblem,
  holdsAward,
  preparersOf,
  judgedValue,
  procedureCeiling,
  proposedProcedure,
  rankBids,
  unjustifiedDeviation,
  type AwardRecommendation,
  type ProcurementSettings,
  type ProcurementState,
} from '../domain/procurement';
import type { ProcurementAction } from '../domain/procurementInput';
import { recommendationsPerRound, withCouncil } from '../domain/councilSelection';
import { councilSelection } from './councilSelection';
import { conflict, forbidden, procurementUpdate, setUpdateHandler } from './messages';
import { unapprovedMetricRefusal } from '../domain/metrics';
import type { StageContext } from './stageContext';

const minuteMs = 60_000;

/** What users can repeat in a procurement is bounded, and with it the workflow's history. */
export const limits = { bidsPerRound: 100, complaints: 20, rounds: 10, recommendations: recommendationsPerRound, tenderDrafts: 20, evaluationsPerEvaluator: 20 } as const;

export type ProcurementOutcome = { outcome: 'awarded' } | { outcome: 'cancelled'; reason: string; by: string };

/**
 * Udbud: the secretariat confirms the procedure the thresholds propose (or another,
 * with a rationale); a direct award, or a tender with a bid window a durable timer
 * closes, a four-eyes evaluation and ranking; then the secretariat's written
 * recommendation, which the council approves or returns (seed §2: the council selects
 * the provider); on approval the award and, after a tender, its standstill, in which a
 * complaint pauses it. Ends when an award stands, or when the secretariat cancels.
 */
export function procurementStage(ctx: StageContext): (settings: ProcurementSettings) => Promise<ProcurementOutcome> {
  // Set when the stage begins; the handler, registered at the workflow's start, refuses every step before that.
  let settings: ProcurementSettings;
  let p: ProcurementState;
  let cancellation: { reason: string; by: string } | undefined;
  let retender: { reason: string; by: string } | undefined;
  const nowMs = () => Date.now();
  const windowOpen = () => !!p.tender?.publishedAt && !p.tender.closedAt && nowMs() < Date.parse(p.tender.deadline);
  const openComplaint = () => p.complaints.some((c) => holdsAward(p, c));
  /** From the council's decision until its award is set: the decision's timeline entry and notice are written meanwhile. */
  let deciding = false;
  // A recommendation the council has decided but whose award is not yet set is still with it:
  // a cancellation, re-tender or new recommendation would overtake the decision.
  const awaitingCouncil = () => deciding || withCouncil(p.recommendations);
  const approvedOre = () => ctx.summary().requestedOre;

  /** What the timeline keeps beside the step: the value the procedure was judged on, and a recommendation past the procedure's ceiling with the rationale it asks the council to approve. */
  function onRecord(a: ProcurementAction): Record<string, unknown> {
    if (a.action === 'decideProcedure') return { judgedValueOre: p.judgedValueOre, approvedOre: p.approvedOre, proposedProcedure: p.proposedProcedure };
    const recommended = p.recommendations.at(-1);
    if ((a.action === 'recommendAward' || a.action === 'recommendDirectAward') && recommended && aboveCeiling(p, recommended.priceOre))
      return { recommendation: recommended.number, aboveProcedure: { ceilingOre: p.ceilingOre, rationale: p.rationale } };
    return {};
  }

  function check(a: ProcurementAction, by: string) {
    const minimumDeadline = (from: number) => {
      const deadline = a.action === 'prepareTender' ? Date.parse(a.deadline) : Date.parse(p.tender!.deadline);
      const earliest = earliestDeadline(from, settings.minimumTenderMs);
      if (deadline < earliest) {
        throw conflict({ code: 'deadlineTooEarly', minimumMs: settings.minimumTenderMs, earliest: new Date(earliest).toISOString() });
      }
    };
    // The council has yet to decide: what can be asked now is that a rationale for it to approve exists.
    const withinProcedure = (valueOre: number) => {
      const ceilingOre = unjustifiedDeviation(p, valueOre, true);
      if (ceilingOre !== undefined) throw conflict({ code: 'valueAboveProcedure', procedure: p.procedure!, valueOre, ceilingOre });
    };
    const mayRecommend = () => {
      if (p.award) throw conflict({ code: 'alreadyAwarded' });
      if (awaitingCouncil()) throw conflict({ code: 'recommendationWithCouncil' });
      if (p.recommendations.filter((r) => r.round === p.round).length >= limits.recommendations) throw conflict({ code: 'tooManyRecommendations', max: limits.recommendations });
    };
    switch (a.action) {
      case 'decideProcedure': {
        if (p.procedure) throw conflict({ code: 'procedureDecided', procedure: p.procedure });
        const valueOre = judgedValue(a.estimatedValue, approvedOre());
        const proposed = proposedProcedure(a.serviceKind, valueOre, settings.thresholds);
        if (a.procedure !== proposed && !a.rationale) throw conflict({ code: 'needsRationale', proposed, chosen: a.procedure, valueOre });
        return;
      }
      case 'recommendDirectAward':
        if (p.procedure !== 'directAward') throw conflict({ code: 'notDirectAward', procedure: p.procedure });
        mayRecommend();
        return withinProcedure(a.price);
      case 'prepareTender':
        if (!p.procedure || p.procedure === 'directAward') throw conflict({ code: 'tenderNeedsProcedure' });
        if (p.tender?.publishedAt) throw conflict({ code: 'tenderPublished' });
        if ((p.tender?.drafts ?? 0) >= limits.tenderDrafts) throw conflict({ code: 'tooManyTenderDrafts', max: limits.tenderDrafts });
        return minimumDeadline(nowMs());
      case 'publishTender':
        if (!p.tender) throw conflict({ code: 'prepareTenderFirst' });
        if (p.tender.publishedAt) throw conflict({ code: 'tenderAlreadyPublished' });
        return minimumDeadline(nowMs());
      case 'registerBid': {
        if (!p.tender?.publishedAt) throw conflict({ code: 'tenderNotPublished' });
        if (!windowOpen()) throw conflict({ code: 'bidTooLate', deadline: p.tender.deadline });
        if (p.bids.length >= limits.bidsPerRound) throw conflict({ code: 'tooManyBids', max: limits.bidsPerRound });
        // A bid prices the effects the council approved, which the contract will pay for (the API and the page name the field).
        const unapproved = unapprovedMetricRefusal(ctx.summary().outcomeMetrics, a.outcomePrices);
        if (unapproved) throw conflict(unapproved);
        return;
      }
      case 'evaluate': {
        if (!p.tender?.closedAt) throw conflict({ code: 'evaluateAfterDeadline' });
        if (p.award) throw conflict({ code: 'alreadyAwarded' });
        if (awaitingCouncil()) throw conflict({ code: 'recommendationWithCouncil' });
        const earlier = p.evaluations.find((e) => e.evaluator === by);
        if ((earlier?.times ?? 0) >= limits.evaluationsPerEvaluator) throw conflict({ code: 'tooManyEvaluations', max: limits.evaluationsPerEvaluator });
        const expected = p.bids.flatMap((b) => p.tender!.awardCriteria.map((c) => `${b.id}/${c.name}`)).sort();
        const given = a.scores.map((s) => `${s.bidId}/${s.criterion}`).sort();
        if (JSON.stringify(expected) !== JSON.stringify(given)) throw conflict({ code: 'scoreAll' });
        return;
      }
      case 'recommendAward': {
        if (!p.tender?.closedAt) throw conflict({ code: 'bidWindowOpen' });
        mayRecommend();
        const problem = fourEyesProblem(
          p.tender,
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
      case 'recordComplaint': {
        if (!p.award?.standstillEndsAt || p.award.stands) throw conflict({ code: 'complaintOutsideStandstill' });
        // Lodged in the standstill, a complaint suspends the award (lov om Klagenævnet for Udbud § 12), also when it is recorded after
        // the end while the award waits; one lodged later does not, and must not hold the award that another holds.
        // Forms give minutes, and clocks differ: the award's minute counts, and a minute ahead of this clock.
        const lodged = a.lodgedAt ? Date.parse(a.lodgedAt) : nowMs();
        if (lodged > nowMs() + minuteMs) throw conflict({ code: 'complaintLodgedAhead' });
        const awardMinute = Math.floor(Date.parse(p.award.at) / minuteMs) * minuteMs;
        if (lodged < awardMinute || lodged >= Date.parse(p.award.standstillEndsAt)) throw conflict({ code: 'complaintOutsideStandstill' });
        if (p.complaints.length >= limits.complaints) throw conflict({ code: 'tooManyComplaints', max: limits.complaints });
        return;
      }
      case 'resolveComplaint':
        if (!p.complaints.some((c) => c.number === a.number && !c.resolution)) throw conflict({ code: 'noOpenComplaint', number: a.number });
        return;
      case 'retender':
      case 'cancelTender':
        // One ending a round: the loop takes it up when its wait ends, and until then a second would only lengthen the history.
        if (retender || cancellation) throw conflict({ code: 'tenderAlreadyEnding', ending: retender ? 'retender' : 'cancelTender' });
        if (a.action === 'retender' && !p.procedure) throw conflict({ code: 'noProcedureToRepeat' });
        if (a.action === 'retender' && p.procedure === 'directAward') throw conflict({ code: 'directAwardNoRetender' });
        if (a.action === 'retender' && p.round >= limits.rounds) throw conflict({ code: 'tooManyRounds', max: limits.rounds });
        if (p.award?.stands) throw conflict({ code: 'awardStands' });
        if (p.award) throw conflict({ code: 'awardInStandstill' });
        if (awaitingCouncil()) throw conflict({ code: 'recommendationWithCouncil' });
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
      case 'recommendDirectAward':
        p.recommendations.push({
          number: p.recommendations.length + 1,
          round: p.round,
          supplier: a.supplier,
          cvr: a.cvr,
          priceOre: a.price,
          reasons: a.reasons,
          rationale: a.rationale,
          by,
          at,
        });
        return;
      case 'prepareTender': {
        const { action: _, estimatedValue, ...tender } = a;
        // Counted, so the drafts a round takes (each an Update in the history) are bounded.
        const preparers = [...new Set([...(p.tender ? preparersOf(p.tender) : []), by])];
        p.tender = { ...tender, estimatedValueOre: estimatedValue, preparedBy: by, preparers, drafts: (p.tender?.drafts ?? 0) + 1 };
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
        p.evaluations = [
          ...p.evaluations.filter((e) => e.evaluator !== by),
          { evaluator: by, scores: a.scores, times: (p.evaluations.find((e) => e.evaluator === by)?.times ?? 0) + 1 },
        ];
        return;
      case 'recommendAward': {
        // The ranking the recommendation rests on goes with it to the council.
        p.ranking = rankBids(
          p.bids.map((b) => b.id),
          p.tender!.awardCriteria,
          p.evaluations,
        );
        const bid = p.bids.find((b) => b.id === a.bidId)!;
        p.recommendations.push({
          number: p.recommendations.length + 1,
          round: p.round,
          bidId: bid.id,
          supplier: bid.bidder,
          cvr: bid.cvr,
          priceOre: bid.priceOre,
          reasons: a.reasons,
          rationale: a.rationale,
          by,
          at,
        });
        return;
      }
      case 'recordComplaint':
        p.complaints.push({
          number: p.complaints.length + 1,
          complainant: a.complainant,
          summary: a.summary,
          lodgedAt: a.lodgedAt ? new Date(Date.parse(a.lodgedAt)).toISOString() : at,
          award: p.award!.recommendation,
          by,
          at,
        });
        return;
      case 'resolveComplaint': {
        const complaint = p.complaints.find((c) => c.number === a.number)!;
        const holds = holdsAward(p, complaint);
        complaint.resolution = { upheld: a.upheld, note: a.note, by, at };
        // An upheld complaint annuls the award it holds: the secretariat recommends again, re-tenders or cancels.
        if (a.upheld && holds) {
          p.earlierRounds.push({ round: p.round, outcome: 'awardAnnulled', reason: a.note, by, at });
          p.award = undefined;
        }
        return;
      }
      case 'retender':
        retender = { reason: a.reason, by };
        return;
      case 'cancelTender':
        cancellation = { reason: a.reason, by };
        // The case closes as Cancelled from here: a withdrawal in the same workflow task, before the stage returns, would overtake it.
        ctx.state.closingAs ??= 'Cancelled';
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
        // Withdrawn or cancelled, the case is closing: a step now would be recorded for a case that ends.
        if (ctx.state.closingAs) throw conflict({ code: 'alreadyClosed', stage: ctx.state.closingAs });
        check(input, actor.userId);
      },
    },
  );

  return async (configured) => {
    settings = configured;
    p = ctx.state.procurement = { round: 1, bids: [], evaluations: [], recommendations: [], complaints: [], earlierRounds: [] };
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
      // Recommendations until the council approves one; or a new tender; or the end.
      while (!p.award) {
        await condition(() => awaitingCouncil() || !!cancellation || !!retender);
        if (cancellation || retender) break;
        deciding = true;
        try {
          await decide(p.recommendations.at(-1)!);
        } finally {
          deciding = false;
        }
      }
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

  /** The council decides on the recommendation; on its approval the award notice, with a standstill after a tender. */
  async function decide(recommendation: AwardRecommendation) {
    const council = await councilSelection(ctx, 'award', recommendation, `award.${recommendation.number}`);
    if (council.result !== 'approved') return;
    const { bidId, supplier, cvr, priceOre, by, rationale, number } = recommendation;
    p.award = {
      bidId,
      supplier,
      // A direct award's supplier is named by no bid: the award is where its CVR number is kept.
      ...(cvr ? { cvr } : {}),
      priceOre,
      by,
      at: council.decidedAt!,
      rationale,
      recommendation: number,
      ...(bidId ? { standstillEndsAt: new Date(nowMs() + settings.standstillMs).toISOString() } : {}),
      stands: false,
    };
    // Past the procedure's ceiling the award stands on the rationale and the council's approval, both on record here.
    const deviation =
      aboveCeiling(p, priceOre) && unjustifiedDeviation(p, priceOre, true) === undefined ? { aboveProcedure: { ceilingOre: p.ceilingOre, rationale: p.rationale } } : {};
    await ctx.record(bidId ? 'procurement.award' : 'procurement.directAward', 'council', { round: p.round, recommendation: number, supplier, priceOre, ...deviation });
  }
}
