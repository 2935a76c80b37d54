import type { Config } from '../config';
import { statusesBefore, type AnnualReport, type ReportProjectFigures } from '../domain/annualReport';
import { balancesOf, effectOf } from '../domain/ledger';
import type { Proposal } from '../domain/proposal';
import { fundOutlook } from '../store/outlook';
import { caseResults } from '../store/results';
import type { ReportDoc, Store } from '../store';
import { insertOnce, isDuplicateKey, lockKey, serialised, updateOneSerialised } from '../store/serialised';
import { reportVersionId } from '../store/reports';

const startedStages = ['Implementation', 'GrantActive'];

/** The year's report as a draft left it: which workflow it belongs to, its version and status. */
export type DraftedReport = Pick<ReportDoc, 'workflowId' | 'version' | 'status'>;
const draftedOf = ({ workflowId, version, status }: ReportDoc): DraftedReport => ({ workflowId, version, status });

export function annualReportActivities(store: Store, config: Config) {
  return {
    /**
     * Drafts the figures of version `version` of the year's report from the books and the read model; a retry finds it
     * written. Answers whose report it is now: another workflow's, when the year's report was started twice (by hand and by
     * the Schedule).
     */
    async draftAnnualReport(d: { year: number; version: number; at: string; by: string; workflowId: string }): Promise<DraftedReport> {
      const existing = await store.reports.findById(d.year).lean();
      if (existing && existing.version >= d.version) return draftedOf(existing);
      const from = new Date(Date.UTC(d.year, 0, 1));
      const to = new Date(Date.UTC(d.year + 1, 0, 1));
      const title = async (id: string) => ((await store.proposals.findById(id, { 'content.title': 1 }).lean())?.content as Proposal | undefined)?.title ?? id;

      const started = await store.events
        .find({ type: 'stageChanged', 'details.stage': { $in: startedStages }, at: { $gte: from, $lt: to } })
        .sort({ at: 1 })
        .lean();
      const projectsStarted = [];
      for (const e of started) {
        const doc = await store.proposals.findById(e.proposalId).lean();
        const content = doc?.content as Proposal | undefined;
        projectsStarted.push({
          proposalId: e.proposalId,
          title: content?.title ?? e.proposalId,
          stage: (e.details as { stage: string }).stage,
          startedOn: e.at.toISOString().slice(0, 10),
          track: content?.fundingTrack ?? '',
        });
      }

      // Results: the verified units of every measurement verified in the year, against the rate card's targets. From the
      // read model, not the workflows: a contract that closed early in the year may be past Temporal's retention by now.
      const verifiedInYear = await store.tasks.find({ kind: 'outcomeVerification', status: 'completed', completedAt: { $gte: from, $lt: to } }).lean();
      const results: AnnualReport['results'] = [];
      for (const proposalId of [...new Set(verifiedInYear.map((t) => t.proposalId))]) {
        const course = await caseResults(store, proposalId, 'outcomeBased', to);
        const contract = course?.kind === 'contract' ? course : undefined;
        const targets = Object.fromEntries((contract?.metrics ?? []).map((m) => [m.metric, m.targetUnits]));
        const measurements = (contract?.measurements ?? [])
          .filter((m) => verifiedInYear.some((t) => t.proposalId === proposalId && t._id.endsWith(`.m${m.months}.outcomeVerification`)))
          .flatMap((m) => (m.metrics ?? []).map(({ metric, units, cumulativeUnits }) => ({ months: m.months, metric, units, cumulativeUnits, targetUnits: targets[metric] })));
        results.push({ proposalId, title: await title(proposalId), measurements });
      }

      // Each project's money in the year and to its end: what it had reserved (its cap or grant), paid, returned and still holds.
      // Without the running totals each entry carries (maps over every case that ever held money): they are summed here.
      const toYearEnd = await store.ledger.find({ date: { $lt: to } }, { reservedByProposalAfter: 0, earmarkedByProposalAfter: 0, actualByYearAfter: 0, balancesAfter: 0 }).lean();
      const entries = toYearEnd.filter((e) => e.date >= from);
      const sum = (kinds: string[], list = entries) => list.filter((e) => kinds.includes(e.kind)).reduce((s, e) => s + e.amountOre, 0);
      // Summed from the entries dated in the year and before, not read from the newest of them: an entry dated 31 December
      // whose step was retried past midnight follows New Year's entries in the chain, and its balances hold theirs.
      const asBookings = toYearEnd.map((e) => ({ ...e, proposalId: e.proposalId ?? undefined }));
      const reservedByProposal = new Map<string, number>();
      for (const e of asBookings) if (e.proposalId) reservedByProposal.set(e.proposalId, (reservedByProposal.get(e.proposalId) ?? 0) + effectOf(e).reservedDelta);
      const reservedAtYearEnd = (id: string) => reservedByProposal.get(id) ?? 0;
      const funded = new Set(toYearEnd.filter((e) => e.proposalId && e.kind === 'reservation').map((e) => e.proposalId!));
      const active = new Set(entries.filter((e) => e.proposalId).map((e) => e.proposalId!));
      const perProposal: ReportProjectFigures[] = [];
      for (const proposalId of [...funded].filter((id) => active.has(id) || reservedAtYearEnd(id) > 0).sort()) {
        const own = toYearEnd.filter((e) => e.proposalId === proposalId);
        const ownInYear = own.filter((e) => e.date >= from);
        perProposal.push({
          proposalId,
          title: await title(proposalId),
          outcomePaymentsOre: sum(['outcomePayment'], ownInYear),
          grantsOre: sum(['directGrant'], ownInYear),
          savingsReturnedOre: sum(['savingsReturned'], ownInYear),
          capOre: sum(['reservation'], own),
          paidToDateOre: sum(['outcomePayment', 'directGrant'], own),
          savingsReturnedToDateOre: sum(['savingsReturned'], own),
          reservedAtYearEndOre: reservedAtYearEnd(proposalId),
        });
      }
      const outlook = (await fundOutlook(config, store)).without;

      const report: AnnualReport = {
        year: d.year,
        version: d.version,
        generatedAt: d.at,
        projectsStarted,
        results,
        paymentsOre: { outcomePayments: sum(['outcomePayment']), grants: sum(['directGrant']), savingsReturned: sum(['savingsReturned']) },
        perProposal,
        fundAtYearEnd: balancesOf(asBookings),
        outlook,
      };
      await keepVersionSent(store, d.year, d.version - 1);
      // Each version once: a retry, or an older version arriving late, finds a newer one there and adds nothing.
      await updateOneSerialised(
        store,
        store.reports,
        { _id: d.year, $or: [{ version: { $lt: d.version } }, { version: { $exists: false } }] },
        {
          $set: { workflowId: d.workflowId, version: d.version, status: 'drafting', report, updatedAt: new Date(d.at) },
          $push: { history: { status: 'drafted', by: d.by, at: new Date(d.at), version: d.version } },
        },
        { upsert: true },
      ).catch((err: unknown) => {
        if (!isDuplicateKey(err)) throw err; // a newer version is already there
      });
      return draftedOf((await store.reports.findById(d.year).lean())!);
    },

    /**
     * A version sent to the council, the council's decision on it, or the dispatch: once per step.
     * Sent with `textRev`, the saved text the sending checked: a text saved since (under the
     * same lock as this write) keeps the draft, and `textChanged` says so.
     */
    async recordReportStatus(s: {
      year: number;
      version: number;
      status: ReportDoc['status'];
      by: string;
      at: string;
      comments?: string;
      textRev?: string;
    }): Promise<{ textChanged?: true }> {
      const moved = await serialised(store, lockKey(store.reports, s.year), async () => {
        const r = await store.reports.updateOne(
          // Each version's status only moves forward, so a retry finds it set and adds nothing, and a late attempt of an earlier step moves nothing back.
          { _id: s.year, version: s.version, status: { $in: statusesBefore(s.status) }, ...(s.textRev ? { 'narrative.rev': s.textRev } : {}) },
          {
            $set: { status: s.status, updatedAt: new Date(s.at) },
            $push: { history: { status: s.status, by: s.by, at: new Date(s.at), comments: s.comments, version: s.version } },
          },
        );
        // Sent: kept under the lock the texts' saves take, so exactly as the council got it.
        if (r.modifiedCount > 0 && s.status === 'awaitingCouncil') await keepVersionSent(store, s.year, s.version, true);
        return r.modifiedCount > 0;
      });
      if (!moved && s.textRev) {
        // Not moved: a retry finds it moved already, or the text changed and it is still a draft. Read outside the lock,
        // which is safe: the workflow does nothing else meanwhile, and a save leaves the status as it is.
        const now = await store.reports.findById(s.year, { version: 1, status: 1 }).lean();
        if (now?.version === s.version && now.status === 'drafting') return { textChanged: true };
      }
      // A retry after the status moved and before the version was kept keeps it late.
      if (!moved && s.status === 'awaitingCouncil') await keepVersionSent(store, s.year, s.version);
      return {};
    },
  };
}

/**
 * The version as the council got it, kept once: read as its status moved (`atSending`,
 * under the lock the texts' saves take), or after, when no save changes its text any more
 * (a retry keeps the same). A redraft later makes a new version in the report; this one
 * stays what the council decided on. Kept again, if it is not yet, by a retry or by the
 * redraft that replaces it: a version sent before versions were kept.
 */
async function keepVersionSent(store: Store, year: number, version: number, atSending = false) {
  const doc = await store.reports.findById(year, { version: 1, status: 1, report: 1, narrative: 1, evaluation: 1, history: 1 }).lean();
  if (!doc || doc.version !== version || doc.status === 'drafting') return;
  const sentAt = doc.history.find((h) => h.version === version && h.status === 'awaitingCouncil')?.at;
  // The evaluation stays the secretariat's to change after sending: kept late, only as it stood then. One saved since is not what the council got, nor known.
  const evaluationThen = atSending || (sentAt && doc.evaluation && doc.evaluation.at.getTime() <= sentAt.getTime()) ? doc.evaluation : undefined;
  await insertOnce(store.reportVersions, reportVersionId(year, version), {
    year,
    version,
    report: doc.report,
    ...(doc.narrative ? { narrative: doc.narrative } : {}),
    ...(evaluationThen ? { evaluation: evaluationThen } : doc.evaluation ? { evaluationChangedSince: true } : {}),
    sentAt: sentAt ?? new Date(),
  });
}
