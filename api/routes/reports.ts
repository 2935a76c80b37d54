import { Router } from 'express';
import { z } from 'zod';
import { optionalText, text } from '../../domain/freeText';
import type { Store } from '../../store';
import { reportDecisionUpdate, reportSecretariatUpdate } from '../../workflows/annualReport';
import { actorOf, requireRole } from '../auth';
import type { LifecycleClient } from '../lifecycle';
import { conflict, notFound, parseBody } from '../problem';
import { oreFieldsAsDkk } from '../views';

export const reportYearParam = z.strictObject({ year: z.coerce.number().int().min(2000).max(2100) });
export const reportDecisionSchema = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve'), comments: optionalText(4000).optional() }),
  z.strictObject({ decision: z.literal('return'), comments: text(4000, 'sayWhatToChange') }),
]);
export const reportNoteSchema = z.strictObject({ note: optionalText(4000).optional() });
/** The secretariat's steps, by the last part of their path. */
export const reportSecretariatSteps = { redraft: 'redraft', sent: 'markSent' } as const;

/**
 * Drafts a year's report by hand. A report the schedule drafted runs under another
 * workflow id, so the read model is asked too: one report a year, never a second draft.
 */
export async function startAnnualReport(store: Store, lifecycle: LifecycleClient, year: number, by: string) {
  if (await store.reports.exists({ _id: year })) throw conflict({ code: 'reportUnderway', year });
  return lifecycle.startAnnualReport(year, by);
}

/** The annual report (afrapportering): read it, start it by hand, and the chair's and secretariat's steps. */
export function reportRoutes(store: Store, lifecycle: LifecycleClient) {
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
    res.json({ year: doc._id, version: doc.version, status: doc.status, report: oreFieldsAsDkk(doc.report), markdown: doc.markdown, history: doc.history });
  });

  router.post('/reports/:year', async (req, res) => {
    const actor = requireRole(req, 'secretariat');
    const { year } = parseBody(reportYearParam, { year: req.params.year });
    parseBody(z.strictObject({}), req.body);
    const { workflowId } = await startAnnualReport(store, lifecycle, year, actor.userId);
    res.status(202).location(`/api/reports/${year}`).json({ year, workflowId });
  });

  router.post('/reports/:year/decision', async (req, res) => {
    const actor = requireRole(req, 'councilChair');
    const input = parseBody(reportDecisionSchema, req.body);
    const doc = await load(req.params.year);
    const progress = await lifecycle.updateWorkflow(doc.workflowId, reportDecisionUpdate, { actor, ...input }, { case: 'report', id: String(doc._id) });
    res.json(progress);
  });

  for (const [path, step] of Object.entries(reportSecretariatSteps)) {
    router.post(`/reports/:year/${path}`, async (req, res) => {
      const actor = requireRole(req, 'secretariat');
      const { note } = parseBody(reportNoteSchema, req.body);
      const doc = await load(String(req.params.year));
      const progress = await lifecycle.updateWorkflow(doc.workflowId, reportSecretariatUpdate, { actor, step, note }, { case: 'report', id: String(doc._id) });
      res.json(progress);
    });
  }

  return router;
}
