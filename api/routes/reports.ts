import { Router } from 'express';
import { z } from 'zod';
import { annualReportWorkflowId, closedFundYears, narrativeGaps, projectsNotInReport, renderAnnualReport, reportProjects, type AnnualReport } from '../../domain/annualReport';
import { councilEvaluationInput, reportNarrativeInput } from '../../domain/annualReportInput';
import { customIssue, issueText } from '../../domain/issues';
import type { ReportApproval } from '../../domain/reportApproval';
import { openCouncilRounds, taskAnswerFor } from '../../domain/accessPolicy';
import type { Actor } from '../../domain/people';
import type { ReportDoc, Store } from '../../store';
import { saveCouncilEvaluation, saveReportNarrative, type TextWrite } from '../../store/reports';
import type { Config } from '../../config';
import type { DeadlineSettings } from '../../workflows/input';
import { reportSecretariatUpdate } from '../../workflows/annualReport';
import { optionalText } from '../../domain/freeText';
import { actorOf, requireRole } from '../auth';
import type { LifecycleClient } from '../lifecycle';
import { badRequest, conflict, HttpProblem, notFound, parseBody } from '../problem';
import { oreFieldsAsDkk } from '../views';

export const reportYearParam = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });
/** A year whose report may be started by hand: closed, and within the fund's life. */
export const reportYearToStart = (fundStartDate: string, now = new Date()) =>
  reportYearParam.superRefine(({ year }, ctx) => {
    const { first, last } = closedFundYears(fundStartDate, now);
    if (year < first || year > last) ctx.addIssue(customIssue({ code: 'closedFundYear', first, last }, ['year'], year));
  });
export const reportNoteSchema = z.strictObject({ note: optionalText(4000).optional() });
/** The secretariat's steps, by the last part of their path. */
export const reportSecretariatSteps = { submit: 'submit', redraft: 'redraft', sent: 'markSent' } as const;

/**
 * Drafts a year's report by hand. A report the schedule drafted runs under another
 * workflow id, so the read model is asked too: one report a year, never a second draft.
 */
export async function startAnnualReport(store: Store, lifecycle: LifecycleClient, deadlines: DeadlineSettings, year: number, by: string) {
  if (await store.reports.exists({ _id: year })) throw conflict({ code: 'reportUnderway', year });
  return lifecycle.startAnnualReport(year, by, deadlines);
}

/** One council member's task on a version of the report, as people see it. */
export interface ReportAnswer {
  taskId: string;
  member: string;
  status: string;
  dueAt: Date;
  overdue: boolean;
  decision?: ReportApproval['decision'];
  comments?: string;
  answeredAt?: Date;
}

/**
 * The council's rounds on the report, newest last: each member's task and answer, from
 * the read model's tasks; while a round is open, a member's answer is his own (`withheld`).
 */
export async function councilRounds(store: Store, year: number, reader: Actor): Promise<{ version: number; answers: (ReportAnswer & { withheld?: true })[] }[]> {
  const tasks = await store.tasks
    .find({ proposalId: annualReportWorkflowId(year), kind: 'reportApproval' })
    .sort({ round: 1, _id: 1 })
    .lean();
  const open = openCouncilRounds(tasks);
  const rounds = new Map<number, (ReportAnswer & { withheld?: true })[]>();
  for (const task of tasks) {
    const t = taskAnswerFor(reader, task, open);
    const answer = t.input as ReportApproval | undefined;
    const list = rounds.get(t.round ?? 0) ?? [];
    list.push({
      taskId: t._id,
      member: t.assignee ?? '',
      status: t.status,
      dueAt: t.dueAt,
      overdue: t.overdue,
      decision: answer?.decision,
      comments: answer?.comments,
      answeredAt: t.status === 'completed' ? t.completedAt : undefined,
      ...(t.withheld ? { withheld: true as const } : {}),
    });
    rounds.set(t.round ?? 0, list);
  }
  return [...rounds].map(([version, answers]) => ({ version, answers }));
}

/** What the text still lacks before the report can go to the council; nothing once it has gone. */
export function reportGaps(doc: ReportDoc): string[] {
  return doc.status === 'drafting' ? narrativeGaps(doc.report as AnnualReport, doc.narrative?.text, doc.version > 1) : [];
}

/** A save that found no report, or a report past the step, as the problem it is. */
function refusedWrite(write: TextWrite, year: number, refusal: (status: ReportDoc['status']) => HttpProblem) {
  if (!write.found) throw notFound('report', String(year));
  if (!write.written) throw refusal(write.status);
}

/** The annual report (afrapportering): read it, start it by hand, the secretariat's text and steps. The council answers through its tasks. */
export function reportRoutes(config: Config, store: Store, lifecycle: LifecycleClient) {
  const router = Router();

  async function load(yearText: string) {
    const { year } = parseBody(reportYearParam, { year: yearText });
    const doc = await store.reports.findById(year).lean();
    if (!doc) throw notFound('report', String(year));
    return doc;
  }

  router.get('/reports/:year', async (req, res) => {
    actorOf(req);
    const doc = await load(req.params.year);
    const report = doc.report as AnnualReport;
    res.json({
      year: doc._id,
      version: doc.version,
      status: doc.status,
      report: oreFieldsAsDkk(report),
      projects: reportProjects(report),
      narrative: doc.narrative ? { ...doc.narrative.text, by: doc.narrative.by, at: doc.narrative.at } : null,
      evaluation: doc.evaluation ?? null,
      missing: reportGaps(doc),
      councilRounds: await councilRounds(store, doc._id, actorOf(req)),
      markdown: renderAnnualReport(report, { narrative: doc.narrative?.text, evaluation: doc.evaluation?.text }),
      history: doc.history,
    });
  });

  router.post('/reports/:year', async (req, res) => {
    const actor = requireRole(req, 'secretariat');
    const { year } = parseBody(reportYearToStart(config.fund.startDate), { year: req.params.year });
    parseBody(z.strictObject({}), req.body);
    const { workflowId } = await startAnnualReport(store, lifecycle, config.deadlines, year, actor.userId);
    res.status(202).location(`/api/reports/${year}`).json({ year, workflowId });
  });

  router.put('/reports/:year/narrative', async (req, res) => {
    const actor = requireRole(req, 'secretariat');
    const narrative = parseBody(reportNarrativeInput, req.body);
    const doc = await load(req.params.year);
    const stray = projectsNotInReport(doc.report as AnnualReport, narrative);
    if (stray.length > 0) {
      throw badRequest(stray.map((i) => ({ field: `projects.${i}.proposalId`, code: 'projectNotInReport', message: issueText({ code: 'projectNotInReport' }) })));
    }
    refusedWrite(await saveReportNarrative(store, doc._id, narrative, actor.userId), doc._id, (status) => conflict({ code: 'reportNotDrafting', status }));
    res.json({ narrative, missing: reportGaps((await store.reports.findById(doc._id).lean())!) });
  });

  router.put('/reports/:year/evaluation', async (req, res) => {
    const actor = requireRole(req, 'secretariat');
    const { evaluation } = parseBody(councilEvaluationInput, req.body);
    const { year } = parseBody(reportYearParam, { year: req.params.year });
    refusedWrite(await saveCouncilEvaluation(store, year, evaluation, actor.userId), year, () => conflict({ code: 'reportAlreadySent' }));
    res.json({ evaluation });
  });

  for (const [path, step] of Object.entries(reportSecretariatSteps)) {
    router.post(`/reports/:year/${path}`, async (req, res) => {
      const actor = requireRole(req, 'secretariat');
      const { note } = parseBody(reportNoteSchema, req.body);
      const doc = await load(String(req.params.year));
      if (step === 'submit') requireComplete(doc);
      const progress = await lifecycle.updateWorkflow(doc.workflowId, reportSecretariatUpdate, { actor, step, note }, { case: 'report', id: String(doc._id) });
      res.json(progress);
    });
  }

  return router;
}

/** The council gets a report whose text is written: 422 naming what is missing; a report not being drafted is the workflow's to refuse. */
export function requireComplete(doc: ReportDoc): void {
  const missing = reportGaps(doc);
  if (missing.length > 0) throw new HttpProblem(422, 'The report is not complete', { code: 'reportIncomplete' }, { missing });
}
