import type { ProcurementView } from '../../domain/accessPolicy';
import { reservationRefusalsExhausted } from '../../domain/ledger';
import { fourEyesProblem, holdsAward, rankBids, type ProcurementState } from '../../domain/procurement';
import type { ContractingState } from '../../domain/contract';
import { contractDeclinesExhausted, contractsDeclined } from '../../domain/contractDeclines';
import type { LifecycleState } from '../../domain/lifecycleState';
import { documentLink } from './caseDocuments';
import { withCouncil } from '../../domain/councilSelection';
import { recommendationsSection } from './recommendationView';
import { html, type Html } from './html';
import { facts } from './layout';
import { dict, formatDateTime, formatMoney, locale, type Lang } from '../../i18n';
import { contractTerms, signatories, type Contract } from './taskForms/contract';

type NameOf = (userId: string) => string;

/** A computed total, kept in hundredths of a point, as a reader reads it. */
export function points(lang: Lang, hundredths: number): string {
  return (hundredths / 100).toLocaleString(locale[lang], { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

const who = (lang: Lang, nameOf: NameOf, by: string, at: string) => `${nameOf(by)}, ${formatDateTime(lang, at)}`;

/** The ranking the award uses: as awarded, or as the evaluators' scores so far compute it. */
function rankingOf(p: ProcurementState) {
  if (p.ranking) return p.ranking;
  return p.evaluations.length > 0 && p.tender
    ? rankBids(
        p.bids.map((b) => b.id),
        p.tender.awardCriteria,
        p.evaluations,
      )
    : undefined;
}

function meanScore(lang: Lang, p: ProcurementState, bidId: string, criterion: string): string {
  const given = p.evaluations.flatMap((e) => e.scores.filter((s) => s.bidId === bidId && s.criterion === criterion).map((s) => s.score));
  if (given.length === 0) return '';
  return (given.reduce((x, y) => x + y, 0) / given.length).toLocaleString(locale[lang], { maximumFractionDigits: 2 });
}

function tenderSection(lang: Lang, p: ProcurementState, nameOf: NameOf): Html {
  const t = dict(lang).procurement;
  const tender = p.tender!;
  const window = tender.closedAt
    ? t.windowClosed(formatDateTime(lang, tender.closedAt))
    : tender.publishedAt
      ? t.windowOpen(formatDateTime(lang, tender.deadline))
      : t.notPublished;
  return html`<section aria-labelledby="tender-title"><h2 id="tender-title">${t.tenderTitle}</h2>
    ${facts([
      [dict(lang).form.title, tender.title],
      [t.estimatedValue, formatMoney(lang, tender.estimatedValueOre)],
      [t.deadline, formatDateTime(lang, tender.deadline)],
      [t.preparedBy, nameOf(tender.preparedBy)],
      [t.published, tender.publishedAt ? formatDateTime(lang, tender.publishedAt) : undefined],
      [t.bidWindow, window],
    ])}
    <p>${tender.description}</p>
    ${tender.documents.length > 0 ? html`<ul>${tender.documents.map((d) => html`<li>${documentLink(d)}</li>`)}</ul>` : ''}
    <table class="data"><caption>${t.criteria}</caption>
      <thead><tr><th scope="col">${t.criterion}</th><th scope="col" class="num">${t.weight}</th></tr></thead>
      <tbody>${tender.awardCriteria.map((c) => html`<tr><th scope="row">${c.name}</th><td class="num">${c.weight} %</td></tr>`)}</tbody>
    </table>
  </section>`;
}

/** While the window is open the bids are sealed: the secretariat sees when each arrived, the others only that they are sealed. */
function sealedBids(lang: Lang, arrivals: string[] | undefined): Html {
  const t = dict(lang).procurement;
  return html`<p>${t.bidsSealed}</p>
    ${
      arrivals && arrivals.length > 0
        ? html`<table class="data"><caption>${t.sealedCaption(arrivals.length)}</caption>
        <thead><tr><th scope="col" class="num">${t.number}</th><th scope="col">${t.arrived}</th></tr></thead>
        <tbody>${arrivals.map((at, i) => html`<tr><td class="num">${i + 1}</td><td>${formatDateTime(lang, at)}</td></tr>`)}</tbody></table>`
        : ''
    }`;
}

export function bidsSection(lang: Lang, p: ProcurementView, nameOf: NameOf): Html {
  const t = dict(lang).procurement;
  return html`<section aria-labelledby="bids-title"><h2 id="bids-title">${t.bidsTitle}</h2>
    ${
      p.bidsSealed
        ? sealedBids(lang, p.bidArrivals)
        : p.bids.length === 0
          ? html`<p>${t.noBids}</p>`
          : html`<table class="data"><caption>${t.bidsCaption(p.bids.length)}</caption>
        <thead><tr><th scope="col">${t.bidder}</th><th scope="col" class="num">${t.price}</th><th scope="col">${t.outcomePrices}</th><th scope="col">${t.registered}</th></tr></thead>
        <tbody>${p.bids.map(
          (b) => html`<tr><th scope="row">${t.organisation(b.bidder, b.cvr)} <span class="muted">(${b.id})</span></th><td class="num">${formatMoney(lang, b.priceOre)}</td>
            <td>${b.outcomePrices.map((o) => `${o.metric}: ${formatMoney(lang, o.pricePerUnitOre)}`).join('; ')}</td><td>${who(lang, nameOf, b.registeredBy, b.at)}</td></tr>`,
        )}</tbody></table>`
    }
  </section>`;
}

/** Before the award the scores are the secretariat's; a recommendation takes the ranking's totals to the council. */
function rankingOnly(lang: Lang, p: ProcurementView): Html {
  const t = dict(lang).procurement;
  const bidder = (id: string) => p.bids.find((b) => b.id === id)?.bidder ?? id;
  return html`<table class="data"><caption>${t.rankingAwarded}</caption>
      <thead><tr><th scope="col" class="num">${t.rank}</th><th scope="col">${t.bidder}</th><th scope="col" class="num">${t.total}</th></tr></thead>
      <tbody>${p.ranking!.map((r) => html`<tr><td class="num">${r.rank}</td><th scope="row">${bidder(r.bidId)}</th><td class="num">${points(lang, r.total)}</td></tr>`)}</tbody>
    </table>`;
}

export function evaluationSection(lang: Lang, p: ProcurementView, nameOf: NameOf): Html {
  const t = dict(lang).procurement;
  if (p.scoresWithheld && p.tender?.closedAt) {
    return html`<section aria-labelledby="evaluation-title"><h2 id="evaluation-title">${t.evaluationTitle}</h2><p>${t.scoresWithheld}</p>${p.ranking ? rankingOnly(lang, p) : ''}</section>`;
  }
  const ranking = rankingOf(p);
  if (!ranking) return html``;
  const criteria = p.tender!.awardCriteria;
  const bidder = (id: string) => p.bids.find((b) => b.id === id)?.bidder ?? id;
  return html`<section aria-labelledby="evaluation-title"><h2 id="evaluation-title">${t.evaluationTitle}</h2>
    <p>${t.evaluatedBy}: ${p.evaluations.map((e) => nameOf(e.evaluator)).join(', ')}</p>
    <table class="data"><caption>${p.ranking ? t.rankingAwarded : t.rankingSoFar}</caption>
      <thead><tr><th scope="col" class="num">${t.rank}</th><th scope="col">${t.bidder}</th>${criteria.map((c) => html`<th scope="col" class="num">${c.name} (${c.weight} %)</th>`)}<th scope="col" class="num">${t.total}</th></tr></thead>
      <tbody>${ranking.map(
        (r) =>
          html`<tr><td class="num">${r.rank}</td><th scope="row">${bidder(r.bidId)}</th>${criteria.map((c) => html`<td class="num">${meanScore(lang, p, r.bidId, c.name)}</td>`)}<td class="num">${points(lang, r.total)}</td></tr>`,
      )}</tbody>
    </table>
    <p class="hint">${t.rankingExplain}</p>
  </section>`;
}

function awardSection(lang: Lang, p: ProcurementState, nameOf: NameOf): Html {
  const t = dict(lang).procurement;
  const a = p.award!;
  const status = a.stands ? t.awardStands : a.standstillEndsAt ? t.inStandstill(formatDateTime(lang, a.standstillEndsAt)) : '';
  return html`<section aria-labelledby="award-title"><h2 id="award-title">${t.awardTitle}</h2>
    ${facts([
      [t.supplier, t.organisation(a.supplier, a.cvr)],
      [t.price, formatMoney(lang, a.priceOre)],
      [t.awardedBy, nameOf(a.by)],
      [t.councilApproved, formatDateTime(lang, a.at)],
      [t.rationale, a.rationale],
      [t.status, status],
    ])}
  </section>`;
}

function complaintsSection(lang: Lang, p: ProcurementState, nameOf: NameOf): Html {
  const t = dict(lang).procurement;
  return html`<section aria-labelledby="complaints-title"><h2 id="complaints-title">${t.complaintsTitle}</h2>
    <table class="data"><caption>${t.complaintsTitle}</caption>
      <thead><tr><th scope="col" class="num">${t.number}</th><th scope="col">${t.complainant}</th><th scope="col">${t.complaintSummary}</th><th scope="col">${t.outcome}</th></tr></thead>
      <tbody>${p.complaints.map(
        (
          c,
        ) => html`<tr><td class="num">${c.number}</td><th scope="row">${c.complainant}</th><td>${c.summary} <span class="muted">(${c.lodgedAt && c.lodgedAt !== c.at ? html`${t.lodged(formatDateTime(lang, c.lodgedAt))}; ` : ''}${who(lang, nameOf, c.by, c.at)})</span></td>
          <td>${c.resolution ? html`${c.resolution.upheld ? t.upheld : t.dismissed}: ${c.resolution.note}` : t.openComplaint}</td></tr>`,
      )}</tbody>
    </table>
  </section>`;
}

function earlierRoundsSection(lang: Lang, p: ProcurementState, nameOf: NameOf): Html {
  const t = dict(lang).procurement;
  return html`<section aria-labelledby="rounds-title"><h2 id="rounds-title">${t.earlierRounds}</h2>
    <table class="data"><caption>${t.earlierRounds}</caption>
      <thead><tr><th scope="col" class="num">${t.round}</th><th scope="col">${t.outcome}</th><th scope="col">${t.reason}</th></tr></thead>
      <tbody>${p.earlierRounds.map((r) => html`<tr><td class="num">${r.round}</td><th scope="row">${t.roundOutcomes[r.outcome]}</th><td>${r.reason} <span class="muted">(${who(lang, nameOf, r.by, r.at)})</span></td></tr>`)}</tbody>
    </table>
  </section>`;
}

/** Procurement as it stands: procedure and why, tender, bids, scores and ranking, award, complaints. */
export function procurementView(lang: Lang, p: ProcurementView, nameOf: NameOf): Html {
  const t = dict(lang).procurement;
  return html`<section aria-labelledby="procedure-title"><h2 id="procedure-title">${t.procedureTitle}</h2>
      ${
        p.procedure
          ? facts([
              [t.round, p.round > 1 ? String(p.round) : undefined],
              [t.serviceKind, p.serviceKind ? t.serviceKinds[p.serviceKind] : undefined],
              [t.estimatedValue, p.estimatedValueOre === undefined ? undefined : formatMoney(lang, p.estimatedValueOre)],
              [t.judgedValue, p.judgedValueOre === undefined ? undefined : formatMoney(lang, p.judgedValueOre)],
              [t.proposedProcedure, p.proposedProcedure ? t.procedures[p.proposedProcedure] : undefined],
              [t.procedure, t.procedures[p.procedure]],
              [t.rationale, p.rationale],
              [t.decidedBy, p.decidedBy ? nameOf(p.decidedBy) : undefined],
            ])
          : html`<p>${t.noProcedure}</p>`
      }
    </section>
    ${p.tender ? tenderSection(lang, p, nameOf) : ''}
    ${p.tender?.publishedAt ? bidsSection(lang, p, nameOf) : ''}
    ${evaluationSection(lang, p, nameOf)}
    ${
      p.recommendations.length > 0
        ? recommendationsSection(
            lang,
            'award-recommendations',
            p.recommendations.map((r) => ({ ...r, recommended: r.supplier, amountOre: r.priceOre })),
            nameOf,
          )
        : ''
    }
    ${p.award ? awardSection(lang, p, nameOf) : ''}
    ${p.complaints.length > 0 ? complaintsSection(lang, p, nameOf) : ''}
    ${p.earlierRounds.length > 0 ? earlierRoundsSection(lang, p, nameOf) : ''}`;
}

/** Investor offers, the recommendations and the council's decisions, the contract and its signatures. */
export function contractingView(lang: Lang, c: ContractingState, nameOf: NameOf): Html {
  const t = dict(lang).contracting;
  const words = dict(lang).contractForm;
  const chosen = c.offers.find((o) => o.id === c.recommendations.find((r) => r.council?.result === 'approved')?.offerId);
  const offer = (id: string) => c.offers.find((o) => o.id === id)!;
  return html`<section aria-labelledby="offers-title"><h2 id="offers-title">${t.offersTitle}</h2>
      ${
        c.offers.length === 0
          ? html`<p>${t.noOffers}</p>`
          : html`<table class="data"><caption>${t.offersCaption(c.offers.length)}</caption>
          <thead><tr><th scope="col">${words.investor}</th><th scope="col" class="num">${words.committed}</th><th scope="col" class="num">${words.expectedReturn}</th><th scope="col" class="num">${words.repaymentCap}</th><th scope="col">${words.offerConditions}</th><th scope="col">${t.registered}</th></tr></thead>
          <tbody>${c.offers.map(
            (
              o,
            ) => html`<tr><th scope="row">${dict(lang).procurement.organisation(o.investor, o.cvr)}${o.id === chosen?.id ? html` <span class="badge badge-chosen">${t.chosen}</span>` : ''}</th><td class="num">${formatMoney(lang, o.amountCommittedOre)}</td>
              <td class="num">${o.expectedReturnBasisPoints === undefined ? '' : words.percent(o.expectedReturnBasisPoints)}</td><td class="num">${o.repaymentCapOre === undefined ? '' : formatMoney(lang, o.repaymentCapOre)}</td>
              <td>${o.conditions}</td><td>${who(lang, nameOf, o.by, o.at)}</td></tr>`,
          )}</tbody></table>`
      }
    </section>
    ${
      c.recommendations.length > 0
        ? recommendationsSection(
            lang,
            'investor-recommendations',
            c.recommendations.map((r) => ({
              ...r,
              recommended: offer(r.offerId).investor,
              amountOre: offer(r.offerId).amountCommittedOre,
              reasons: `${t.comparison}: ${r.comparison}. ${t.rationale}: ${r.rationale}`,
            })),
            nameOf,
          )
        : ''
    }
    ${
      c.declines?.length
        ? html`<section aria-labelledby="declines-title"><h2 id="declines-title">${words.declinedTitle}</h2>
        <ul>${c.declines.map((d) => html`<li>${words.declinedBy(nameOf(d.by), formatDateTime(lang, d.at))}: «${d.reason}»</li>`)}</ul>
      </section>`
        : ''
    }
    ${c.contract ? contractSection(lang, c.contract, nameOf) : ''}`;
}

/** The outcome contract's terms and signatures: open to every reader, on the procurement page and on the case page. */
export function contractSection(lang: Lang, contract: Contract, nameOf: NameOf): Html {
  const t = dict(lang).contracting;
  const words = dict(lang).contractForm;
  return html`<section aria-labelledby="contract-title"><h2 id="contract-title">${t.contractTitle}</h2>
    ${contractTerms(lang, contract)}
    ${facts([
      [t.proposedBy, nameOf(contract.proposedBy)],
      [words.signedBy, signatories(lang, contract, nameOf)],
    ])}
  </section>`;
}

/** What the case waits for that no form here answers: a timer, a second evaluator, the chair, signatures. */
export function waitingFor(lang: Lang, s: LifecycleState, nameOf: NameOf): string | undefined {
  const t = dict(lang).procurement;
  const p = s.procurement;
  if (s.stage === 'Procurement' && p) {
    if (p.tender?.publishedAt && !p.tender.closedAt) return t.waitWindow(formatDateTime(lang, p.tender.deadline));
    if (p.award?.standstillEndsAt && !p.award.stands) {
      return p.complaints.some((c) => holdsAward(p, c)) ? t.waitComplaint : t.waitStandstill(formatDateTime(lang, p.award.standstillEndsAt));
    }
    if (withCouncil(p.recommendations)) return t.waitCouncil;
    if (
      p.tender?.closedAt &&
      !p.award &&
      p.evaluations.length > 0 &&
      fourEyesProblem(
        p.tender,
        p.evaluations.map((e) => e.evaluator),
      )
    ) {
      // The one who evaluated alone, having prepared it.
      return t.waitFourEyes(nameOf(p.evaluations[0].evaluator));
    }
  }
  const c = s.contracting;
  if (s.stage === 'Contracting' && c) {
    if (withCouncil(c.recommendations)) return dict(lang).contracting.waitCouncil;
    if (c.contract && !c.contract.signedAt) return dict(lang).contracting.waitSignatures;
    if (reservationRefusalsExhausted(c.refusedByFund)) return dict(lang).contracting.fundRefusalsExhausted(c.refusedByFund!);
    if (contractDeclinesExhausted(c.declines)) return dict(lang).contracting.declinesExhausted(contractsDeclined(c.declines));
  }
  return undefined;
}
