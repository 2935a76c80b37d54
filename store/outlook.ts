import type { Store } from '.';
import type { Config } from '../config';
import { committingStages, termsOf, type Commitment, type OutlookTerms } from '../domain/commitment';
import { actualList, caseFlows, projectOutlook, proposalFlows } from '../domain/outlook';
import { ledger } from './ledger';
import { markOf } from './changeMarks';
import { byId } from './byId';
import type { Proposal } from '../domain/proposal';
import { approvedUnreservedStages, finalStages, type Stage } from '../domain/stages';
import { copenhagenDay } from '../domain/dates';

/**
 * The fund's outlook as it stands: the ledger's actual movements by year (carried in its newest entry), what signed
 * contracts and grants still expect, and what approved proposals ask for, all from the
 * commitments read model (store/commitments.ts), so no workflow is asked and one that
 * cannot answer changes nothing. With `including`, a proposal under decision is
 * counted too, to show what it does.
 */
export async function fundOutlook(config: Config, store: Store, including?: string) {
  const today = copenhagenDay(new Date());
  const [{ capitalOre, byYear }, { counted, expected }] = await Promise.all([ledger(store).actuals(), expectedFlows(store, today)]);

  const base = { startYear: Number(config.fund.startDate.slice(0, 4)), years: config.fund.outlookYears, openingCapitalOre: capitalOre, actual: actualList(byYear) };
  const without = projectOutlook({ ...base, expected });
  if (!including || counted.has(including)) return { without };
  const candidate = await store.proposals.findById(including, { content: 1, stage: 1 }).lean();
  // A case the outlook counts, but whose commitment is not recorded yet, is not added a second time; one that
  // has ended (a closed contract, a withdrawn draft) asks for nothing any more.
  if (!candidate || committingStages.includes(candidate.stage as Commitment['stage']) || finalStages.has(candidate.stage as Stage)) return { without };
  const withIt = projectOutlook({ ...base, expected: [...expected, ...proposalFlows(candidate._id, termsOf(candidate.content as Proposal), today)] });
  return { without, with: { proposalId: candidate._id, ...withIt } };
}

/** An approved case not yet holding a reservation, as the fund page lists it: the shape of a proposal's fields it shows. */
export interface ApprovedCase {
  _id: string;
  stage: Stage;
  content: { title?: string; businessCase?: { requestedFromFund: number } };
}

type Expected = { counted: Set<string>; expected: ReturnType<typeof caseFlows>; approved: ApprovedCase[] };
/** Per store, the flows last read and the mark and day they were read under. */
const kept = new WeakMap<Store, Expected & { mark: string; today: string }>();

/**
 * The approved cases not yet reserved, by id, from the same counted commitments as the
 * outlook and kept with them: what they ask is the fund's committed figure, and the
 * fund page lists a page of them, so neither reads every approved proposal (at 1,000
 * cases FerretDB decoded a third of them, over 100 ms, on each view).
 */
export async function approvedCases(store: Store): Promise<ApprovedCase[]> {
  return (await expectedFlows(store, copenhagenDay(new Date()))).approved;
}

/**
 * What the counted commitments still expect, read again only when they changed (their
 * mark, store/changeMarks.ts) or the day did: every case holding money is a document to
 * read, and FerretDB decodes each (at 1,000 cases the read took most of a second), while
 * they change only when a case moves. The mark is read before the documents, so what is
 * kept is never older than its mark.
 */
async function expectedFlows(store: Store, today: string): Promise<Expected> {
  const mark = await markOf(store, 'commitments');
  const last = kept.get(store);
  if (last && last.mark === mark && last.today === today) return last;
  const docs = await store.commitments.find({ counted: true }, { stage: 1, terms: 1, title: 1, commitment: 1 }).lean();
  const approved = docs
    .filter((d) => approvedUnreservedStages.includes(d.stage as Stage))
    .map((d) => {
      const businessCase = (d.terms as OutlookTerms).businessCase;
      return {
        _id: d._id,
        stage: d.stage as Stage,
        content: { title: d.title, ...(businessCase ? { businessCase: { requestedFromFund: businessCase.requestedFromFund } } : {}) },
      };
    })
    .sort(byId);
  const fresh = {
    mark,
    today,
    counted: new Set(docs.map((d) => d._id)),
    expected: docs.flatMap((d) => caseFlows(d._id, d.terms as OutlookTerms, d.commitment as Commitment, today)),
    approved,
  };
  kept.set(store, fresh);
  return fresh;
}
