import type { UpdateDefinition } from '@temporalio/common';
import { Router } from 'express';
import { z } from 'zod';
import { issueText, type Issue } from '../../domain/issues';
import { reasonText } from '../../domain/freeText';
import { formatDkk } from '../../domain/money';
import { paramsOf } from '../../domain/codes';
import type { Store, StoppedByOperator } from '../../store';
import { ocdsRecordOf } from '../../store/ocdsRecord';
import { proposalListPage } from '../../store/proposalList';
import type { Config } from '../../config';
import { missingForSubmission } from '../../domain/completeness';
import type { DecisionPaper } from '../../domain/decisionPaper';
import { proposalSchema, type Proposal } from '../../domain/proposal';
import type { CooperationAgreement } from '../../domain/cooperationAgreement';
import type { Actor } from '../../domain/people';
import { fundingTracks, stages, welfareAreas, type Stage } from '../../domain/stages';
import { contractingActionInput } from '../../domain/contract';
import { ocdsReleasePackage } from '../../domain/ocds';
import { councilRoundsFor, mayReadProcurement, openCouncilRounds, procurementFor, timelineFor } from '../../domain/accessPolicy';
import { procurementActionInput } from '../../domain/procurementInput';
import { contractingUpdate, procurementUpdate, submitUpdate, withdrawUpdate } from '../../workflows/messages';
import { requireRole, actorOf } from '../auth';
import type { LifecycleClient } from '../lifecycle';
import { createProposal, directFinancingRefusal, reviseProposal } from '../proposalCreation';
import { resultsView } from '../resultsView';
import { badRequest, HttpProblem, notFound, parseBody } from '../problem';
import { recordRead } from '../accessLog';
import { readProposal } from '../proposalRead';
import { taskView } from './tasks';
import { decisionPaperView, oreFieldsAsDkk, proposalContentView, stepInputView, taskInputView } from '../views';

export const withdrawSchema = z.strictObject({ reason: reasonText });

export const listQuerySchema = z.strictObject({
  stage: z.enum(stages).optional(),
  welfareArea: z.enum(welfareAreas).optional(),
  fundingTrack: z.enum(fundingTracks).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export function proposalRoutes(config: Config, store: Store, lifecycle: LifecycleClient) {
  const router = Router();
  const departments = new Set(config.people.departments.map((d) => d.code));

  function parseProposal(body: unknown): Proposal {
    const proposal = parseBody(proposalSchema, body);
    if (!departments.has(proposal.responsibleDepartment)) {
      const unknown: Issue = { code: 'unknownDepartment', departments: [...departments] };
      throw badRequest([{ field: 'responsibleDepartment', code: unknown.code, message: issueText(unknown), params: paramsOf(unknown) }]);
    }
    return proposal;
  }

  async function load(id: string) {
    const doc = await store.proposals.findById(id).lean();
    if (!doc) throw notFound('proposal', id);
    return doc;
  }

  router.post('/proposals', async (req, res) => {
    const actor = requireRole(req, 'secretariat');
    const proposal = parseProposal(req.body);
    const id = await createProposal({ config, store, lifecycle }, actor.userId, proposal);
    res
      .status(201)
      .location(`/api/proposals/${id}`)
      .json({ id, stage: 'Motivation', proposal: proposalContentView(proposal) });
  });

  router.get('/proposals', async (req, res) => {
    actorOf(req);
    const q = parseBody(listQuerySchema, req.query);
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
  });

  router.get('/proposals/:id', async (req, res) => {
    const reader = actorOf(req);
    const { doc, tasks, events, results, live } = await readProposal(store, lifecycle, req, reader, req.params.id);
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
      stoppedByOperator: doc.stoppedByOperator ? stoppedView(doc.stoppedByOperator) : null,
      proposal: proposalContentView(doc.content as Proposal),
      revision: doc.revision,
      createdBy: doc.createdBy,
      createdAt: doc.createdAt,
      openTasks: tasks.filter((t) => t.status === 'open').map(taskView),
      tasks: tasks.map(taskView),
      rounds: councilRoundsFor(reader, state?.rounds ?? [], openRounds),
      mayoralDecision: state?.mayoralDecision ?? null,
      cooperationAgreement: state?.cooperationAgreement
        ? { ...(taskInputView('cooperationAgreement', agreementTerms(state.cooperationAgreement)) as object), by: state.cooperationAgreement.by, at: state.cooperationAgreement.at }
        : null,
      procurement: state?.procurement && mayReadProcurement(reader) ? oreFieldsAsDkk(procurementFor(reader, state.procurement)) : null,
      contracting: state?.contracting ? oreFieldsAsDkk(state.contracting) : null,
      grant: state?.grant ? oreFieldsAsDkk(state.grant) : null,
      // From the read model and the ledger, so it answers while the workflow cannot be asked.
      results: results ? resultsView(results) : null,
      closure: state?.closure ?? null,
      timeline: timelineFor(reader, events, tasks).map((e) => ({ type: e.type, at: e.at, by: e.by ?? null, details: eventDetailsView(e.type, e.details, kindOf) })),
      temporal: { workflowId: doc.workflowId, url: `${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows/${doc.workflowId}` },
    });
  });

  router.put('/proposals/:id', async (req, res) => {
    const actor = requireRole(req, 'secretariat');
    const proposal = parseProposal(req.body);
    await load(req.params.id);
    await reviseProposal({ store, lifecycle }, actor, req.params.id, proposal);
    res.json({ id: req.params.id, stage: 'Motivation', proposal: proposalContentView(proposal) });
  });

  router.post('/proposals/:id/submit', async (req, res) => {
    const actor = requireRole(req, 'secretariat');
    parseBody(z.strictObject({}), req.body);
    const doc = await load(req.params.id);
    const missing = missingForSubmission(doc.content as Proposal);
    if (missing.length > 0) {
      throw new HttpProblem(422, 'The proposal is not complete', { code: 'incomplete' }, { missing });
    }
    const aboveCeiling = directFinancingRefusal(config, doc.content as Proposal);
    if (aboveCeiling) throw new HttpProblem(422, 'Above the ceiling for direct financing', aboveCeiling);
    const { stage } = await lifecycle.update(doc._id, submitUpdate, { actor });
    res.json({ id: doc._id, stage });
  });

  router.post('/proposals/:id/withdraw', async (req, res) => {
    const actor = requireRole(req, 'secretariat');
    const { reason } = parseBody(withdrawSchema, req.body);
    await load(req.params.id);
    const { stage } = await lifecycle.update(req.params.id, withdrawUpdate, { actor, reason });
    res.json({ id: req.params.id, stage });
  });

  /** A secretariat's step after the award decisions: decoded, sent as an Update, answered with that part of the state. */
  function stepRoute<A, K extends 'procurement' | 'contracting'>(part: K, schema: z.ZodType<A>, update: UpdateDefinition<{ stage: Stage }, [{ actor: Actor; input: A }]>) {
    router.post(`/proposals/:id/${part}`, async (req, res) => {
      const { id } = req.params as { id: string };
      const actor = requireRole(req, 'secretariat');
      const input = parseBody(schema, req.body);
      await load(id);
      const { stage } = await lifecycle.update(id, update, { actor, input });
      const state = await lifecycle.state(id);
      const shown = part === 'procurement' && state.procurement ? procurementFor(actor, state.procurement) : state[part];
      res.json({ id, stage, [part]: oreFieldsAsDkk(shown) });
    });
  }
  stepRoute('procurement', procurementActionInput, procurementUpdate);
  stepRoute('contracting', contractingActionInput, contractingUpdate);

  router.get('/proposals/:id/ocds', async (req, res) => {
    const actor = actorOf(req);
    const doc = await load(req.params.id);
    const [state, record] = await Promise.all([
      lifecycle.state(doc._id),
      ocdsRecordOf(store, doc._id),
      recordRead(store, req, actor.userId, { what: 'proposal', proposalId: doc._id }),
    ]);
    const uri = `${config.publicUrl}/api/proposals/${encodeURIComponent(doc._id)}/ocds`;
    res.json(ocdsReleasePackage(doc._id, doc.content as Proposal, state, record, { ...config.ocds, packageUri: uri }));
  });

  router.get('/proposals/:id/decision-paper', async (req, res) => {
    const actor = actorOf(req);
    const { version } = parseBody(z.strictObject({ version: z.coerce.number().int().min(1).optional() }), req.query);
    await load(req.params.id);
    const [paper] = await Promise.all([
      store.decisionPapers
        .findOne({ proposalId: req.params.id, ...(version ? { version } : {}) })
        .sort({ version: -1 })
        .lean(),
      recordRead(store, req, actor.userId, { what: 'proposal', proposalId: req.params.id }),
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
  });

  return router;
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
