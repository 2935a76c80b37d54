import { Context } from '@temporalio/activity';
import type { Config } from '../config';
import type { AnnualReport } from '../domain/annualReport';
import { renderAnnualReport } from '../domain/annualReport';
import { emptyBalances } from '../domain/ledger';
import type { Proposal } from '../domain/proposal';
import { workflowIdFor } from '../workflows/input';
import { stateQuery } from '../workflows/messages';
import { fundOutlook } from '../store/outlook';
import type { ReportDoc, Store } from '../store';
import { isDuplicateKey, updateOneSerialised } from '../store/serialised';

const startedStages = ['Implementation', 'GrantActive'];

export function annualReportActivities(store: Store, config: Config) {
  return {
    /** Drafts version `version` of the year's report from the books, the timeline and the workflows; a retry finds it written. */
    async draftAnnualReport(d: { year: number; version: number; at: string; by: string; workflowId: string }): Promise<void> {
      const existing = await store.reports.findById(d.year).lean();
      if (existing && existing.version >= d.version) return;
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

      // Results: the verified units of every measurement reported in the year, against the rate card's targets.
      const client = Context.current().client;
      const reportTasks = await store.tasks.find({ kind: 'outcomeVerification', status: 'completed', completedAt: { $gte: from, $lt: to } }).lean();
      const results: AnnualReport['results'] = [];
      for (const proposalId of [...new Set(reportTasks.map((t) => t.proposalId))]) {
        const state = await client.workflow.getHandle(workflowIdFor(proposalId)).query(stateQuery);
        const targets = Object.fromEntries((state.contracting?.contract?.rateCard ?? []).map((r) => [r.metric, r.targetUnits]));
        const measurements = (state.implementation?.measurements ?? [])
          .filter((m) => m.units && reportTasks.some((t) => t.proposalId === proposalId && t._id.endsWith(`.m${m.months}.outcomeVerification`)))
          .flatMap((m) => Object.entries(m.units!).map(([metric, units]) => ({ months: m.months, metric, units, targetUnits: targets[metric] })));
        results.push({ proposalId, title: await title(proposalId), measurements });
      }

      const entries = await store.ledger.find({ date: { $gte: from, $lt: to } }).lean();
      const sum = (kind: string, list = entries) => list.filter((e) => e.kind === kind).reduce((s, e) => s + e.amountOre, 0);
      const perProposal = [];
      for (const proposalId of [...new Set(entries.filter((e) => e.proposalId).map((e) => e.proposalId!))].sort()) {
        const own = entries.filter((e) => e.proposalId === proposalId);
        perProposal.push({
          proposalId,
          title: await title(proposalId),
          outcomePaymentsOre: sum('outcomePayment', own),
          grantsOre: sum('directGrant', own),
          savingsReturnedOre: sum('savingsReturned', own),
        });
      }
      const lastOfYear = await store.ledger
        .findOne({ date: { $lt: to } })
        .sort({ seq: -1 })
        .lean();
      const outlook = (await fundOutlook(config, store, (id) => client.workflow.getHandle(workflowIdFor(id)).query(stateQuery))).without;

      const report: AnnualReport = {
        year: d.year,
        version: d.version,
        generatedAt: d.at,
        projectsStarted,
        results,
        paymentsOre: { outcomePayments: sum('outcomePayment'), grants: sum('directGrant'), savingsReturned: sum('savingsReturned') },
        perProposal,
        fundAtYearEnd: lastOfYear?.balancesAfter ?? emptyBalances,
        outlook,
      };
      // 'drafting' until the workflow awaits the chair and records the draft as ready.
      await updateOneSerialised(
        store,
        store.reports,
        { _id: d.year, $or: [{ version: { $lt: d.version } }, { version: { $exists: false } }] },
        { $set: { workflowId: d.workflowId, version: d.version, status: 'drafting', report, markdown: renderAnnualReport(report), updatedAt: new Date(d.at) } },
        { upsert: true },
      ).catch((err: unknown) => {
        if (!isDuplicateKey(err)) throw err; // a newer version is already there
      });
    },

    /** The chair's decision or the dispatch, once per step. */
    async recordReportStatus(s: { year: number; version: number; status: ReportDoc['status']; by: string; at: string; comments?: string }): Promise<void> {
      await updateOneSerialised(
        store,
        store.reports,
        // Each version's status only moves forward, so a retry finds it set and adds nothing.
        { _id: s.year, version: s.version, status: { $ne: s.status } },
        { $set: { status: s.status, updatedAt: new Date(s.at) }, $push: { history: { status: s.status, by: s.by, at: new Date(s.at), comments: s.comments, version: s.version } } },
      );
    },
  };
}
