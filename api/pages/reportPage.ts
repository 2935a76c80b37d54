import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { projectsNotInReport, reportProjects, type AnnualReport } from '../../domain/annualReport';
import { councilEvaluationInput, reportNarrativeInput } from '../../domain/annualReportInput';
import { hasRole } from '../../domain/people';
import type { Refusal } from '../../domain/refusals';
import type { ReportDoc, Store } from '../../store';
import { reportAsOf, saveCouncilEvaluation, saveReportNarrative, type TextWrite } from '../../store/reports';
import { reportSecretariatUpdate, type ReportProgress } from '../../workflows/annualReport';
import type { LifecycleClient } from '../lifecycle';
import { councilRounds, reportGaps, reportNoteSchema, reportSecretariatSteps, reportVersion, reportYearParam, requireComplete, type ReportAnswer } from '../routes/reports';
import { requireRolePage, requireUser } from './access';
import { csrfField } from './csrf';
import { PageProblem, plainWords, refusalIn } from './errors';
import { errorSummary, failedFormStatus, postedValues, str, textArea, zodFieldErrors, type FieldErrors } from './forms';
import { unsavedText } from './unsavedText';
import { html, type Html } from './html';
import { dict, formatDate, formatDateTime, reasonWords, refusalWords, type Lang } from '../../i18n';
import { langOf } from './lang';
import { layout, notice } from './layout';
import { reportDocument } from './reportDocument';
import type { SignedInUser } from './session';
import { userNames } from './userNames';
import { namedParams } from './namedParams';
import { recordReportRead } from '../accessLog';

interface FormState {
  values?: Record<string, string>;
  errors?: FieldErrors;
  refusal?: string;
  status?: number;
  /** The report's text was refused: shown to copy when its form is no longer drawn. */
  textRefused?: boolean;
}

type Rounds = Awaited<ReturnType<typeof councilRounds>>;

/**
 * The annual report as a page: the document as it stands, the council's answers on
 * each version, its history, and the step that is due. The secretariat writes the
 * text while drafting, attaches the evaluation of the council's work, sends the
 * report to the council, redrafts a returned one and marks an approved one as sent;
 * council members answer through their tasks. Each step is the API's, with the same
 * checks. `/reports/:year/print` is the document alone, for paper and PDF.
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
    const [nameOf, rounds] = await Promise.all([userNames(store), councilRounds(store, doc._id, user.actor), recordReportRead(store, req, user.actor.userId, doc._id)]);
    const who = (by: string) => (by === 'council' ? t.report.council : by === 'schedule' ? t.report.schedule : nameOf(by));
    const title = t.report.title(doc._id);
    const done = typeof req.query.done === 'string' && Object.hasOwn(t.report.done, req.query.done) ? t.report.done[req.query.done] : undefined;
    const myTask = rounds.at(-1)?.answers.find((a) => a.member === user.actor.userId && a.status === 'open');
    const secretariat = hasRole(user.actor, 'secretariat');
    // Drawn before the summary above them, which names the fields they draw.
    const narrative = secretariat && doc.status === 'drafting' ? narrativeForm(req, lang, doc, rounds, state) : state.textRefused ? unsavedText(lang, state.values) : '';
    const steps = secretariat ? html`<div class="task-answer">${stepForm(req, lang, doc, state)}${evaluationForm(req, lang, doc, state)}</div>` : '';
    let top: Html | string = '';
    if (state.refusal) top = notice('error', state.refusal);
    else if (state.errors && Object.keys(state.errors).length > 0) top = errorSummary(lang, state.errors);
    else if (done) top = notice('success', done);
    else if (myTask) top = notice('info', html`${t.report.rounds.yourTask} <a href="/tasks/${encodeURIComponent(myTask.taskId)}">${t.report.rounds.openTask}</a>`);

    const body = html`<p class="breadcrumb"><a href="/fund#reports-title">${t.fund.title}</a></p>
      <h1>${title}</h1>
      ${top}
      <dl class="meta">
        <div><dt>${t.report.status}</dt><dd>${t.report.statuses[doc.status] ?? doc.status}</dd></div>
        <div><dt>${t.report.version}</dt><dd>${doc.version}</dd></div>
        <div><dt>${t.report.updated}</dt><dd>${formatDate(lang, doc.updatedAt)}</dd></div>
      </dl>
      <p><a href="/reports/${doc._id}/print">${t.report.print}</a></p>
      <div class="task-layout">
        <div class="task-main">
          ${narrative}
          ${reportDocument(lang, doc)}
          ${roundsSection(lang, doc._id, rounds, nameOf)}
          <section aria-labelledby="history-title"><h2 id="history-title">${t.report.history}</h2>
            <table class="data timeline"><caption class="visually-hidden">${t.report.historyCaption}</caption>
              <thead><tr><th scope="col">${t.report.when}</th><th scope="col">${t.report.who}</th><th scope="col">${t.report.what}</th><th scope="col" class="num">${t.report.version}</th><th scope="col">${t.report.comments}</th></tr></thead>
              <tbody>${doc.history.map(
                (h) =>
                  html`<tr><td>${formatDateTime(lang, h.at)}</td><td>${who(h.by)}</td><td>${t.report.events[h.status] ?? h.status}</td><td class="num">${h.version}</td><td>${h.comments ?? ''}</td></tr>`,
              )}</tbody>
            </table>
          </section>
        </div>
        ${steps}
      </div>`;
    res
      .status(state.status ?? 200)
      .type('html')
      .send(layout(req, { title, body, current: 'fund' }));
  }

  /** Shows a refusal or bad fields on the page in plain words; success goes back to the report with its notice. */
  async function act(req: Request, res: Response, user: SignedInUser, doc: ReportDoc, done: string, step: () => Promise<unknown>) {
    try {
      await step();
    } catch (err) {
      const refusal = refusalIn(err);
      const fresh = (await store.reports.findById(doc._id).lean()) ?? doc;
      await show(req, res, user, fresh, { values: postedValues(req.body), refusal: plainWords(langOf(req), refusal), status: refusal.status });
      return;
    }
    res.redirect(303, `/reports/${doc._id}?done=${done}`);
  }

  /** A save the report's status no longer takes, or one a colleague's save since stopped, in the reader's words. */
  const refusedWrite = (lang: Lang, write: TextWrite, savedSince: (at: string, removed: boolean) => Refusal, refusal: (status: ReportDoc['status']) => Refusal) =>
    !write.found || write.written ? undefined : refusalWords(lang, write.savedSince ? savedSince(write.savedSince.toISOString(), !!write.removed) : refusal(write.status));

  router.get('/reports/:year', async (req, res) => {
    const user = requireUser(req);
    await show(req, res, user, await load(req));
  });

  // `?version=`: a version as the council got it (the minutes of its decision link there), though redrafted since.
  router.get('/reports/:year/print', async (req, res) => {
    const user = requireUser(req);
    const current = await load(req);
    const lang = langOf(req);
    // Without a version, the report as it stands: the document for the city council.
    const asked = req.query.version === undefined ? undefined : reportVersion.safeParse(req.query.version);
    const asOf = asked?.success === false ? undefined : await reportAsOf(store, current, asked?.data);
    if (!asOf) throw new PageProblem(404, dict(lang).problem.notFound, dict(lang).problem.notFoundText);
    const { doc } = asOf;
    await recordReportRead(store, req, user.actor.userId, doc._id);
    const t = dict(lang).report;
    const said =
      asOf.as === 'notKept'
        ? t.versionNotKept(asked!.data!, current.version)
        : asOf.as === 'kept' && doc.version !== current.version
          ? t.versionAsSent(doc.version, current.version)
          : undefined;
    const body = html`<div class="screen-only"><p class="breadcrumb"><a href="/reports/${doc._id}">${t.backToReport}</a></p><p class="hint">${t.printHint}</p>
      ${said ? notice('info', said) : ''}${asOf.evaluationChangedSince ? notice('info', t.evaluationChangedSince) : ''}</div>
      <h1>${t.doc.heading(doc._id)}</h1>
      ${reportDocument(lang, doc)}`;
    res.type('html').send(layout(req, { title: t.title(doc._id), body, current: 'fund' }));
  });

  router.post('/reports/:year/narrative', async (req, res) => {
    const user = requireRolePage(req, 'secretariat');
    const lang = langOf(req);
    const doc = await load(req);
    const values = postedValues(req.body);
    const rows = Object.keys(values).flatMap((k) => /^projects\.(\d+)\.proposalId$/.exec(k)?.[1] ?? []);
    const parsed = reportNarrativeInput.safeParse({
      overallAssessment: values.overallAssessment,
      answersToCouncil: values.answersToCouncil,
      projects: rows.map((i) => ({ proposalId: values[`projects.${i}.proposalId`], commentary: values[`projects.${i}.commentary`] ?? '' })),
    });
    const stray = parsed.success ? projectsNotInReport(doc.report as AnnualReport, parsed.data) : [];
    if (!parsed.success || stray.length > 0) {
      const errors = parsed.success ? {} : zodFieldErrors(parsed.error, lang);
      for (const i of stray) errors[`projects.${i}.commentary`] = dict(lang).issue.projectNotInReport({});
      await show(req, res, user, doc, { values, errors, status: 400 });
      return;
    }
    const write = await saveReportNarrative(store, doc._id, parsed.data, user.actor.userId, drawnFromField(lang, values._textFrom));
    const refusal = refusedWrite(
      lang,
      write,
      (at) => ({ code: 'reportTextSavedSince', at }),
      (status) => ({ code: 'reportNotDrafting', status }),
    );
    if (refusal) {
      // Told of the colleague's text, a second save of this one replaces it knowingly.
      const kept = write.found && write.savedSince ? { ...values, _textFrom: write.savedSince.toISOString() } : values;
      await show(req, res, user, (await store.reports.findById(doc._id).lean()) ?? doc, { values: kept, refusal, status: 409, textRefused: true });
      return;
    }
    res.redirect(303, `/reports/${doc._id}?done=narrative`);
  });

  router.post('/reports/:year/evaluation', async (req, res) => {
    const user = requireRolePage(req, 'secretariat');
    const lang = langOf(req);
    const doc = await load(req);
    const values = postedValues(req.body);
    const parsed = councilEvaluationInput.safeParse({ evaluation: values.evaluation ?? '' });
    if (!parsed.success) {
      await show(req, res, user, doc, { values, errors: zodFieldErrors(parsed.error, lang), status: failedFormStatus(parsed.error) });
      return;
    }
    const write = await saveCouncilEvaluation(store, doc._id, parsed.data.evaluation, user.actor.userId, drawnFromField(lang, values._evaluationFrom));
    const refusal = refusedWrite(
      lang,
      write,
      (at, removed) => ({ code: 'evaluationSavedSince', at, removed }),
      () => ({ code: 'reportAlreadySent' }),
    );
    if (refusal) {
      // Told of the colleague's evaluation, a second save of this one replaces it knowingly.
      const kept = write.found && write.savedSince ? { ...values, _evaluationFrom: write.savedSince.toISOString() } : values;
      await show(req, res, user, (await store.reports.findById(doc._id).lean()) ?? doc, { values: kept, refusal, status: 409 });
      return;
    }
    res.redirect(303, `/reports/${doc._id}?done=evaluation`);
  });

  for (const [path, step] of Object.entries(reportSecretariatSteps)) {
    router.post(`/reports/:year/${path}`, async (req, res) => {
      const user = requireRolePage(req, 'secretariat');
      const lang = langOf(req);
      const doc = await load(req);
      const parsed = reportNoteSchema.safeParse({ note: str(req.body, 'note') || undefined });
      if (!parsed.success) {
        await show(req, res, user, doc, { values: postedValues(req.body), errors: zodFieldErrors(parsed.error, lang), status: failedFormStatus(parsed.error) });
        return;
      }
      await act(req, res, user, doc, path, async (): Promise<ReportProgress> => {
        const checked = step === 'submit' ? requireComplete(doc) : {};
        return lifecycle.updateWorkflow(doc.workflowId, reportSecretariatUpdate, { actor: user.actor, step, ...parsed.data, ...checked }, { case: 'report', id: String(doc._id) });
      });
    });
  }

  return router;
}

const drawnAt = z.union([z.literal(''), z.iso.datetime()]).optional();

/** When the text a form showed was saved, from its hidden field: '' drawn before any text, absent not checked; anything else no form of ours sends. */
function drawnFromField(lang: Lang, value: string | undefined): Date | null | undefined {
  const drawn = drawnAt.safeParse(value);
  if (!drawn.success) throw new PageProblem(400, dict(lang).problem.title, refusalWords(lang, { code: 'invalidRequest' }));
  return drawn.data === undefined ? undefined : drawn.data === '' ? null : new Date(drawn.data);
}

/**
 * The secretariat's text while the report is being drafted: the overall assessment,
 * a commentary on each project, and the answers to the comments the council
 * returned the last version with, which stand right above that field.
 */
function narrativeForm(req: Request, lang: Lang, doc: ReportDoc, rounds: Rounds, state: FormState): Html {
  const t = dict(lang).report;
  const errors = state.errors ?? {};
  const saved = doc.narrative?.text;
  // What this form sent (it always sends `_textFrom`); another form refused (the sending, the evaluation) leaves the saved text shown.
  const posted = state.values && '_textFrom' in state.values ? state.values : undefined;
  const value = (name: string, fallback: string | undefined) => (posted ? (posted[name] ?? '') : (fallback ?? ''));
  const commentary = new Map((saved?.projects ?? []).map((p) => [p.proposalId, p.commentary]));
  const returned = [...rounds].reverse().find((r) => r.version < doc.version);
  const comments = returned?.answers.filter((a) => a.comments) ?? [];
  return html`<section aria-labelledby="write-title"><h2 id="write-title">${t.write.title}</h2>
    <p>${t.write.intro}</p>
    <form method="post" action="/reports/${doc._id}/narrative" novalidate class="stacked-form">
      ${csrfField(req)}<input type="hidden" name="_textFrom" value="${posted?._textFrom ?? doc.narrative?.at?.toISOString() ?? ''}">
      ${textArea({ name: 'overallAssessment', label: t.write.overall, hint: t.write.overallHint, value: value('overallAssessment', saved?.overallAssessment), errors, rows: 8 })}
      ${reportProjects(doc.report as AnnualReport).map(
        (p, i) => html`<input type="hidden" name="projects.${i}.proposalId" value="${p.proposalId}">
        ${textArea({ name: `projects.${i}.commentary`, label: t.write.commentary(p.proposalId, p.title), value: value(`projects.${i}.commentary`, commentary.get(p.proposalId)), errors, rows: 5 })}`,
      )}
      ${
        returned
          ? html`<div class="council-comments"><h3>${t.write.councilComments(returned.version)}</h3>
            ${comments.length ? html`<ul class="decisions">${comments.map((a) => html`<li><blockquote>${a.comments}</blockquote></li>`)}</ul>` : html`<p>${t.doc.none}</p>`}</div>`
          : ''
      }
      ${
        returned || saved?.answersToCouncil
          ? textArea({ name: 'answersToCouncil', label: t.write.answers, hint: t.write.answersHint, value: value('answersToCouncil', saved?.answersToCouncil), errors, rows: 6 })
          : ''
      }
      <button type="submit">${t.write.save}</button>
    </form></section>`;
}

/** The secretariat's step that is due: send to the council (with what is missing), redraft, or mark as sent. */
function stepForm(req: Request, lang: Lang, doc: ReportDoc, state: FormState): Html | string {
  const t = dict(lang).report.steps;
  const path = doc.status === 'drafting' ? 'submit' : doc.status === 'returned' ? 'redraft' : doc.status === 'approved' ? 'sent' : undefined;
  if (!path) return '';
  const [explain, button] = path === 'submit' ? [t.submitExplain, t.submit] : path === 'redraft' ? [t.redraftExplain, t.redraft] : [t.sendExplain, t.markSent];
  const missing = reportGaps(doc);
  const missingWords = (m: string) =>
    m.startsWith('projects.') ? t.missing.project(m.slice('projects.'.length)) : (t.missing[m as 'overallAssessment' | 'answersToCouncil'] ?? m);
  return html`<section aria-labelledby="step-title"><h2 id="step-title">${t.title}</h2>
    <form method="post" action="/reports/${doc._id}/${path}" novalidate>
      ${csrfField(req)}
      <p>${explain}</p>
      ${missing.length ? html`<div class="missing"><p>${t.missingTitle}</p><ul>${missing.map((m) => html`<li>${missingWords(m)}</li>`)}</ul></div>` : ''}
      ${textArea({ name: 'note', label: t.note, hint: t.noteHint, value: state.values?.note, errors: state.errors ?? {} })}
      <button type="submit">${button}</button>
    </form></section>`;
}

/** The evaluation of the council's work: attached by the secretariat until the report is sent. */
function evaluationForm(req: Request, lang: Lang, doc: ReportDoc, state: FormState): Html | string {
  if (doc.status === 'sentToCityCouncil') return '';
  const t = dict(lang).report.write;
  // What this form sent (it always sends `_evaluationFrom`); another form's refusal leaves the saved evaluation shown.
  const posted = state.values && '_evaluationFrom' in state.values ? state.values : undefined;
  return html`<section aria-labelledby="evaluation-form-title"><h2 id="evaluation-form-title">${t.evaluationTitle}</h2>
    <form method="post" action="/reports/${doc._id}/evaluation" novalidate>
      ${csrfField(req)}<input type="hidden" name="_evaluationFrom" value="${posted?._evaluationFrom ?? doc.evaluation?.at?.toISOString() ?? ''}">
      <p class="hint">${t.evaluationIntro}</p>
      ${textArea({ name: 'evaluation', label: t.evaluation, value: posted ? (posted.evaluation ?? '') : doc.evaluation?.text, errors: state.errors ?? {}, rows: 8 })}
      <button type="submit" class="secondary">${t.saveEvaluation}</button>
    </form></section>`;
}

/** Each version the council had (linked as it got it): every member's answer and comments, or when it is due. */
function roundsSection(lang: Lang, year: number, rounds: Rounds, nameOf: (id: string) => string): Html | string {
  if (rounds.length === 0) return '';
  const t = dict(lang).report.rounds;
  const answerWords = (a: ReportAnswer & { withheld?: true }) =>
    a.withheld
      ? t.answeredSealed(formatDateTime(lang, a.answeredAt))
      : a.decision
        ? html`${a.decision === 'approve' ? t.approve : t.return} <span class="muted">${formatDateTime(lang, a.answeredAt)}</span>`
        : a.status === 'open'
          ? html`${t.waiting(formatDate(lang, a.dueAt))}${a.overdue ? html` <span class="badge badge-danger">${t.overdue}</span>` : ''}`
          : typeof a.cancelReason === 'object' && a.cancelReason.code !== 'councilDecided'
            ? t.closedBecause(reasonWords(lang, namedParams(a.cancelReason, nameOf)))
            : t.notNeeded;
  return html`<section aria-labelledby="rounds-title"><h2 id="rounds-title">${t.title}</h2>
    ${rounds.map(
      (
        r,
      ) => html`<table class="data"><caption>${r.version ? html`<a href="/reports/${year}/print?version=${r.version}">${t.caption(r.version)}</a>` : t.caption(r.version)}</caption>
      <thead><tr><th scope="col">${t.member}</th><th scope="col">${t.answer}</th><th scope="col">${dict(lang).report.comments}</th></tr></thead>
      <tbody>${r.answers.map((a) => html`<tr><td>${nameOf(a.member)}</td><td>${answerWords(a)}</td><td>${a.comments ?? ''}</td></tr>`)}</tbody></table>`,
    )}
  </section>`;
}
