import { Router, type Request, type Response } from 'express';
import type { ReportDoc, Store } from '../../store';
import { reportDecisionUpdate, reportSecretariatUpdate, type ReportProgress } from '../../workflows/annualReport';
import { hasRole } from '../../domain/people';
import type { LifecycleClient } from '../lifecycle';
import { HttpProblem } from '../problem';
import { reportDecisionSchema, reportNoteSchema, reportSecretariatSteps, reportYearParam } from '../routes/reports';
import { requireRolePage, requireUser } from './access';
import { csrfField } from './csrf';
import { PageProblem, plainWords } from './errors';
import { errorSummary, failedFormStatus, radioGroup, str, textArea, zodFieldErrors, type FieldErrors } from './forms';
import { html, type Html } from './html';
import { dict, formatDate, formatDateTime, langOf, type Lang } from './i18n';
import { layout, notice } from './layout';
import { renderMarkdown } from './markdown';
import type { SignedInUser } from './session';
import { userNames } from './userNames';

interface FormState {
  values?: Record<string, string>;
  errors?: FieldErrors;
  refusal?: string;
  status?: number;
}

/**
 * The annual report as a page: the draft, its history, and the step that is due:
 * the chair's approval or return, or the secretariat's redraft or dispatch. Each
 * runs the same Update, with the same input checks, as the API's report routes.
 */
export function reportPageRoutes(store: Store, lifecycle: LifecycleClient) {
  const router = Router();

  async function load(req: Request): Promise<ReportDoc> {
    const t = dict(langOf(req)).problem;
    const year = reportYearParam.safeParse({ year: req.params.year });
    const doc = year.success ? await store.reports.findById(year.data.year).lean() : null;
    if (!doc) throw new PageProblem(404, t.notFound, t.notFoundText);
    return doc;
  }

  async function show(req: Request, res: Response, user: SignedInUser, doc: ReportDoc, state: FormState = {}) {
    const lang = langOf(req);
    const t = dict(lang);
    const nameOf = await userNames(store);
    const title = t.report.title(doc._id);
    const done = typeof req.query.done === 'string' ? t.report.done[req.query.done] : undefined;
    let top: Html | string = '';
    if (state.refusal) top = notice('error', state.refusal);
    else if (state.errors && Object.keys(state.errors).length > 0)
      top = errorSummary(lang, state.errors, { decision: t.report.decisionLegend, comments: t.report.comments, note: t.report.note });
    else if (done) top = notice('success', done);
    const forms = stepForms(req, lang, user, doc, state);

    const body = html`<p class="breadcrumb"><a href="/fund#reports-title">${t.fund.title}</a></p>
      <h1>${title}</h1>
      ${top}
      <dl class="meta">
        <div><dt>${t.report.status}</dt><dd>${t.report.statuses[doc.status] ?? doc.status}</dd></div>
        <div><dt>${t.report.version}</dt><dd>${doc.version}</dd></div>
        <div><dt>${t.report.updated}</dt><dd>${formatDate(lang, doc.updatedAt)}</dd></div>
      </dl>
      <div class="task-layout">
        <div class="task-main">
          <section aria-labelledby="draft-title"><h2 id="draft-title">${t.report.draft(doc.version)}</h2>
            <div class="paper" lang="da">${renderMarkdown(doc.markdown, 2)}</div>
          </section>
          <section aria-labelledby="history-title"><h2 id="history-title">${t.report.history}</h2>
            <table class="data timeline"><caption class="visually-hidden">${t.report.historyCaption}</caption>
              <thead><tr><th scope="col">${t.report.when}</th><th scope="col">${t.report.who}</th><th scope="col">${t.report.what}</th><th scope="col" class="num">${t.report.version}</th><th scope="col">${t.report.comments}</th></tr></thead>
              <tbody>${doc.history.map(
                (h) =>
                  html`<tr><td>${formatDateTime(lang, h.at)}</td><td>${nameOf(h.by)}</td><td>${t.report.events[h.status] ?? h.status}</td><td class="num">${h.version}</td><td>${h.comments ?? ''}</td></tr>`,
              )}</tbody>
            </table>
          </section>
        </div>
        ${forms.length ? html`<div class="task-answer">${forms}</div>` : ''}
      </div>`;
    res
      .status(state.status ?? 200)
      .type('html')
      .send(layout(req, { title, body, current: 'fund' }));
  }

  /** Runs a step's Update; a refusal is shown on the page in plain words, success goes back to the report. */
  async function act(req: Request, res: Response, user: SignedInUser, doc: ReportDoc, done: string, update: () => Promise<ReportProgress>) {
    try {
      await update();
    } catch (err) {
      if (!(err instanceof HttpProblem)) throw err;
      const fresh = (await store.reports.findById(doc._id).lean()) ?? doc;
      await show(req, res, user, fresh, { values: formValues(req), refusal: plainWords(langOf(req), err), status: err.status });
      return;
    }
    res.redirect(303, `/reports/${doc._id}?done=${done}`);
  }

  router.get('/reports/:year', async (req, res) => {
    const user = requireUser(req);
    await show(req, res, user, await load(req));
  });

  router.post('/reports/:year/decision', async (req, res) => {
    const user = requireUser(req);
    const lang = langOf(req);
    if (!hasRole(user.actor, 'councilChair')) throw new PageProblem(403, dict(lang).problem.forbidden, dict(lang).report.onlyChair);
    const doc = await load(req);
    const values = formValues(req);
    const parsed = reportDecisionSchema.safeParse({ decision: values.decision || undefined, comments: values.comments || undefined });
    if (!parsed.success) {
      await show(req, res, user, doc, { values, errors: zodFieldErrors(parsed.error, lang), status: failedFormStatus(parsed.error) });
      return;
    }
    await act(req, res, user, doc, 'decision', () =>
      lifecycle.updateWorkflow(doc.workflowId, reportDecisionUpdate, { actor: user.actor, ...parsed.data }, { case: 'report', id: String(doc._id) }),
    );
  });

  for (const [path, step] of Object.entries(reportSecretariatSteps)) {
    router.post(`/reports/:year/${path}`, async (req, res) => {
      const user = requireRolePage(req, 'secretariat');
      const lang = langOf(req);
      const doc = await load(req);
      const values = formValues(req);
      const parsed = reportNoteSchema.safeParse({ note: values.note || undefined });
      if (!parsed.success) {
        await show(req, res, user, doc, { values, errors: zodFieldErrors(parsed.error, lang), status: failedFormStatus(parsed.error) });
        return;
      }
      await act(req, res, user, doc, path, () =>
        lifecycle.updateWorkflow(doc.workflowId, reportSecretariatUpdate, { actor: user.actor, step, ...parsed.data }, { case: 'report', id: String(doc._id) }),
      );
    });
  }

  return router;
}

const formValues = (req: Request) => ({ decision: str(req.body, 'decision'), comments: str(req.body, 'comments'), note: str(req.body, 'note') });

/** The form for the step that is due, for whoever may take it. */
function stepForms(req: Request, lang: Lang, user: SignedInUser, doc: ReportDoc, state: FormState): Html[] {
  const t = dict(lang).report;
  const v = state.values ?? {};
  const errors = state.errors ?? {};
  const action = (path: string) => `/reports/${doc._id}/${path}`;
  const forms: Html[] = [];
  if (doc.status === 'draft' && hasRole(user.actor, 'councilChair')) {
    forms.push(html`<section aria-labelledby="decision-title"><h2 id="decision-title">${t.decisionTitle}</h2>
      <form method="post" action="${action('decision')}" novalidate>
        ${csrfField(req)}
        ${radioGroup({
          name: 'decision',
          legend: t.decisionLegend,
          value: v.decision,
          errors,
          options: [
            { value: 'approve', label: t.approve },
            { value: 'return', label: t.return },
          ],
        })}
        ${textArea({ name: 'comments', label: t.comments, hint: t.commentsHint, value: v.comments, errors })}
        <button type="submit">${t.submitDecision}</button>
      </form></section>`);
  }
  const secretariatStep = doc.status === 'returned' ? ('redraft' as const) : doc.status === 'approved' ? ('sent' as const) : undefined;
  if (secretariatStep && hasRole(user.actor, 'secretariat')) {
    const [explain, button] = secretariatStep === 'redraft' ? [t.redraftExplain, t.redraft] : [t.sendExplain, t.markSent];
    forms.push(html`<section aria-labelledby="step-title"><h2 id="step-title">${t.stepTitle}</h2>
      <form method="post" action="${action(secretariatStep)}" novalidate>
        ${csrfField(req)}
        <p>${explain}</p>
        ${textArea({ name: 'note', label: t.note, hint: t.noteHint, value: v.note, errors })}
        <button type="submit">${button}</button>
      </form></section>`);
  }
  return forms;
}
