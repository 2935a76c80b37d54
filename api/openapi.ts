import { z } from 'zod';
import { councilEvaluationInput, reportNarrativeInput } from '../domain/annualReportInput';
import { contractingActionInput } from '../domain/contract';
import { procurementActionInput } from '../domain/procurementInput';
import { proposalSchema } from '../domain/proposal';
import { taskInputSchemas } from '../domain/tasks';
import { caseResultsSchema, portfolioSchema } from './resultsView';
import { ledgerQuerySchema } from './routes/fund';
import { outboxQuerySchema } from './routes/outbox';
import { reportNoteSchema } from './routes/reports';
import { calendarQuery } from './routes/meetings';
import { agendaItemInput, cancelMeetingInput, meetingRecordInput, planMeetingInput } from '../domain/meetingInput';
import { accessLogQuerySchema } from './routes/accessLog';
import { listQuerySchema, withdrawSchema } from './routes/proposals';
import { portfolioCsvQuerySchema } from './routes/portfolio';
import { claimSchema, taskListQuerySchema } from './routes/tasks';
import { roleChangesQuerySchema, userListQuerySchema, userSchema, userUpdateSchema } from './routes/users';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

const problem = { description: 'Problem details (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
const unavailable = {
  description: 'A dependency (database, Temporal, workers) is down: try again after Retry-After seconds',
  headers: { 'Retry-After': { schema: { type: 'integer' } } },
  content: problem.content,
};
const errors = { 400: problem, 401: problem, 403: problem, 404: problem, 409: problem, 422: problem, 503: unavailable };
const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Any unique string (1–200 visible ASCII characters) per request: a retry with the same key gets the first answer again (header Idempotent-Replayed: true), never a second effect; the same key with another body is 422. Remembered 24 hours.',
  schema: { type: 'string', minLength: 1, maxLength: 200 },
};

/** Every POST and PUT under /api takes an Idempotency-Key. */
function withIdempotencyKeys<T extends object>(paths: T): T {
  for (const [path, ops] of Object.entries(paths) as [string, Record<string, { parameters?: unknown[] } | undefined>][]) {
    if (!path.startsWith('/api/') || path.startsWith('/api/health')) continue;
    for (const method of ['post', 'put'] as const) {
      const op = ops[method];
      if (op) op.parameters = [...(op.parameters ?? []), idempotencyKey];
    }
  }
  return paths;
}
const json = (ref: string) => ({ content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const ok = (description: string) => ({ description, content: { 'application/json': {} } });
const idParam = [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }];
const yearParam = [{ name: 'year', in: 'path', required: true, schema: { type: 'integer' } }];

function queryParams(s: z.ZodObject) {
  const js = schema(s) as { properties: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties).map(([name, p]) => ({ name, in: 'query', required: js.required?.includes(name) ?? false, schema: p }));
}

/** OpenAPI 3.1, generated from the same zod schemas that validate the requests. */
export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Social Investment Fund API',
      version: '0.1.0',
      description: 'Casework of a municipal Social Investment Fund (Den Sociale Investeringsfond). Money is DKK with at most two decimals, held as whole øre.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Proposal: schema(proposalSchema),
        Withdrawal: schema(withdrawSchema),
        ProcurementAction: schema(procurementActionInput),
        ContractingAction: schema(contractingActionInput),
        ReportNarrative: schema(reportNarrativeInput),
        CouncilEvaluation: schema(councilEvaluationInput),
        ReportNote: schema(reportNoteSchema),
        // Council meetings (api/routes/meetings.ts)
        MeetingPlan: schema(planMeetingInput()),
        AgendaItem: schema(agendaItemInput),
        MeetingRecord: schema(meetingRecordInput),
        MeetingCancellation: schema(cancelMeetingInput),
        User: schema(userSchema),
        UserUpdate: schema(userUpdateSchema),
        ...Object.fromEntries(Object.entries(taskInputSchemas).map(([kind, s]) => [`TaskInput_${kind}`, schema(s)])),
        CaseResults: schema(caseResultsSchema),
        Portfolio: schema(portfolioSchema),
        ProposalView: {
          type: 'object',
          description: 'A proposal as GET /api/proposals/{id} answers; money is DKK strings throughout',
          properties: {
            id: { type: 'string' },
            stage: { type: 'string' },
            live: { type: 'boolean', description: 'whether the workflow answered (otherwise the read model did)' },
            liveUnavailable: {
              enum: ['workflowTimedOut', 'workflowNotFound', 'temporalUnreachable', 'stoppedByOperator', null],
              description:
                'why the read model answered alone: then the council rounds, decisions, procurement, contract, grant and closure are absent (empty or null), not known to be empty; workflowTimedOut means ask again',
            },
            proposal: { $ref: '#/components/schemas/Proposal' },
            results: { oneOf: [{ $ref: '#/components/schemas/CaseResults' }, { type: 'null' }], description: 'null until a contract is signed or a grant agreed' },
            timeline: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  type: { type: 'string', description: 'created, stageChanged, taskOpened, taskCompleted, procurement.<action>, contracting.<action>, …' },
                  at: { type: 'string' },
                  by: { type: ['string', 'null'] },
                  details: { type: 'object', description: "a step's or a completed task's input as it was sent (DKK), under `input`" },
                },
              },
            },
          },
          additionalProperties: true,
        },
        Problem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string', description: 'the refusal in English, for people' },
            code: { type: 'string', description: 'what was refused, as a stable code (domain/refusals.ts); translate by this, never by detail' },
            params: { type: 'object', description: "the code's parameters" },
            errors: {
              type: 'array',
              items: {
                type: 'object',
                properties: { field: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' }, params: { type: 'object' } },
              },
            },
            missing: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
    paths: withIdempotencyKeys({
      '/api/health': {
        get: {
          summary: 'Each part casework needs (database, Temporal, workers polling) and the outbox and annual-report Schedule, within 2 s',
          security: [],
          responses: { 200: ok('ready'), 503: ok('a part casework needs is down (Retry-After)') },
        },
      },
      '/api/health/ready': {
        get: { summary: 'The same as /api/health, for orchestrators', security: [], responses: { 200: ok('ready'), 503: ok('a part casework needs is down (Retry-After)') } },
      },
      '/api/health/live': { get: { summary: 'The API process answers', security: [], responses: { 200: ok('alive') } } },
      '/api/proposals': {
        post: { summary: 'Create a draft proposal and start its lifecycle workflow (secretariat)', requestBody: json('Proposal'), responses: { 201: ok('created'), ...errors } },
        get: { summary: 'List proposals, newest first, filtered and paged, with the total', parameters: queryParams(listQuerySchema), responses: { 200: ok('a page'), ...errors } },
      },
      '/api/proposals/{id}': {
        get: {
          summary:
            "A proposal with live stage, tasks, council rounds and timeline; sealed bids, scores before the award and ballots of an open round withheld (README, Security model); a signed contract's or agreed grant's results",
          parameters: idParam,
          responses: { 200: { description: 'the proposal', ...json('ProposalView') }, ...errors },
        },
        put: { summary: 'Revise the draft (secretariat, Motivation only)', parameters: idParam, requestBody: json('Proposal'), responses: { 200: ok('revised'), ...errors } },
      },
      '/api/proposals/{id}/submit': {
        post: { summary: 'Send a complete proposal to the council (secretariat)', parameters: idParam, responses: { 200: ok('submitted'), ...errors } },
      },
      '/api/proposals/{id}/withdraw': {
        post: { summary: 'Withdraw with a reason (secretariat)', parameters: idParam, requestBody: json('Withdrawal'), responses: { 200: ok('withdrawn'), ...errors } },
      },
      '/api/proposals/{id}/procurement': {
        post: {
          summary:
            'A procurement step (secretariat): decideProcedure, prepareTender, publishTender, registerBid, evaluate, recommendAward, recommendDirectAward (each to the council, whose approval makes the award), recordComplaint, resolveComplaint, retender, cancelTender',
          parameters: idParam,
          requestBody: json('ProcurementAction'),
          responses: { 200: ok('the procurement after the step'), ...errors },
        },
      },
      '/api/proposals/{id}/contracting': {
        post: {
          summary: 'After the award (secretariat): registerInvestorOffer, recommendInvestor (to the council), proposeContract',
          parameters: idParam,
          requestBody: json('ContractingAction'),
          responses: { 200: ok('the contracting after the step'), ...errors },
        },
      },
      '/api/proposals/{id}/ocds': {
        get: {
          summary:
            'The proposal as an Open Contracting Data Standard 1.1.5 release package: one release, the case after its latest change (id and date stable until the next); tenderers only once the bid window has closed',
          parameters: idParam,
          responses: { 200: ok('release package'), ...errors },
        },
      },
      '/api/proposals/{id}/decision-paper': {
        get: { summary: 'The decision paper (beslutningsoplæg), latest or ?version=n; JSON or text/markdown', parameters: idParam, responses: { 200: ok('the paper'), ...errors } },
      },
      '/api/tasks': {
        get: {
          summary: 'Tasks, by default my own (assignee=me); assignee=pool lists unheld tasks my roles may take; by due date, paged, with the total',
          parameters: queryParams(taskListQuerySchema),
          responses: { 200: ok('tasks'), ...errors },
        },
      },
      '/api/tasks/{id}': {
        get: {
          summary: "One task with its proposal; another member's ballot in an open council round has `input: null, withheld: true`",
          parameters: idParam,
          responses: { 200: ok('the task'), ...errors },
        },
      },
      '/api/tasks/{id}/complete': {
        post: {
          summary: 'Complete a task; the body is the TaskInput_<kind> schema of the task',
          parameters: idParam,
          requestBody: {
            content: {
              'application/json': { schema: { oneOf: Object.keys(taskInputSchemas).map((k) => ({ $ref: `#/components/schemas/TaskInput_${k}` })) } },
            },
          },
          responses: { 200: ok('completed'), ...errors },
        },
      },
      '/api/tasks/{id}/claim': {
        post: {
          summary: 'Take a pooled task (secretariat case work), from the pool or from a colleague; `from` is the holder you saw',
          parameters: idParam,
          requestBody: { content: { 'application/json': { schema: schema(claimSchema) } } },
          responses: { 200: ok('the task, now mine'), ...errors },
        },
      },
      '/api/tasks/{id}/release': {
        post: { summary: 'Hand a pooled task I hold back to the pool; the role is notified', parameters: idParam, responses: { 200: ok('the task, unassigned'), ...errors } },
      },
      '/api/fund': { get: { summary: 'The fund: capital, reserved, paid, granted, returned, free (DKK)', responses: { 200: ok('balances'), ...errors } } },
      '/api/fund/outlook': {
        get: {
          summary: 'Year by year for at least ten years: payments, grants, savings returned, free balance, the year it runs dry; ?with=<proposal> adds a proposal under decision',
          parameters: [{ name: 'with', in: 'query', required: false, schema: { type: 'string' } }],
          responses: { 200: ok('the outlook without (and with) the proposal'), ...errors },
        },
      },
      '/api/fund/ledger': {
        get: { summary: 'The ledger, newest first, filtered and paged', parameters: queryParams(ledgerQuerySchema), responses: { 200: ok('entries'), ...errors } },
      },
      '/api/reports/{year}': {
        get: {
          summary:
            "The year's annual report: status, version, the figures (DKK), the secretariat's text, the evaluation of the council's work, what the text still lacks (missing), the council's rounds (each member's task and answer), Markdown, history",
          parameters: yearParam,
          responses: { 200: ok('the report'), ...errors },
        },
        post: {
          summary: "Start the annual report by hand for a closed year within the fund's life (secretariat); another year is 400 closedFundYear",
          parameters: yearParam,
          responses: { 202: ok('started'), ...errors },
        },
      },
      '/api/reports/{year}/narrative': {
        put: {
          summary: "The secretariat's text in the draft: overall assessment, a commentary per project, answers to the council's comments (secretariat; while drafting, else 409)",
          parameters: yearParam,
          requestBody: json('ReportNarrative'),
          responses: { 200: ok('saved, with what is still missing'), ...errors },
        },
      },
      '/api/reports/{year}/evaluation': {
        put: {
          summary: "The evaluation of the council's work, laid before the city council with the report; empty removes it (secretariat; until the report is sent)",
          parameters: yearParam,
          requestBody: json('CouncilEvaluation'),
          responses: { 200: ok('saved'), ...errors },
        },
      },
      '/api/reports/{year}/submit': {
        post: {
          summary: 'Send the drafted report to the council: a task for each member (secretariat); 422 with missing while the text is incomplete',
          parameters: yearParam,
          requestBody: json('ReportNote'),
          responses: { 200: ok('the progress'), ...errors },
        },
      },
      '/api/reports/{year}/redraft': {
        post: {
          summary: 'Redraft a report the council returned, as a new version (secretariat)',
          parameters: yearParam,
          requestBody: json('ReportNote'),
          responses: { 200: ok('the progress'), ...errors },
        },
      },
      '/api/reports/{year}/sent': {
        post: {
          summary: 'Mark a report the council approved as sent to the city council (secretariat)',
          parameters: yearParam,
          requestBody: json('ReportNote'),
          responses: { 200: ok('the progress'), ...errors },
        },
      },
      // Council meetings (api/routes/meetings.ts): read by the council, the secretariat, the mayor and operators.
      '/api/meetings': {
        get: {
          summary: 'The meeting calendar from a day on (default: the last three months and all ahead), soonest first',
          parameters: queryParams(calendarQuery),
          responses: { 200: ok('meetings'), ...errors },
        },
        post: {
          summary:
            'Plan a council meeting or the dialogue meeting with the Magistrate: when, and a place or a video link (secretariat); the agenda goes out council.agendaNotice before it',
          requestBody: json('MeetingPlan'),
          responses: { 201: ok('the planned meeting'), ...errors },
        },
      },
      '/api/meetings/{id}': {
        get: {
          summary: 'A meeting: status, agenda with each decision paper, the record and the minutes once recorded',
          parameters: idParam,
          responses: { 200: ok('the meeting'), ...errors },
        },
      },
      '/api/meetings/{id}/items': {
        post: {
          summary:
            "Put a case awaiting the council on the agenda: a proposal in CouncilDecision, or the annual report (secretariat); 409 notAwaitingCouncil, alreadyOnAgenda, meetingNotOpen. In meeting voting the proposal's vote tasks open now",
          parameters: idParam,
          requestBody: json('AgendaItem'),
          responses: { 200: ok('the meeting'), ...errors },
        },
      },
      '/api/meetings/{id}/record': {
        post: {
          summary:
            "Record attendance and each item's decision with any conflicts of interest, at or after the meeting (secretariat); the decision must be the one the members' votes gave (409 decisionDiffersFromVotes), or postponed while they have not (409 votesOutstanding). The chair gets the minutes to approve",
          parameters: idParam,
          requestBody: json('MeetingRecord'),
          responses: { 200: ok('the recorded meeting'), ...errors },
        },
      },
      '/api/meetings/{id}/cancel': {
        post: {
          summary: 'Cancel a meeting not yet recorded (secretariat)',
          parameters: idParam,
          requestBody: json('MeetingCancellation'),
          responses: { 200: ok('the cancelled meeting'), ...errors },
        },
      },
      '/api/meetings/{id}/minutes': {
        get: {
          summary: "The minutes (referat) generated from the record, with the chair's approval once given; 404 before the meeting is recorded",
          parameters: idParam,
          responses: { 200: ok('the minutes'), ...errors },
        },
      },
      '/api/portfolio': {
        get: {
          summary:
            'Every contract and grant the fund has reserved money for: stage, effect so far against the targets, paid against the cap, savings returned, what comes due next; next due first (secretariat, council, mayor)',
          responses: { 200: { description: 'the portfolio', ...json('Portfolio') }, ...errors },
        },
      },
      '/api/portfolio.csv': {
        get: {
          summary:
            "The portfolio as CSV: UTF-8 with BOM, CRLF, a header row; Danish (default) with ';' and decimal comma, English with ',' and decimal point (secretariat, council, mayor)",
          parameters: queryParams(portfolioCsvQuerySchema),
          responses: { 200: { description: 'the CSV file', content: { 'text/csv': { schema: { type: 'string' } } } }, ...errors },
        },
      },
      '/api/outbox': {
        get: {
          summary: 'The notifications outbox, newest first, with counts per status: pending, sending, sent, failed, skipped, unconfigured (secretariat, operator)',
          parameters: queryParams(outboxQuerySchema),
          responses: { 200: ok('entries'), ...errors },
        },
      },
      '/api/outbox/{id}/retry': {
        post: {
          summary: 'Send a pending or failed notification now, with a fresh give-up limit (secretariat, operator); 409 while it is being sent or once sent',
          parameters: idParam,
          responses: { 200: ok('the entry, due now'), ...errors },
        },
      },
      '/api/access-log': {
        get: {
          summary:
            'Who read which personal data and when (a proposal, a task, the ledger, the user list, the outbox; through the API or the pages), newest first, by reader (`user`) or case (`case`); never the content (operator, dataProtectionOfficer)',
          parameters: queryParams(accessLogQuerySchema),
          responses: { 200: ok('entries'), ...errors },
        },
      },
      '/api/me': { get: { summary: 'Who I am: user id, roles, department', responses: { 200: ok('me'), ...errors } } },
      '/api/users': {
        get: {
          summary: 'People and roles, by id, paged, with the total (secretariat, administrator; operators without e-mail addresses)',
          parameters: queryParams(userListQuerySchema),
          responses: { 200: ok('users'), ...errors },
        },
        post: {
          summary: 'Add a person (administrator)',
          requestBody: json('User'),
          responses: { 201: ok('created'), ...errors },
        },
      },
      '/api/users/{id}': {
        put: {
          summary:
            "Change a person: roles, department, active (administrator, never one's own: 403 ownRoles; 409 lastHolder when a role the process needs would be left short). Their open tasks that need a role they lost move to its holder now (`movedTasks`)",
          parameters: idParam,
          requestBody: json('UserUpdate'),
          responses: { 200: ok('updated, with the tasks moved'), ...errors },
        },
      },
      '/api/role-changes': {
        get: {
          summary: 'Every change of roles, department or standing, newest first: who, when, before, after (operator, administrator)',
          parameters: queryParams(roleChangesQuerySchema),
          responses: { 200: ok('changes'), ...errors },
        },
      },
    }),
  };
}
