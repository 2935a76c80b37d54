import type { UpdateDefinition } from '@temporalio/common';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Store } from '../../store';
import type { Config } from '../../config';
import { contractingActionInput, type ContractingAction } from '../../domain/contract';
import { stepStages, unapprovedMetricIssues } from '../../domain/pricedMetrics';
import { mayReadProcurement, procurementFor } from '../../domain/accessPolicy';
import { hasRole, type Actor } from '../../domain/people';
import { thresholdsOn } from '../../domain/procurement';
import { procurementActionInput, type ProcurementAction } from '../../domain/procurementInput';
import type { Proposal } from '../../domain/proposal';
import type { Stage } from '../../domain/stages';
import { contractingUpdate, procurementUpdate } from '../../workflows/messages';
import type { LifecycleClient } from '../lifecycle';
import { recordRead } from '../accessLog';
import { HttpProblem, unavailable } from '../problem';
import { requirePageAccess, requireRolePage } from './access';
import { contractingForms } from './contractingForms';
import { PageProblem, plainWords, refusalIn } from './errors';
import { errorSummary, failedFormStatus, postedValues, str, zodFieldErrors, type FieldErrors } from './forms';
import { unsavedText } from './unsavedText';
import { html, type Html } from './html';
import { dict, refusalWords } from '../../i18n';
import { langOf } from './lang';
import { layout, notice } from './layout';
import { awaitingWorkflow, liveStateForPage, unavailableStatus } from './liveState';
import { procurementForms } from './procurementForms';
import { contractingView, procurementView, waitingFor } from './procurementView';
import type { SignedInUser } from './session';
import { named, type StepContext, type StepForm, type Values } from './stepForm';
import { userNames } from './userNames';

const stepForms: Record<string, StepForm> = { ...procurementForms, ...contractingForms };

interface Posted {
  step: string;
  values: Values;
  errors?: FieldErrors;
  refusal?: string;
  status: number;
}

/**
 * Decodes the step with the API's schema and, unless the form already found a
 * problem of its own, runs the API's Update: a ZodError, the workflow's refusal, or nothing.
 */
async function runStep<A extends ProcurementAction | ContractingAction>(
  lifecycle: LifecycleClient,
  id: string,
  actor: Actor,
  schema: z.ZodType<A>,
  update: UpdateDefinition<{ stage: Stage }, [{ actor: Actor; input: A }]>,
  raw: unknown,
  blocked: boolean,
  /** The proposal's approved outcomes, which a bid's prices and a contract's rate card must name. */
  outcomes: Proposal['outcomes'],
): Promise<z.ZodError | HttpProblem | undefined> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return parsed.error;
  const broken = unapprovedMetricIssues(parsed.data, outcomes);
  if (broken.length > 0) return new z.ZodError(broken);
  if (blocked) return undefined;
  try {
    await lifecycle.update(id, update, { actor, input: parsed.data });
  } catch (err) {
    return refusalIn(err);
  }
  return undefined;
}

/**
 * Procurement (udbud) and contracting as a page for the secretariat: the state as
 * the workflow holds it, and a form for each step it would take now. Each form runs
 * the same Update as POST /api/proposals/:id/procurement or /contracting.
 */
export function procurementPageRoutes(config: Config, store: Store, lifecycle: LifecycleClient) {
  const router = Router();

  async function load(req: Request) {
    const t = dict(langOf(req)).problem;
    const doc = await store.proposals.findById(req.params.id).lean();
    if (!doc) throw new PageProblem(404, t.notFound, t.notFoundText);
    const live = await liveStateForPage(lifecycle, req, doc._id);
    return { doc, state: live.state, awaiting: live.awaiting };
  }

  /** The page reads the procurement as the policy lets this person see it, the secretariat's forms included. */
  async function loadFor(req: Request, user: SignedInUser) {
    const { doc, state, awaiting } = await load(req);
    const procurement = state?.procurement && procurementFor(user.actor, state.procurement);
    return { doc, state: state && { ...state, procurement }, awaiting };
  }

  /** The thresholds in force today, chosen as the workflow's procurement settings choose them. */
  const thresholdsToday = () => thresholdsOn(config.procurement.thresholds, new Date().toISOString().slice(0, 10));

  async function show(req: Request, res: Response, user: SignedInUser, posted?: Posted) {
    const lang = langOf(req);
    const t = dict(lang);
    const { doc, state, awaiting } = await loadFor(req, user);
    const proposal = doc.content as Proposal;
    const [nameOf] = await Promise.all([userNames(store), recordRead(store, req, user.actor.userId, { what: 'proposal', proposalId: doc._id })]);
    const id = encodeURIComponent(doc._id);
    const title = `${t.procurement.title}: ${proposal.title}`;

    let body: Html;
    if (awaiting) {
      body = awaitingWorkflow(req, { unavailable: true, again: `/proposals/${id}/procurement` });
    } else if (!state?.procurement) {
      body = html`<p>${state ? t.procurement.notYet(t.stage[state.stage] ?? state.stage) : t.procurement.gone}</p>`;
    } else {
      const secretariat = hasRole(user.actor, 'secretariat');
      const context: StepContext = {
        req,
        lang,
        state,
        proposal,
        userId: user.actor.userId,
        errors: posted?.errors ?? {},
        action: `/proposals/${id}/procurement`,
        thresholds: thresholdsToday(),
        minimumTenderMs: config.procurement.minimumTenderMs,
        nameOf,
      };
      const offered = secretariat ? Object.entries(stepForms).filter(([, form]) => form.offered(state)) : [];
      const waiting = waitingFor(lang, state, nameOf);
      body = html`${waiting ? notice('info', waiting) : ''}
        ${
          offered.length > 0
            ? html`<section aria-labelledby="steps-title" class="steps"><h2 id="steps-title">${t.procurement.nextSteps}</h2>
            ${offered.map(([step, form]) => form.render({ ...context, values: posted?.step === step ? posted.values : undefined }))}
          </section>`
            : ''
        }
        ${posted?.refusal && !offered.some(([step]) => step === posted.step) ? unsavedText(lang, posted.values) : ''}
        ${state.contracting ? contractingView(lang, state.contracting, nameOf) : ''}
        ${procurementView(lang, state.procurement, nameOf)}`;
    }
    // After the forms, whose fields it names.
    let top: Html | string = '';
    if (posted?.refusal) top = notice('error', posted.refusal);
    else if (posted?.errors) top = errorSummary(lang, posted.errors, state && stepForms[posted.step].labels?.(lang, state));
    else if (typeof req.query.done === 'string' && Object.hasOwn(stepForms, req.query.done)) top = notice('success', t.procurement.done);
    const page = html`<p class="breadcrumb"><a href="/proposals/${id}">${t.proposal.id} ${doc._id}</a></p>
      <h1>${title}</h1>
      ${top}
      <dl class="meta"><div><dt>${t.proposal.stage}</dt><dd><span class="stage">${t.stage[state?.stage ?? doc.stage] ?? doc.stage}</span></dd></div></dl>
      ${body}`;
    res
      .status(awaiting ? unavailableStatus(res) : (posted?.status ?? 200))
      .type('html')
      .send(layout(req, { title, body: page, current: 'proposals' }));
  }

  router.get('/proposals/:id/procurement', async (req, res) => {
    await show(req, res, requirePageAccess(req, mayReadProcurement));
  });

  router.post('/proposals/:id/procurement', async (req, res) => {
    const user = requireRolePage(req, 'secretariat');
    const lang = langOf(req);
    const step = str(req.body, 'step');
    const form = Object.hasOwn(stepForms, step) ? stepForms[step] : undefined;
    const { doc, state, awaiting } = await load(req);
    if (awaiting) throw unavailable('workers');
    if (!state) throw new PageProblem(409, dict(lang).problem.title, dict(lang).procurement.gone);
    if (!form) throw new PageProblem(400, dict(lang).problem.title, dict(lang).problem.notFoundText);
    const values = postedValues(req.body);
    // The workflow's own first check, asked before a form reads the part of the case it belongs to, which a case in another stage may not have yet.
    const expected = stepStages[form.part];
    if (state.stage !== expected) {
      await show(req, res, user, { step, values, refusal: refusalWords(lang, { code: 'wrongStage', stage: state.stage, expected }), status: 409 });
      return;
    }
    const reading = form.read(lang, req.body, state);
    const raw = { action: step, ...(reading.input as object) };
    const preErrors = reading.errors ?? {};
    const blocked = Object.keys(preErrors).length > 0;
    const { outcomes } = doc.content as Proposal;
    const outcome =
      form.part === 'procurement'
        ? await runStep(lifecycle, doc._id, user.actor, procurementActionInput, procurementUpdate, raw, blocked, outcomes)
        : await runStep(lifecycle, doc._id, user.actor, contractingActionInput, contractingUpdate, raw, blocked, outcomes);
    if (outcome instanceof HttpProblem) {
      await show(req, res, user, { step, values, refusal: plainWords(lang, outcome), status: outcome.status });
    } else if (outcome || blocked) {
      const errors = outcome ? zodFieldErrors(outcome, lang, reading.fieldOf ?? named(step)) : {};
      await show(req, res, user, { step, values, errors: { ...errors, ...preErrors }, status: failedFormStatus(outcome, preErrors) });
    } else {
      res.redirect(303, `/proposals/${encodeURIComponent(doc._id)}/procurement?done=${step}`);
    }
  });

  return router;
}
