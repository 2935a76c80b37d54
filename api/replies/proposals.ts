import { z } from 'zod';
import { proposalSchema } from '../../domain/proposal';
import { fundingTracks, stages, welfareAreas } from '../../domain/stages';
import { caseResultsSchema } from '../resultsView';
import { dkkText, instant, page, statePart } from './common';
import { taskReply } from './tasks';

/** A proposal's content as it was sent, money in DKK. */
export const proposalContent = proposalSchema;

export const proposalListItem = z.looseObject({
  id: z.string(),
  title: z.string(),
  stage: z.enum(stages),
  welfareArea: z.enum(welfareAreas),
  fundingTrack: z.enum(fundingTracks),
  responsibleDepartment: z.string(),
  requestedFromFund: dkkText.nullable(),
  createdAt: instant,
});
export const proposalListReply = page(proposalListItem);

/** What a draft's creation and revision answer. */
export const draftReply = z.looseObject({
  id: z.string(),
  stage: z.enum(stages),
  revision: z.number().int().describe('the revision saved; send it back as `If-Match: "<revision>"` with the next revision'),
  proposal: proposalContent,
});
/** What a step that moves the case answers. */
export const stageReply = z.looseObject({ id: z.string(), stage: z.enum(stages) });
export const procurementReply = stageReply.extend({ procurement: statePart('the procurement after the step (DKK)').nullable() });
export const contractingReply = stageReply.extend({ contracting: statePart('the contracting after the step (DKK)').nullable() });

const timelineEntry = z.looseObject({
  type: z.string().describe('created, stageChanged, taskOpened, taskCompleted, procurement.<action>, contracting.<action>, …'),
  at: instant,
  by: z.string().nullable(),
  details: z.unknown().describe("a step's or a completed task's input as it was sent (DKK), under `input`").optional(),
});

export const proposalReply = z.looseObject({
  id: z.string(),
  stage: z.enum(stages),
  live: z.boolean().describe('whether the workflow answered (otherwise the read model did)'),
  liveUnavailable: z
    .enum(['workflowTimedOut', 'workflowNotFound', 'temporalUnreachable', 'stoppedByOperator'])
    .nullable()
    .describe(
      'why the read model answered alone: then the council rounds, decisions, procurement, contract, grant and closure are absent (empty or null), not known to be empty; workflowTimedOut means ask again',
    ),
  stoppedByOperator: z
    .looseObject({
      at: z.union([instant, z.string()]),
      status: z.string(),
      fromStage: z.string(),
      reason: z.string().nullable(),
      identity: z.string().nullable(),
      runId: z.string().nullable(),
      reserved: dkkText,
      earmarked: dkkText,
    })
    .nullable(),
  proposal: proposalContent,
  revision: z.int(),
  createdBy: z.string().optional(),
  createdAt: instant,
  openTasks: z.array(taskReply),
  tasks: z.array(taskReply),
  rounds: z.array(statePart('a council round: its votes (withheld while it is open) and outcome')),
  mayoralDecision: statePart("the mayor's decision").nullable(),
  cooperationAgreement: statePart('the savings share and conditions agreed with the department').nullable(),
  procurement: statePart('the procurement (DKK); sealed bids and scores withheld as the security model says').nullable(),
  contracting: statePart(
    'investor offers, the recommendations and the council decisions on them, the outcome contract and its signatures (DKK); for readers outside the secretariat, the council and operations `offersWithheld`: no offers, and each recommendation names its investor instead of comparing the offers',
  ).nullable(),
  grant: statePart('a direct grant: its tranches (DKK)').nullable(),
  results: caseResultsSchema.nullable().describe('null until a contract is signed or a grant agreed'),
  closure: statePart('how the case ended').nullable(),
  timeline: z.array(timelineEntry),
  temporal: z.looseObject({ workflowId: z.string(), url: z.string() }),
});

export const decisionPaperReply = z.looseObject({
  proposalId: z.string(),
  version: z.int().min(1),
  createdAt: instant,
  paper: statePart('the paper: the proposal, the fund, the council’s basis (DKK)'),
  markdown: z.string(),
});

/** An OCDS 1.1 release package; its full schema is the standard's. */
export const ocdsPackageReply = z
  .looseObject({
    uri: z.string(),
    version: z.literal('1.1'),
    publishedDate: z.string(),
    publisher: z.looseObject({ name: z.string() }),
    releases: z.array(z.looseObject({ ocid: z.string(), id: z.string(), date: z.string(), tag: z.array(z.string()) })),
  })
  .describe('Open Contracting Data Standard 1.1 release package: https://standard.open-contracting.org/1.1/en/schema/release_package/')
  .meta({ externalDocs: { url: 'https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json' } });
