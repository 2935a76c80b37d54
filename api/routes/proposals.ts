import { idParam, pageNumber, revisionCondition, revisionMatched } from '../params';
import type { UpdateDefinition } from '@temporalio/common';
import { z } from 'zod';
import { issueText, type Issue } from '../../domain/issues';
import { reasonText, text } from '../../domain/freeText';
import { formatDkk } from '../../domain/money';
import { paramsOf } from '../../domain/codes';
import type { Store, StoppedByOperator } from '../../store';
import { ocdsRecordOf } from '../../store/ocdsRecord';
import { proposalListPage } from '../../store/proposalList';
import type { Config } from '../../config';
import { missingEnglish, missingForSubmission } from '../../domain/completeness';
import type { DecisionPaper } from '../../domain/decisionPaper';
import { proposalSchema, type Proposal } from '../../domain/proposal';
import type { CooperationAgreement } from '../../domain/cooperationAgreement';
import type { Actor } from '../../domain/people';
import { fundingTracks, stages, welfareAreas, type Stage } from '../../domain/stages';
import { contractingActionInput } from '../../domain/contract';
import { stepStages, unapprovedMetricIssues } from '../../domain/pricedMetrics';
import { ocdsReleasePackage } from '../../domain/ocds';
import { contractingFor, councilRoundsFor, mayReadProcurement, openCouncilRounds, procurementFor, stoppedFor, timelineFor } from '../../domain/accessPolicy';
import { procurementActionInput } from '../../domain/procurementInput';
import { contractingUpdate, procurementUpdate, submitUpdate, withdrawUpdate } from '../../workflows/messages';
import { requireRole, actorOf } from '../auth';
import type { LifecycleClient } from '../lifecycle';
import { createProposal, directFinancingRefusal, reviseProposal } from '../proposalCreation';
import { resultsView } from '../resultsView';
import { badRequest, fieldProblems, HttpProblem, notFound, preconditionFailed, ruleNotMet } from '../problem';
import { recordRead } from '../accessLog';
import { readProposal } from '../proposalRead';
import { taskView } from './tasks';
import { named, route, type AnyRoute, type NamedSchema } from '../registry';
import { contractingExamples, procurementExamples, proposalExamples, withdrawalExamples } from '../examples';
import { contractingReply, decisionPaperReply, draftReply, ocdsPackageReply, procurementReply, proposalListReply, proposalReply, stageReply } from '../replies/proposals';
import { decisionPaperView, oreFieldsAsDkk, proposalContentView, stepInputView, taskInputView } from '../views';

export const withdrawSchema = z.strictObject({ reason: reasonText });

const decisionPaperQuery = z.strictObject({ version: z.coerce.number().int().min(1).max(10000).optional() });

export const listQuerySchema = z.strictObject({
  stage: z.enum(stages).optional(),
  welfareArea: z.enum(welfareAreas).optional(),
  fundingTrack: z.enum(fundingTracks).optional(),
  page: pageNumber,
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export function proposalRoutes(config: Config, store: Store, lifecycle: LifecycleClient): AnyRoute[] {
  const departments = config.people.departments.map((d) => d.code);
  /** The document lists the configured departments; the server names them when it refuses another. */
  const proposalBody = named('Proposal', proposalSchema.extend({ responsibleDepartment: text(100).meta({ enum: departments }) }));

  function checkDepartment(proposal: Proposal): Proposal {
    if (!departments.includes(proposal.responsibleDepartment)) {
      const unknown: Issue = { code: 'unknownDepartment', departments };
      throw badRequest([{ field: 'responsibleDepartment', code: unknown.code, message: issueText(unknown), params: paramsOf(unknown) }]);
    }
    return proposal;
  }

  async function load(id: string) {
    const doc = await store.proposals.findById(id).lean();
    if (!doc) throw notFound('proposal', id);
    return doc;
  }

  /** A secretariat's step after the award decisions: decoded, sent as an Update, answered with that part of the state. */
  function stepRoute<A, K extends 'procurement' | 'contracting'>(
    part: K,
    schema: NamedSchema<z.ZodType<A>>,
    update: UpdateDefinition<{ stage: Stage }, [{ actor: Actor; input: A }]>,
    doc: Pick<AnyRoute, 'summary' | 'examples'>,
    /** A rule of the step against the proposal's approved outcomes: 422 naming each field. */
    againstOutcomes: (step: A, outcomes: Proposal['outcomes']) => z.core.$ZodIssue[],
  ) {
    return route({
      id: part === 'procurement' ? 'procurementStep' : 'contractingStep',
      method: 'post',
      path: `/proposals/:id/${part}`,
      ...doc,
      params: idParam,
      body: schema,
      replies: { 200: { description: `the ${part} after the step (DKK)`, schema: part === 'procurement' ? procurementReply : contractingReply } },
      errors: [403, 404, 409],
      rules: part === 'procurement' ? ['weightsSum', 'criterionOnce', 'metricOnce', 'metricNotApproved'] : ['monthsRising', 'moreThanZero', 'metricOnce', 'metricNotApproved'],
      handle: async (req, res, input) => {
        const { id } = input.params();
        const actor = requireRole(req, 'secretariat');
        const step = input.body();
        const doc = await load(id);
        // In another stage the step is the workflow's to refuse (409 wrongStage), not its prices to judge.
        const broken = doc.stage === stepStages[part] ? againstOutcomes(step, (doc.content as Proposal).outcomes) : [];
        if (broken.length > 0) throw ruleNotMet(fieldProblems(new z.ZodError(broken)));
        const { stage } = await lifecycle.update(id, update, { actor, input: step });
        // The answer shows the part's people (bidders, evaluators, signatories), as the case's read does.
        const [state] = await Promise.all([lifecycle.state(id), recordRead(store, req, actor.userId, { what: 'proposal', proposalId: id })]);
        const shown = part === 'procurement' && state.procurement ? procurementFor(actor, state.procurement) : state[part];
        res.json({ id, stage, [part]: oreFieldsAsDkk(shown) });
      },
    });
  }

  return [
    route({
      id: 'createProposal',
      method: 'post',
      path: '/proposals',
      summary: 'Create a draft proposal and start its lifecycle workflow (secretariat)',
      body: proposalBody,
      examples: proposalExamples,
      replies: {
        201: {
          description: 'created; Location names it',
          schema: draftReply,
          headers: { Location: { description: 'the new proposal', schema: { type: 'string' } } },
          links: {
            getProposal: { operationId: 'getProposal', parameters: { id: '$response.body#/id' }, description: 'read the new draft' },
            submitProposal: { operationId: 'submitProposal', parameters: { id: '$response.body#/id' }, description: 'send it to the council' },
          },
        },
      },
      errors: [403, 422],
      handle: async (req, res, input) => {
        const actor = requireRole(req, 'secretariat');
        const proposal = checkDepartment(input.body());
        const id = await createProposal({ config, store, lifecycle }, actor.userId, proposal);
        res
          .status(201)
          .location(`/api/proposals/${id}`)
          .json({ id, stage: 'Motivation', revision: 0, proposal: proposalContentView(proposal) });
      },
    }),
    route({
      id: 'listProposals',
      method: 'get',
      path: '/proposals',
      summary: 'List proposals, newest first, filtered and paged, with the total',
      query: listQuerySchema,
      replies: { 200: { description: 'a page', schema: proposalListReply } },
      handle: async (req, res, input) => {
        actorOf(req);
        const q = input.query();
        const filter: Record<string, string> = {};
        if (q.stage) filter.stage = q.stage;
        if (q.welfareArea) filter['content.welfareArea'] = q.welfareArea;
        if (q.fundingTrack) filter['content.fundingTrack'] = q.fundingTrack;
        const { total, docs } = Object.keys(filter).length === 0 ? await proposalListPage(store, q.page, q.pageSize) : await filteredPage(store, filter, q.page, q.pageSize);
        res.json({
          page: q.page,
          pageSize: q.pageSize,
          total,
          items: docs.map((d) => {
            const c = d.content as Proposal;
            return {
              id: d._id,
              title: c.title,
              stage: d.stage,
              welfareArea: c.welfareArea,
              fundingTrack: c.fundingTrack,
              responsibleDepartment: c.responsibleDepartment,
              requestedFromFund: c.businessCase ? formatDkk(c.businessCase.requestedFromFund) : null,
              createdAt: d.createdAt,
            };
          }),
        });
      },
    }),
    route({
      id: 'getProposal',
      method: 'get',
      path: '/proposals/:id',
      summary:
        "A proposal with live stage, tasks, council rounds and timeline; sealed bids, scores before the award and ballots of an open round withheld (README, Security model); a signed contract's or agreed grant's results",
      params: idParam,
      replies: { 200: { description: 'the proposal', schema: named('ProposalView', proposalReply) } },
      errors: [404],
      handle: async (req, res, input) => {
        const reader = actorOf(req);
        const { doc, tasks, events, results, live } = await readProposal(store, lifecycle, req, reader, input.params().id);
        const state = live.state;
        const kindOf = new Map(tasks.map((t) => [t._id, t.kind]));
        const openRounds = openCouncilRounds(tasks);
        res.json({
          id: doc._id,
          // The workflow is the live truth; the read model answers when it cannot be asked, or once an operator stopped the workflow.
          stage: doc.stoppedByOperator ? doc.stage : (state?.stage ?? doc.stage),
          live: state !== undefined && !doc.stoppedByOperator,
          // Why the rounds and the later stages' details are missing, when they are: the read model answered alone.
          liveUnavailable: doc.stoppedByOperator ? 'stoppedByOperator' : (live.unanswered ?? null),
          stoppedByOperator: doc.stoppedByOperator ? stoppedView(stoppedFor(reader, doc.stoppedByOperator)) : null,
          proposal: proposalContentView(doc.content as Proposal),
          revision: doc.revision,
          createdBy: doc.createdBy,
          createdAt: doc.createdAt,
          openTasks: tasks.filter((t) => t.status === 'open').map(taskView),
          tasks: tasks.map(taskView),
          rounds: councilRoundsFor(reader, state?.rounds ?? [], openRounds),
          mayoralDecision: state?.mayoralDecision ?? null,
          cooperationAgreement: state?.cooperationAgreement
            ? {
                ...(taskInputView('cooperationAgreement', agreementTerms(state.cooperationAgreement)) as object),
                by: state.cooperationAgreement.by,
                at: state.cooperationAgreement.at,
              }
            : null,
          procurement: state?.procurement && mayReadProcurement(reader) ? oreFieldsAsDkk(procurementFor(reader, state.procurement)) : null,
          contracting: state?.contracting ? oreFieldsAsDkk(contractingFor(reader, state.contracting)) : null,
          grant: state?.grant ? oreFieldsAsDkk(state.grant) : null,
          // From the read model and the ledger, so it answers while the workflow cannot be asked.
          results: results ? resultsView(results) : null,
          closure: state?.closure ?? null,
          timeline: timelineFor(reader, events, tasks).map((e) => ({ type: e.type, at: e.at, by: e.by ?? null, details: eventDetailsView(e.type, e.details, kindOf) })),
          temporal: { workflowId: doc.workflowId, url: `${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows/${doc.workflowId}` },
        });
      },
    }),
    route({
      id: 'reviseProposal',
      method: 'put',
      path: '/proposals/:id',
      summary:
        'Revise the draft (secretariat, Motivation only); with `If-Match: "<revision>"`, only if no one has saved a revision since that one (412 `revisedSinceDrawn` otherwise)',
      params: idParam,
      headers: revisionCondition,
      body: proposalBody,
      examples: proposalExamples,
      replies: { 200: { description: 'revised', schema: draftReply } },
      errors: [403, 404, 409, 412],
      handle: async (req, res, input) => {
        const actor = requireRole(req, 'secretariat');
        const proposal = checkDepartment(input.body());
        const basedOn = revisionMatched(input.headers()['If-Match']);
        const { id } = input.params();
        const doc = await load(id);
        // No revision is ahead of the one saved (the workflow refuses only older ones, as an operator's reset may lower its own).
        if (basedOn !== undefined && basedOn > doc.revision) throw preconditionFailed({ code: 'revisionNotCurrent', revision: doc.revision });
        const revised = await reviseProposal({ store, lifecycle }, actor, id, proposal, basedOn).catch((err: unknown) => {
          // The workflow's conflict is the client's failed precondition when the client stated one.
          if (err instanceof HttpProblem && err.refusal.code === 'revisedSinceDrawn') throw preconditionFailed(err.refusal);
          throw err;
        });
        // A revision an earlier version of the workflow adopted (its Update, asked again by its key, answers nothing): the read model's.
        const revision = revised?.revision ?? (await load(id)).revision;
        res.json({ id, stage: 'Motivation', revision, proposal: proposalContentView(proposal) });
      },
    }),
    route({
      id: 'submitProposal',
      method: 'post',
      path: '/proposals/:id/submit',
      summary: 'Send a complete proposal to the council (secretariat); 422 with `missing` while incomplete',
      params: idParam,
      body: z.strictObject({}),
      replies: { 200: { description: 'submitted', schema: stageReply } },
      errors: [403, 404, 409, 422],
      rules: ['incomplete'],
      handle: async (req, res, input) => {
        const actor = requireRole(req, 'secretariat');
        input.body();
        const doc = await load(input.params().id);
        const missing = missingForSubmission(doc.content as Proposal);
        if (missing.length > 0) {
          const errors = missing.map((m) => ({ field: m.field, code: m.code, message: missingEnglish[m.code] }));
          throw new HttpProblem(422, 'The proposal is not complete', { code: 'incomplete' }, { errors, missing: errors.map((e) => `${e.field}: ${e.message}`) });
        }
        const aboveCeiling = directFinancingRefusal(config, doc.content as Proposal);
        if (aboveCeiling) throw new HttpProblem(422, 'Above the ceiling for direct financing', aboveCeiling);
        const { stage } = await lifecycle.update(doc._id, submitUpdate, { actor, revision: doc.revision });
        res.json({ id: doc._id, stage });
      },
    }),
    route({
      id: 'withdrawProposal',
      method: 'post',
      path: '/proposals/:id/withdraw',
      summary: 'Withdraw with a reason (secretariat)',
      params: idParam,
      body: named('Withdrawal', withdrawSchema),
      examples: withdrawalExamples,
      replies: { 200: { description: 'withdrawn', schema: stageReply } },
      errors: [403, 404, 409],
      handle: async (req, res, input) => {
        const actor = requireRole(req, 'secretariat');
        const { reason } = input.body();
        const { id } = input.params();
        await load(id);
        const { stage } = await lifecycle.update(id, withdrawUpdate, { actor, reason });
        res.json({ id, stage });
      },
    }),
    stepRoute(
      'procurement',
      named('ProcurementAction', procurementActionInput),
      procurementUpdate,
      {
        summary:
          "A procurement step (secretariat): decideProcedure, prepareTender, publishTender, registerBid (its outcome prices' metrics among the proposal's outcomes), evaluate, recommendAward, recommendDirectAward (each to the council, whose approval makes the award), recordComplaint, resolveComplaint, retender, cancelTender",
        examples: procurementExamples,
      },
      unapprovedMetricIssues,
    ),
    stepRoute(
      'contracting',
      named('ContractingAction', contractingActionInput),
      contractingUpdate,
      {
        summary:
          "After the award (secretariat): registerInvestorOffer, recommendInvestor (to the council), proposeContract (its rate card's metrics among the proposal's outcomes)",
        examples: contractingExamples,
      },
      unapprovedMetricIssues,
    ),
    route({
      id: 'getOcdsPackage',
      method: 'get',
      path: '/proposals/:id/ocds',
      summary:
        'The proposal as an Open Contracting Data Standard 1.1.5 release package: one release, the case after its latest change (id and date stable until the next); tenderers only once the bid window has closed',
      params: idParam,
      replies: { 200: { description: 'the release package', schema: named('OcdsReleasePackage', ocdsPackageReply) } },
      errors: [404, 410],
      handle: async (req, res, input) => {
        const actor = actorOf(req);
        const doc = await load(input.params().id);
        const [state, record] = await Promise.all([
          lifecycle.state(doc._id),
          ocdsRecordOf(store, doc._id, doc.createdAt),
          recordRead(store, req, actor.userId, { what: 'proposal', proposalId: doc._id }),
        ]);
        const uri = `${config.publicUrl}/api/proposals/${encodeURIComponent(doc._id)}/ocds`;
        res.json(ocdsReleasePackage(doc._id, doc.content as Proposal, state, record, { ...config.ocds, packageUri: uri }));
      },
    }),
    route({
      id: 'getDecisionPaper',
      method: 'get',
      path: '/proposals/:id/decision-paper',
      summary: 'The decision paper (beslutningsoplæg), latest or ?version=n; JSON, or Markdown with `Accept: text/markdown`',
      params: idParam,
      query: decisionPaperQuery,
      replies: {
        200: { description: 'the paper', schema: decisionPaperReply, alternative: { type: 'text/markdown', schema: z.string() } },
      },
      errors: [404],
      handle: async (req, res, input) => {
        const actor = actorOf(req);
        const { version } = input.query();
        const { id } = input.params();
        await load(id);
        const [paper] = await Promise.all([
          store.decisionPapers
            .findOne({ proposalId: id, ...(version ? { version } : {}) })
            .sort({ version: -1 })
            .lean(),
          recordRead(store, req, actor.userId, { what: 'proposal', proposalId: id }),
        ]);
        if (!paper) throw notFound('decisionPaper', version ? String(version) : undefined);
        if (req.accepts(['application/json', 'text/markdown']) === 'text/markdown') {
          res.type('text/markdown; charset=utf-8').send(paper.markdown);
          return;
        }
        res.json({
          proposalId: paper.proposalId,
          version: paper.version,
          createdAt: paper.createdAt,
          paper: decisionPaperView(paper.paper as DecisionPaper),
          markdown: paper.markdown,
        });
      },
    }),
  ];
}

/** A filtered list reads every proposal the filter matches (an indexed stage, or all for the content's fields). */
async function filteredPage(store: Store, filter: Record<string, string>, page: number, pageSize: number) {
  const [total, docs] = await Promise.all([
    store.proposals.countDocuments(filter),
    store.proposals
      .find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .skip((page - 1) * pageSize)
      .limit(pageSize)
      .lean(),
  ]);
  return { total, docs };
}

/** How the case's workflow was stopped outside the application, with the fund's hold on it then in DKK. */
function stoppedView(s: StoppedByOperator) {
  return {
    at: s.at,
    status: s.status,
    fromStage: s.fromStage,
    reason: s.reason ?? null,
    identity: s.identity ?? null,
    runId: s.runId ?? null,
    reserved: formatDkk(s.reservedOre),
    earmarked: formatDkk(s.earmarkedOre),
  };
}

function agreementTerms({ savingsShare, conditions }: CooperationAgreement): CooperationAgreement {
  return { savingsShare, conditions };
}

/** A completed task's input or a procurement or contracting step in the timeline, with its money shown as DKK. */
function eventDetailsView(type: string, details: unknown, kindOf: Map<string, string>) {
  const d = details as { taskId?: string; input?: unknown } | undefined;
  if (d?.input === undefined) return details;
  if (d.taskId) return { ...d, input: taskInputView(kindOf.get(d.taskId) ?? '', d.input) };
  return { ...d, input: stepInputView(type, d.input) };
}
