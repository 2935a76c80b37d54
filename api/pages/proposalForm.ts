import { Router, type Request, type Response } from 'express';
import type { Store } from '../../store';
import type { Config } from '../../config';
import { missingForSubmission } from '../../domain/completeness';
import { proposalSchema, type Proposal } from '../../domain/proposal';
import { fundingTracks, welfareAreas } from '../../domain/stages';
import { submitUpdate, withdrawUpdate } from '../../workflows/messages';
import type { LifecycleClient } from '../lifecycle';
import { recordRead } from '../accessLog';
import { createProposal, directFinancingRefusal, reviseProposal } from '../proposalCreation';
import { dependencyTimeoutMs } from '../dependencies';
import { requireRolePage } from './access';
import { csrfField } from './csrf';
import { PageProblem, plainWords, refusalIn } from './errors';
import { dkkText, errorSummary, failedFormStatus, num, selectField, str, textArea, textField, zodFieldErrors, type FieldErrors } from './forms';
import { html, type Html } from './html';
import { dict, moneyInputValue, refusalWords, type Lang } from '../../i18n';
import { langOf } from './lang';
import { layout, notice } from './layout';
import { showProposal } from './proposalPage';
import { withdrawSchema } from '../routes/proposals';

type Values = Record<string, string>;
const blankRows = 2;
const evidenceKinds = ['research', 'benchmark', 'evaluation'] as const;

/**
 * The secretariat's form: create and revise a proposal (the same schema and the
 * same revise Update as the API), submit it to the council, and withdraw it.
 */
export function proposalFormRoutes(config: Config, store: Store, lifecycle: LifecycleClient) {
  const router = Router();
  const departments = config.people.departments;

  /** `revision`: the one an edit form is drawn from, sent back with it. */
  function render(req: Request, res: Response, o: { id?: string; revision?: number; values: Values; errors?: FieldErrors; top?: Html; status?: number }) {
    const lang = langOf(req);
    const t = dict(lang);
    const title = o.id ? t.form.editTitle(o.id) : t.form.newTitle;
    const form = proposalFormHtml(req, lang, departments, o.values, o.errors ?? {}, o.id, o.revision);
    res
      .status(o.status ?? 200)
      .type('html')
      .send(layout(req, { title, current: o.id ? 'proposals' : 'new', body: html`<h1>${title}</h1>${o.top ?? ''}${form.summary}${form.body}` }));
  }

  /** The form as a proposal, or the errors at each field. */
  function parse(req: Request): { proposal?: Proposal; values: Values; errors?: FieldErrors; status?: number } {
    const lang = langOf(req);
    const { input, values } = formToInput(lang, req.body as Record<string, unknown>);
    const parsed = proposalSchema.safeParse(input);
    const errors: FieldErrors = parsed.success ? {} : zodFieldErrors(parsed.error, lang, fieldOf);
    const department = values.responsibleDepartment;
    const unknownDepartment: FieldErrors = {};
    if (department && !departments.some((d) => d.code === department)) {
      unknownDepartment.responsibleDepartment = dict(lang).zod.unknownDepartment(departments.map((d) => d.code).join(', '));
      errors.responsibleDepartment ??= unknownDepartment.responsibleDepartment;
    }
    if (!parsed.success || Object.keys(errors).length > 0) return { values, errors, status: failedFormStatus(parsed.error, unknownDepartment) };
    return { proposal: parsed.data, values };
  }

  router.get('/proposals/new', (req, res) => {
    requireRolePage(req, 'secretariat');
    render(req, res, { values: { fundingTrack: 'outcomeBased' } });
  });

  router.post('/proposals/new', async (req, res) => {
    const user = requireRolePage(req, 'secretariat');
    const { proposal, values, errors, status } = parse(req);
    if (!proposal) return render(req, res, { values, errors, status });
    const id = await createProposal({ config, store, lifecycle }, user.actor.userId, proposal);
    res.redirect(303, `/proposals/${encodeURIComponent(id)}?created=1`);
  });

  /** The case a secretariat's form is drawn for or sent to (404 when there is none). */
  async function actedOn(req: Request) {
    const user = requireRolePage(req, 'secretariat');
    const lang = langOf(req);
    const t = dict(lang);
    const doc = await store.proposals.findById(req.params.id).lean();
    if (!doc) throw new PageProblem(404, t.problem.notFound, t.problem.notFoundText);
    return { user, lang, t, doc };
  }

  router.get('/proposals/:id/edit', async (req, res) => {
    const { user, t, doc } = await actedOn(req);
    const stage = (await lifecycle.stateWithin(doc._id, dependencyTimeoutMs)).state?.stage ?? doc.stage;
    if (stage !== 'Motivation') throw new PageProblem(409, t.problem.title, t.form.onlyInMotivation(t.stage[stage] ?? stage));
    await recordRead(store, req, user.actor.userId, { what: 'proposal', proposalId: doc._id });
    render(req, res, { id: doc._id, revision: doc.revision, values: proposalToValues(langOf(req), doc.content as Proposal) });
  });

  router.post('/proposals/:id/edit', async (req, res) => {
    // No stage check here: a proposal submitted by a colleague while this form was filled in is the
    // workflow's to refuse, and the form comes back with what was typed and why, not a bare 409.
    const { user, doc } = await actedOn(req);
    const drawn = str(req.body as Record<string, unknown>, '_revision');
    const basedOn = /^\d{1,6}$/.test(drawn) ? Number(drawn) : undefined;
    const { proposal, values, errors, status } = parse(req);
    if (!proposal) return render(req, res, { id: doc._id, revision: basedOn, values, errors, status });
    try {
      await reviseProposal({ store, lifecycle }, user.actor, doc._id, proposal, basedOn);
    } catch (err) {
      const refusal = refusalIn(err);
      // Told of the colleague's revision, a second save of this text replaces it knowingly.
      const revision = refusal.refusal.code === 'revisedSinceDrawn' ? refusal.refusal.revision : basedOn;
      return render(req, res, { id: doc._id, revision, values, top: notice('error', plainWords(langOf(req), refusal)), status: refusal.status });
    }
    res.redirect(303, `/proposals/${encodeURIComponent(doc._id)}?saved=1`);
  });

  router.post('/proposals/:id/submit', async (req, res) => {
    const { user, lang, t, doc } = await actedOn(req);
    const missing = missingForSubmission(doc.content as Proposal);
    if (missing.length > 0) {
      const top = notice('error', html`<p>${t.proposal.missingTitle}</p><ul>${missing.map((m) => html`<li>${t.missing[m.code]}</li>`)}</ul>`);
      return showProposal(req, res, { config, store, lifecycle }, { top, status: 422 });
    }
    const aboveCeiling = directFinancingRefusal(config, doc.content as Proposal);
    if (aboveCeiling) return showProposal(req, res, { config, store, lifecycle }, { top: notice('error', refusalWords(lang, aboveCeiling)), status: 422 });
    try {
      await lifecycle.update(doc._id, submitUpdate, { actor: user.actor, revision: doc.revision });
    } catch (err) {
      const refusal = refusalIn(err);
      return showProposal(req, res, { config, store, lifecycle }, { top: notice('error', plainWords(lang, refusal)), status: refusal.status });
    }
    res.redirect(303, `/proposals/${encodeURIComponent(doc._id)}?submitted=1`);
  });

  router.post('/proposals/:id/withdraw', async (req, res) => {
    const { user, lang, doc } = await actedOn(req);
    const reason = str(req.body as Record<string, unknown>, 'reason');
    const parsed = withdrawSchema.safeParse({ reason });
    if (!parsed.success) {
      const withdrawal = { reason, errors: zodFieldErrors(parsed.error, lang) };
      return showProposal(req, res, { config, store, lifecycle }, { withdrawal, status: failedFormStatus(parsed.error) });
    }
    try {
      await lifecycle.update(doc._id, withdrawUpdate, { actor: user.actor, reason: parsed.data.reason });
    } catch (err) {
      const refusal = refusalIn(err);
      // The reason stays in the form, should the page still offer it.
      const withdrawal = { reason, errors: {} };
      return showProposal(req, res, { config, store, lifecycle }, { top: notice('error', plainWords(lang, refusal)), status: refusal.status, withdrawal });
    }
    res.redirect(303, `/proposals/${encodeURIComponent(doc._id)}?withdrawn=1`);
  });

  return router;
}

/** Where a zod path shows on the form: list items show at their list's field. */
function fieldOf(path: string): string {
  return path.replace(/^(targetGroup\.inclusionCriteria)\.\d+$/, '$1').replace(/^(outcomes\.\d+\.measuredAtMonths)\.\d+$/, '$1');
}

/** Rows of a list in the form (`prefix.N.field`) that have anything in them, in order. */
function filledRows(body: Record<string, unknown>, prefix: string, fields: string[]): number[] {
  const rows = new Set<number>();
  for (const key of Object.keys(body)) {
    const m = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)\\.(\\w+)$`).exec(key);
    if (m && fields.includes(m[2]) && str(body, key) !== '') rows.add(Number(m[1]));
  }
  return [...rows].sort((a, b) => a - b).slice(0, 100);
}

/**
 * The posted form as the proposal's input (the API's shape, DKK as text), and the
 * values to show again, with list rows renumbered so that zod's paths match them.
 * An empty section is left out, as a draft may leave it out.
 */
export function formToInput(lang: Lang, body: Record<string, unknown>): { input: Record<string, unknown>; values: Values } {
  const values: Values = {};
  const take = (from: string, to = from) => {
    const v = str(body, from);
    if (v !== '') values[to] = v;
    return v;
  };
  const money = (text: string) => (text === '' ? undefined : dkkText(lang, text));
  const input: Record<string, unknown> = {
    title: take('title'),
    summary: take('summary'),
    welfareArea: take('welfareArea') || undefined,
    fundingTrack: take('fundingTrack') || undefined,
    responsibleDepartment: take('responsibleDepartment'),
  };

  const tg = { description: take('targetGroup.description'), size: take('targetGroup.estimatedSize'), criteria: take('targetGroup.inclusionCriteria') };
  if (tg.description || tg.size || tg.criteria) {
    input.targetGroup = {
      description: tg.description,
      estimatedSize: num(lang, tg.size),
      inclusionCriteria: tg.criteria
        .split(/\r?\n/)
        .map((c) => c.trim())
        .filter(Boolean),
    };
  }

  const outcomeFields = ['metric', 'unit', 'baseline', 'target', 'howMeasured', 'measuredAtMonths'];
  input.outcomes = filledRows(body, 'outcomes', outcomeFields).map((row, i) => {
    const f = (name: string) => take(`outcomes.${row}.${name}`, `outcomes.${i}.${name}`);
    const months = f('measuredAtMonths');
    return {
      metric: f('metric'),
      unit: f('unit'),
      baseline: num(lang, f('baseline')),
      target: num(lang, f('target')),
      howMeasured: f('howMeasured'),
      measuredAtMonths: months
        .split(/[,;\s]+/)
        .filter(Boolean)
        .map((m) => num(lang, m)),
    };
  });

  const rationale = take('motivation.rationale');
  const evidence = filledRows(body, 'motivation.evidence', ['citation', 'url']).map((row, i) => {
    const f = (name: string) => take(`motivation.evidence.${row}.${name}`, `motivation.evidence.${i}.${name}`);
    return { kind: f('kind') || undefined, citation: f('citation'), url: f('url') || undefined };
  });
  if (rationale || evidence.length > 0) input.motivation = { rationale, evidence };

  const totalCost = take('businessCase.totalCost');
  const requested = take('businessCase.requestedFromFund');
  const savings = filledRows(body, 'businessCase.expectedSavings', ['department', 'year', 'amount']).map((row, i) => {
    const f = (name: string) => take(`businessCase.expectedSavings.${row}.${name}`, `businessCase.expectedSavings.${i}.${name}`);
    return { department: f('department'), year: num(lang, f('year')), amount: money(f('amount')) };
  });
  const whyNotInExistingBudget = take('businessCase.whyNotInExistingBudget');
  if (totalCost || requested || savings.length > 0 || whyNotInExistingBudget) {
    input.businessCase = {
      totalCost: money(totalCost),
      requestedFromFund: money(requested),
      expectedSavings: savings,
      whyNotInExistingBudget: whyNotInExistingBudget || undefined,
    };
  }
  return { input, values };
}

/** A stored proposal as the form's values, money in the reader's notation. */
export function proposalToValues(lang: Lang, p: Proposal): Values {
  const v: Values = {
    title: p.title,
    summary: p.summary,
    welfareArea: p.welfareArea,
    fundingTrack: p.fundingTrack,
    responsibleDepartment: p.responsibleDepartment,
  };
  const decimal = (n: number) => (lang === 'da' ? String(n).replace('.', ',') : String(n));
  if (p.targetGroup) {
    v['targetGroup.description'] = p.targetGroup.description;
    v['targetGroup.estimatedSize'] = String(p.targetGroup.estimatedSize);
    v['targetGroup.inclusionCriteria'] = p.targetGroup.inclusionCriteria.join('\n');
  }
  p.outcomes.forEach((o, i) => {
    Object.assign(v, {
      [`outcomes.${i}.metric`]: o.metric,
      [`outcomes.${i}.unit`]: o.unit,
      [`outcomes.${i}.baseline`]: decimal(o.baseline),
      [`outcomes.${i}.target`]: decimal(o.target),
      [`outcomes.${i}.howMeasured`]: o.howMeasured,
      [`outcomes.${i}.measuredAtMonths`]: o.measuredAtMonths.join(', '),
    });
  });
  if (p.motivation) {
    v['motivation.rationale'] = p.motivation.rationale;
    p.motivation.evidence.forEach((e, i) => {
      v[`motivation.evidence.${i}.kind`] = e.kind;
      v[`motivation.evidence.${i}.citation`] = e.citation;
      if (e.url) v[`motivation.evidence.${i}.url`] = e.url;
    });
  }
  if (p.businessCase) {
    v['businessCase.totalCost'] = moneyInputValue(lang, p.businessCase.totalCost);
    v['businessCase.requestedFromFund'] = moneyInputValue(lang, p.businessCase.requestedFromFund);
    v['businessCase.whyNotInExistingBudget'] = p.businessCase.whyNotInExistingBudget ?? '';
    p.businessCase.expectedSavings.forEach((s, i) => {
      v[`businessCase.expectedSavings.${i}.department`] = s.department;
      v[`businessCase.expectedSavings.${i}.year`] = String(s.year);
      v[`businessCase.expectedSavings.${i}.amount`] = moneyInputValue(lang, s.amount);
    });
  }
  return v;
}

function rowCount(values: Values, prefix: string): number {
  let n = 0;
  for (const key of Object.keys(values)) {
    const m = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)\\.`).exec(key);
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  return n + blankRows;
}

function proposalFormHtml(
  req: Request,
  lang: Lang,
  departments: { code: string; name: string }[],
  v: Values,
  errors: FieldErrors,
  id?: string,
  revision?: number,
): { summary: Html; body: Html } {
  const t = dict(lang);
  const f = t.form;
  type Extra = { hint?: string; group?: string; required?: boolean; inputmode?: string; className?: string; rows?: number };
  const text = (name: string, label: string, extra: Extra = {}) => textField({ name, label, value: v[name], errors, ...extra });
  const area = (name: string, label: string, extra: Extra = {}) => textArea({ name, label, value: v[name], errors, ...extra });
  const select = (name: string, label: string, options: { value: string; label: string }[], extra: Extra = {}) =>
    selectField({ name, label, value: v[name], errors, options, ...extra });
  const departmentOptions = departments.map((d) => ({ value: d.code, label: `${d.code} – ${d.name}` }));
  const none = { value: '', label: f.none };

  const body = html`<form method="post" action="${id ? `/proposals/${encodeURIComponent(id)}/edit` : '/proposals/new'}" novalidate class="proposal-form">
    ${csrfField(req)}${revision === undefined ? '' : html`<input type="hidden" name="_revision" value="${String(revision)}">`}
    <fieldset><legend>${f.basics}</legend>
      ${text('title', f.title, { required: true })}
      ${area('summary', f.summary, { required: true, rows: 3 })}
      ${select('welfareArea', f.welfareArea, [none, ...welfareAreas.map((w) => ({ value: w, label: t.welfareArea[w] }))], { required: true })}
      ${select(
        'fundingTrack',
        f.fundingTrack,
        fundingTracks.map((x) => ({ value: x, label: t.fundingTrack[x] })),
        { required: true },
      )}
      ${select('responsibleDepartment', f.department, [none, ...departmentOptions], { required: true })}
    </fieldset>
    <fieldset><legend>${f.targetGroup}</legend>
      ${area('targetGroup.description', f.tgDescription, { group: f.targetGroup, rows: 3 })}
      ${text('targetGroup.estimatedSize', f.tgSize, { group: f.targetGroup, inputmode: 'numeric', className: 'short' })}
      ${area('targetGroup.inclusionCriteria', f.tgCriteria, { group: f.targetGroup, hint: f.tgCriteriaHint, rows: 3 })}
    </fieldset>
    <fieldset><legend>${f.outcomes}</legend>
      <p class="hint">${f.rowsHint}</p>
      ${Array.from({ length: rowCount(v, 'outcomes') }, (_, i) => {
        const g = f.outcome(i + 1);
        const p = `outcomes.${i}`;
        return html`<fieldset class="row"><legend>${g}</legend>
          <div class="grid">
            ${text(`${p}.metric`, f.metric, { group: g })}
            ${text(`${p}.unit`, f.unit, { group: g, className: 'short' })}
            ${text(`${p}.baseline`, f.baseline, { group: g, inputmode: 'decimal', className: 'short' })}
            ${text(`${p}.target`, f.target, { group: g, inputmode: 'decimal', className: 'short' })}
          </div>
          ${text(`${p}.howMeasured`, f.howMeasured, { group: g })}
          ${text(`${p}.measuredAtMonths`, f.measuredAt, { group: g, hint: f.measuredAtHint })}
        </fieldset>`;
      })}
    </fieldset>
    <fieldset><legend>${f.motivation}</legend>
      ${area('motivation.rationale', f.rationale, { group: f.motivation, rows: 4 })}
      ${Array.from({ length: rowCount(v, 'motivation.evidence') }, (_, i) => {
        const g = f.evidence(i + 1);
        const p = `motivation.evidence.${i}`;
        return html`<fieldset class="row"><legend>${g}</legend><div class="grid">
          ${select(
            `${p}.kind`,
            f.evidenceKind,
            evidenceKinds.map((k) => ({ value: k, label: t.evidenceKind[k] })),
            { group: g, className: 'short' },
          )}
          ${text(`${p}.citation`, f.citation, { group: g })}
          ${text(`${p}.url`, f.url, { group: g })}
        </div></fieldset>`;
      })}
    </fieldset>
    <fieldset><legend>${f.businessCase}</legend>
      <div class="grid">
        ${text('businessCase.totalCost', f.totalCost, { group: f.businessCase, hint: f.moneyHint, inputmode: 'decimal' })}
        ${text('businessCase.requestedFromFund', f.requestedFromFund, { group: f.businessCase, hint: f.moneyHint, inputmode: 'decimal' })}
      </div>
      ${area('businessCase.whyNotInExistingBudget', f.whyNotInExistingBudget, { group: f.businessCase, hint: f.whyNotInExistingBudgetHint, rows: 3 })}
      <p class="hint">${f.savingsHint}</p>
      ${Array.from({ length: rowCount(v, 'businessCase.expectedSavings') }, (_, i) => {
        const g = f.savings(i + 1);
        const p = `businessCase.expectedSavings.${i}`;
        return html`<fieldset class="row"><legend>${g}</legend><div class="grid">
          ${select(`${p}.department`, f.savingsDepartment, [none, ...departmentOptions], { group: g })}
          ${text(`${p}.year`, f.savingsYear, { group: g, inputmode: 'numeric', className: 'short' })}
          ${text(`${p}.amount`, f.savingsAmount, { group: g, inputmode: 'decimal' })}
        </div></fieldset>`;
      })}
    </fieldset>
    <button type="submit">${id ? f.save : f.create}</button>
  </form>`;
  return { summary: errorSummary(lang, errors), body };
}
