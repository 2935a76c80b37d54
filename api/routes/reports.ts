import { z } from 'zod';
import { annualReportWorkflowId, closedFundYears, narrativeGaps, projectsNotInReport, renderAnnualReport, reportProjects, type AnnualReport } from '../../domain/annualReport';
import { digestForRequest } from '../requestContext';
import { councilEvaluationInput, reportNarrativeInput } from '../../domain/annualReportInput';
import { customIssue, issueText } from '../../domain/issues';
import type { ReportApproval } from '../../domain/reportApproval';
import { openCouncilRounds, taskAnswerFor, workflowRoundFor } from '../../domain/accessPolicy';
import type { Actor } from '../../domain/people';
import type { ReportDoc, Store, TaskDoc } from '../../store';
import { evaluationText, reportAsOf, saveCouncilEvaluation, saveReportNarrative, type TextWrite } from '../../store/reports';
import type { Config } from '../../config';
import type { DeadlineSettings } from '../../workflows/input';
import { reportSecretariatUpdate } from '../../workflows/annualReport';
import { optionalText } from '../../domain/freeText';
import { actorOf, requireRole } from '../auth';
import type { LifecycleClient } from '../lifecycle';
import { conflict, HttpProblem, notFound, parseBody, ruleNotMet } from '../problem';
import { oreFieldsAsDkk } from '../views';
import { named, route, type AnyRoute } from '../registry';
import { evaluationReply, narrativeReply, reportProgressReply, reportReply, reportStartedReply } from '../replies/reports';
import { recordReportRead } from '../accessLog';

export const reportYearParam = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });
/** A version of a year's report, as the minutes of the council's decision on it name it. */
export const reportVersion = z.coerce.number().int().min(1).max(10_000);
/** A year whose report may be started by hand: closed, and within the fund's life. */
export const reportYearToStart = (fundStartDate: string, now = new Date()) =>
  reportYearParam.superRefine(({ year }, ctx) => {
    const { first, last } = closedFundYears(fundStartDate, now);
    if (year < first || year > last) ctx.addIssue(customIssue({ code: 'closedFundYear', first, last }, ['year'], year));
  });
/** The document's range for a report started by hand: the closed years of the fund's life as the API started (the server asks again each time). */
const startableYear = (fundStartDate: string) => {
  const { first, last } = closedFundYears(fundStartDate, new Date());
  return z.strictObject({ year: reportYearParam.shape.year.meta({ minimum: Math.max(first, 2000), maximum: Math.min(last, 2100) }) });
};
export const reportNoteSchema = z.strictObject({ note: optionalText(4000).optional() });
/** The secretariat's steps, by the last part of their path. */
export const reportSecretariatSteps = { submit: 'submit', redraft: 'redraft', sent: 'markSent' } as const;

/**
 * Drafts a year's report by hand. A report the schedule drafted runs under another
 * workflow id, so the read model is asked too: one report a year, never a second draft.
 * A retry of the request that started it (its answer lost to an outage) is answered as
 * the start was, not refused as a second one.
 */
export async function startAnnualReport(store: Store, lifecycle: LifecycleClient, deadlines: DeadlineSettings, year: number, by: string) {
  const request = digestForRequest('annualReport');
  if (request && (await lifecycle.startedBy(annualReportWorkflowId(year), request))) return { workflowId: annualReportWorkflowId(year) };
  if (await store.reports.exists({ _id: year })) throw conflict({ code: 'reportUnderway', year });
  return lifecycle.startAnnualReport(year, by, deadlines, request);
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
  /** Why the task closed unanswered: the council had decided, or the member left. */
  cancelReason?: TaskDoc['cancelReason'];
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
      ...(t.status === 'cancelled' && t.cancelReason ? { cancelReason: t.cancelReason } : {}),
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

const stepSummaries: Record<keyof typeof reportSecretariatSteps, string> = {
  submit:
    'Send the drafted report to the council: a task for each member (secretariat); 422 with missing while the text is incomplete; 409 reportTextChanged, still a draft, when the text was saved again after it was checked',
  redraft: 'Redraft a report the council returned, as a new version (secretariat)',
  sent: 'Mark a report the council approved as sent to the city council (secretariat)',
};

/** The annual report (afrapportering): read it, start it by hand, the secretariat's text and steps. The council answers through its tasks. */
export function reportRoutes(config: Config, store: Store, lifecycle: LifecycleClient): AnyRoute[] {
  async function load(year: number) {
    const doc = await store.reports.findById(year).lean();
    if (!doc) throw notFound('report', String(year));
    return doc;
  }

  return [
    route({
      id: 'getReport',
      method: 'get',
      path: '/reports/:year',
      summary:
        "The year's annual report: status, version, the figures (DKK), the secretariat's text, the evaluation of the council's work, what the text still lacks (missing), the council's rounds (each member's task and answer), Markdown, history",
      params: reportYearParam,
      query: z.strictObject({
        version: reportVersion
          .optional()
          .describe(
            "a version as the council got it (`asOf: kept`): figures, text and evaluation then; one sent before versions were kept and redrafted since is the report as it stands (`asOf: notKept`); the status, rounds and history are the report's",
          ),
      }),
      replies: { 200: { description: 'the report', schema: reportReply } },
      errors: [404],
      handle: async (req, res, input) => {
        const reader = actorOf(req);
        const current = await load(input.params().year);
        const { version } = input.query();
        const asOf = await reportAsOf(store, current, version);
        if (!asOf) throw notFound('report', `${current._id} v${version}`);
        const { doc } = asOf;
        const [rounds] = await Promise.all([councilRounds(store, doc._id, reader), recordReportRead(store, req, reader.userId, doc._id)]);
        const report = doc.report as AnnualReport;
        res.json({
          year: doc._id,
          version: doc.version,
          status: doc.status,
          report: oreFieldsAsDkk(report),
          projects: reportProjects(report),
          narrative: doc.narrative ? { ...doc.narrative.text, by: doc.narrative.by, at: doc.narrative.at } : null,
          evaluation: evaluationText(doc) ? doc.evaluation : null,
          // What the text still lacks is the draft's: nothing of a version the council has had.
          missing: asOf.as === 'kept' && doc.version !== current.version ? [] : reportGaps(current),
          councilRounds: rounds,
          markdown: renderAnnualReport(report, { narrative: doc.narrative?.text, evaluation: evaluationText(doc) }),
          history: doc.history,
          asOf: asOf.as,
          ...(asOf.evaluationChangedSince ? { evaluationChangedSince: true } : {}),
        });
      },
    }),
    route({
      id: 'startReport',
      method: 'post',
      path: '/reports/:year',
      summary: "Start the annual report by hand for a closed year within the fund's life (secretariat); another year is 400 closedFundYear",
      params: startableYear(config.fund.startDate),
      body: z.strictObject({}),
      replies: {
        202: {
          description: 'started; Location names the report',
          schema: reportStartedReply,
          headers: { Location: { description: 'the report', schema: { type: 'string' } } },
        },
      },
      errors: [403, 409],
      handle: async (req, res, input) => {
        const actor = requireRole(req, 'secretariat');
        const { year } = parseBody(reportYearToStart(config.fund.startDate), input.params());
        input.body();
        const { workflowId } = await startAnnualReport(store, lifecycle, config.deadlines, year, actor.userId);
        res.status(202).location(`/api/reports/${year}`).json({ year, workflowId });
      },
    }),
    route({
      id: 'saveReportNarrative',
      method: 'put',
      path: '/reports/:year/narrative',
      summary: "The secretariat's text in the draft: overall assessment, a commentary per project, answers to the council's comments (secretariat; while drafting, else 409)",
      params: reportYearParam,
      body: named('ReportNarrative', reportNarrativeInput),
      replies: { 200: { description: 'saved, with what is still missing', schema: narrativeReply } },
      errors: [403, 404, 409],
      rules: ['projectOnce', 'projectNotInReport'],
      handle: async (req, res, input) => {
        const actor = requireRole(req, 'secretariat');
        const narrative = input.body();
        const doc = await load(input.params().year);
        const stray = projectsNotInReport(doc.report as AnnualReport, narrative);
        if (stray.length > 0) {
          throw ruleNotMet(stray.map((i) => ({ field: `projects.${i}.proposalId`, code: 'projectNotInReport', message: issueText({ code: 'projectNotInReport' }) })));
        }
        refusedWrite(await saveReportNarrative(store, doc._id, narrative, actor.userId), doc._id, (status) => conflict({ code: 'reportNotDrafting', status }));
        res.json({ narrative, missing: reportGaps((await store.reports.findById(doc._id).lean())!) });
      },
    }),
    route({
      id: 'saveCouncilEvaluation',
      method: 'put',
      path: '/reports/:year/evaluation',
      summary: "The evaluation of the council's work, laid before the city council with the report; empty removes it (secretariat; until the report is sent)",
      params: reportYearParam,
      body: named('CouncilEvaluation', councilEvaluationInput),
      replies: { 200: { description: 'saved', schema: evaluationReply } },
      errors: [403, 404, 409],
      handle: async (req, res, input) => {
        const actor = requireRole(req, 'secretariat');
        const { evaluation } = input.body();
        const { year } = input.params();
        refusedWrite(await saveCouncilEvaluation(store, year, evaluation, actor.userId), year, () => conflict({ code: 'reportAlreadySent' }));
        res.json({ evaluation });
      },
    }),
    ...Object.entries(reportSecretariatSteps).map(([path, step]) =>
      route({
        id: `${step === 'markSent' ? 'markReportSent' : step === 'submit' ? 'submitReport' : 'redraftReport'}`,
        method: 'post',
        path: `/reports/:year/${path}`,
        summary: stepSummaries[path as keyof typeof reportSecretariatSteps],
        params: reportYearParam,
        body: named('ReportNote', reportNoteSchema),
        replies: { 200: { description: 'the progress', schema: reportProgressReply } },
        errors: [403, 404, 409, ...(step === 'submit' ? [422 as const] : [])],
        ...(step === 'submit' ? { rules: ['reportIncomplete' as const] } : {}),
        handle: async (req, res, input) => {
          const actor = requireRole(req, 'secretariat');
          const { note } = input.body();
          const doc = await load(input.params().year);
          const checked = step === 'submit' ? requireComplete(doc) : {};
          const progress = await lifecycle.updateWorkflow(doc.workflowId, reportSecretariatUpdate, { actor, step, note, ...checked }, { case: 'report', id: String(doc._id) });
          // The progress names the members' answers as the report's read does: a round just sent may have one already, withheld while it is open.
          await recordReportRead(store, req, actor.userId, doc._id);
          res.json(progress.round ? { ...progress, round: workflowRoundFor(actor, progress.round) } : progress);
        },
      }),
    ),
  ];
}

/**
 * The council gets a report whose text is written: 422 naming what is missing. Only a
 * draft on record is checked and sent: while a returned report is being redrafted the
 * workflow would already take a submission, but the text checked would be the old one's.
 * The sending names the saved text it checked: the workflow sends that text only
 * (409 reportTextChanged when another secretary saved one since).
 */
export function requireComplete(doc: ReportDoc): { textRev?: string } {
  if (doc.status !== 'drafting') throw conflict({ code: 'reportNotDrafting', status: doc.status });
  const missing = reportGaps(doc);
  if (missing.length > 0) throw new HttpProblem(422, 'The report is not complete', { code: 'reportIncomplete' }, { missing });
  return doc.narrative?.rev ? { textRev: doc.narrative.rev } : {};
}
