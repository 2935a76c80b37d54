import mongoose, { Schema, type Connection } from 'mongoose';
import type { ReportStatus } from '../domain/annualReport';
import type { ReportNarrative } from '../domain/annualReportInput';
import type { EntryKind, FundBalances } from '../domain/ledger';
import type { OutboxStatus } from '../domain/outbox';
import type { Reason } from '../domain/refusals';
import type { ReadChannel, ReadKind } from '../domain/accessLog';
import type { Meeting } from '../domain/meeting';
import type { PersonalDataKind } from '../domain/personalData';
import type { Commitment, OutlookTerms } from '../domain/commitment';
import type { ActualByYear } from '../domain/outlook';

// The subset both MongoDB and FerretDB v1 support: single-document atomic updates,
// unique indexes, plain finds. No transactions, $lookup, $facet, TTL or Decimal128.
// Money is stored as whole øre in plain numbers (exact below 2^53).

/** Marks a field that holds personal data, of which kind: docs/records-of-processing.md lists each (a test checks). */
const personal = (kind: PersonalDataKind) => ({ personal: kind });

export interface UserDoc {
  _id: string;
  name: string;
  email: string;
  roles: string[];
  department?: string;
  /** The language of their mail; Danish when unset. */
  language?: string;
  active: boolean;
}
/** One change of a person's roles, department or standing (active), as it was made: who, when, before and after. */
export interface RoleChangeDoc {
  _id: string;
  userId: string;
  /** The administrator who made it, or `configuration` for a person seeded from people.json. */
  by: string;
  at: Date;
  /** null: the person was created by this change. */
  before: PersonStanding | null;
  after: PersonStanding;
  /**
   * The e-mail address changed. The Temporal UI's sign-in knows an operator by it
   * (api/codecServer.ts), so a change is on record; which addresses is not, since IT
   * operations read the record and not the addresses.
   */
  emailChanged?: true;
}
export interface PersonStanding {
  roles: string[];
  department: string | null;
  active: boolean;
}
export interface ProposalDoc {
  _id: string;
  workflowId: string;
  content: unknown;
  revision: number;
  stage: string;
  stageSeq: number;
  stageChangedAt?: Date;
  createdBy?: string;
  createdAt?: Date;
  updatedAt?: Date;
  /** The run of its workflow the reconciler last saw: another run is a continue-as-new or an operator's reset. */
  runId?: string;
  /** When the reconciler first found no workflow for it; a later pass that does find one clears it. */
  workflowMissingSince?: Date;
  /** Set when its workflow was closed outside the application (worker/reconciler.ts); the read model moves no further. */
  stoppedByOperator?: StoppedByOperator;
  /** false until the list numbers it (store/proposalList.ts): its place, from 1 in the order of creation, and its bucket. */
  listed?: boolean;
  ordinal?: number;
  listBucket?: number;
}
/** What the reconciler found when a case's workflow was closed in the Temporal UI or CLI rather than by the case itself. */
export interface StoppedByOperator {
  at: Date;
  /** Temporal's status of the run: Terminated, Canceled, Failed, TimedOut, or NotFound (deleted). */
  status: string;
  runId?: string;
  /** The stage the read model showed when the workflow stopped. */
  fromStage: string;
  /** The termination's reason and the identity that gave it, as Temporal recorded them. */
  reason?: string;
  identity?: string;
  /** What the fund held for the case then (øre): the secretariat's review decides on it. */
  reservedOre: number;
  earmarkedOre: number;
  /** Every step of the stop is done (tasks cancelled, timeline, review started). */
  settled: boolean;
}
/** A revised proposal the API stored before asking the workflow to adopt it; deleted once adopted or refused. */
export interface DraftDoc {
  _id: string;
  proposalId: string;
  content: unknown;
  by: string;
}
export interface TaskDoc {
  _id: string;
  proposalId: string;
  kind: string;
  title?: string;
  /** null while the task waits in its role's pool. */
  assignee: string | null;
  assignments?: number;
  /** The role whoever answers must hold when they answer, and for a department's task the department. */
  role?: string;
  department?: string;
  round?: number;
  dueAt: Date;
  status: string;
  overdue: boolean;
  openedAt?: Date;
  completedBy?: string;
  completedAt?: Date;
  input?: unknown;
  /** A Reason (code and parameters); tasks cancelled before reasons had codes hold English text. */
  cancelReason?: Reason | string;
  /** The workflow that answers for the task when it is not the proposal's own (a stopped case's review). */
  workflowId?: string;
}
export interface EventDoc {
  _id: string;
  proposalId: string;
  type: string;
  at: Date;
  by?: string;
  details?: unknown;
}
export interface DecisionPaperDoc {
  _id: string;
  proposalId: string;
  version: number;
  createdAt: Date;
  paper: unknown;
  markdown: string;
}
export interface OutboxDoc {
  _id: string;
  channel: 'email' | 'webhook';
  event: string;
  proposalId?: string;
  taskId?: string;
  userId?: string;
  to?: string;
  /** The recipient's name, for the e-mail's To header. */
  toName?: string;
  subject?: string;
  body: string;
  link?: string;
  status: OutboxStatus;
  createdAt: Date;
  sentAt?: Date;
  /** Every delivery attempt, for the record. */
  attempts: number;
  /** Failed attempts in a row since `retryFrom`: the backoff's exponent. */
  failures?: number;
  /** Due for (another) attempt; while `sending`, when the claim's lease runs out. */
  nextAttemptAt?: Date;
  /** Where the give-up limit counts from: the notification, or the last manual retry. */
  retryFrom?: Date;
  /** When its delivery was given up (`failed`): kept for an operator to retry for the retention period from then. */
  failedAt?: Date;
  /** The number of the last claim on this entry (see store/outbox.ts). */
  claims?: number;
  /** A reminder or escalation: who held the task when it was written; reassigned, it is not sent. */
  taskAssignee?: string | null;
  lastError?: string;
  /** Why it was not sent (a code the pages word); entries skipped before it was kept say it in `lastError`. */
  skipReason?: Reason;
  /** The language its subject and text are in: the recipient's; Danish on entries from before it was kept. */
  language?: 'da' | 'en';
}

/**
 * One claim on one outbox entry: `_id` is `<entry>#<n>`, so of two deliverers
 * claiming the same entry at once only one can insert it.
 */
export interface OutboxClaimDoc {
  _id: string;
  entryId: string;
  n: number;
  holder: string;
  leaseUntil: Date;
  released: boolean;
  at: Date;
}

/** One entry of the fund's append-only books, with the balances after it. */
export interface LedgerEntryDoc {
  _id: string; // the idempotency key
  seq: number; // unique: the place in the chain
  kind: EntryKind;
  amountOre: number;
  proposalId?: string;
  fromReservation: boolean;
  /** A reservation's share that was the proposal's earmark. */
  fromEarmarkOre?: number;
  counterpart?: string;
  date: Date;
  reason: string;
  by: string;
  createdAt: Date;
  balancesAfter: FundBalances;
  reservedByProposalAfter: Record<string, number>;
  /** Absent on entries from before earmarks existed. */
  earmarkedByProposalAfter?: Record<string, number>;
  /** Paid, granted and returned per calendar year up to this entry, for the outlook; absent on entries from before it was kept. */
  actualByYearAfter?: ActualByYear;
}

const userSchema = new Schema<UserDoc>(
  {
    _id: { type: String, ...personal('userId') },
    name: { type: String, required: true, ...personal('contact') },
    email: { type: String, required: true, ...personal('contact') },
    roles: { type: [String], required: true, ...personal('roles') },
    department: { type: String, ...personal('roles') },
    language: String,
    active: { type: Boolean, default: true, ...personal('roles') },
  },
  { timestamps: true, versionKey: false },
);

const roleChangeSchema = new Schema<RoleChangeDoc>(
  {
    _id: String,
    userId: { type: String, required: true, ...personal('userId') },
    by: { type: String, required: true, ...personal('userId') },
    at: { type: Date, required: true },
    before: { type: Schema.Types.Mixed, ...personal('roles') },
    after: { type: Schema.Types.Mixed, required: true, ...personal('roles') },
    emailChanged: Boolean,
  },
  { versionKey: false, minimize: false },
);
roleChangeSchema.index({ at: -1 });
roleChangeSchema.index({ userId: 1, at: -1 });

const proposalSchema = new Schema<ProposalDoc>(
  {
    _id: String,
    workflowId: { type: String, required: true },
    content: { type: Schema.Types.Mixed, required: true, ...personal('writtenText') },
    /** Raised by each saved revision; an older retry never overwrites a newer draft. */
    revision: { type: Number, default: 0 },
    stage: { type: String, required: true },
    /** Raised by each stage change; the read model never moves back to an older stage. */
    stageSeq: { type: Number, default: 0 },
    stageChangedAt: Date,
    createdBy: { type: String, ...personal('userId') },
    runId: String,
    workflowMissingSince: Date,
    stoppedByOperator: { type: Schema.Types.Mixed, ...personal('userId') },
    listed: { type: Boolean, default: false },
    ordinal: Number,
    listBucket: Number,
  },
  { timestamps: true, versionKey: false, minimize: false },
);
proposalSchema.index({ stage: 1, createdAt: -1 });
proposalSchema.index({ listed: 1 });
proposalSchema.index({ listBucket: 1, ordinal: 1 });

/** Counts kept rather than computed (FerretDB reads every document to count): `proposals`, the listed proposals. */
const listingSchema = new Schema<{ _id: string; count: number }>({ _id: String, count: { type: Number, required: true } }, { versionKey: false });

const draftSchema = new Schema<DraftDoc>(
  {
    _id: String,
    proposalId: { type: String, required: true },
    content: { type: Schema.Types.Mixed, required: true, ...personal('writtenText') },
    by: { type: String, required: true, ...personal('userId') },
  },
  { timestamps: true, versionKey: false, minimize: false },
);

const taskSchema = new Schema<TaskDoc>(
  {
    _id: String,
    proposalId: { type: String, required: true },
    kind: { type: String, required: true },
    title: String,
    assignee: { type: String, default: null, ...personal('userId') },
    assignments: Number,
    role: String,
    department: String,
    round: Number,
    dueAt: { type: Date, required: true },
    status: { type: String, required: true },
    overdue: { type: Boolean, default: false },
    openedAt: Date,
    completedBy: { type: String, ...personal('userId') },
    completedAt: Date,
    input: { type: Schema.Types.Mixed, ...personal('writtenText') },
    cancelReason: Schema.Types.Mixed,
    workflowId: String,
  },
  { versionKey: false, minimize: false },
);
taskSchema.index({ assignee: 1, status: 1 });
taskSchema.index({ proposalId: 1 });
taskSchema.index({ kind: 1, status: 1 });

/** The timeline: each _id is a key derived from workflow id and step, so a retry writes once. */
const eventSchema = new Schema<EventDoc>(
  {
    _id: String,
    proposalId: { type: String, required: true },
    type: { type: String, required: true },
    at: { type: Date, required: true },
    by: { type: String, ...personal('userId') },
    details: { type: Schema.Types.Mixed, ...personal('writtenText') },
  },
  { versionKey: false, minimize: false },
);
eventSchema.index({ proposalId: 1, at: 1 });

const decisionPaperSchema = new Schema<DecisionPaperDoc>(
  {
    _id: String,
    proposalId: { type: String, required: true },
    version: { type: Number, required: true },
    createdAt: { type: Date, required: true },
    paper: { type: Schema.Types.Mixed, required: true, ...personal('writtenText') },
    markdown: { type: String, required: true, ...personal('writtenText') },
  },
  { versionKey: false, minimize: false },
);
decisionPaperSchema.index({ proposalId: 1, version: -1 });

/** Every notification is stored before it is sent, so none is lost while the mail server is down. */
const outboxSchema = new Schema<OutboxDoc>(
  {
    _id: String,
    channel: { type: String, required: true }, // email | webhook
    event: { type: String, required: true },
    proposalId: String,
    taskId: String,
    userId: { type: String, ...personal('userId') },
    to: { type: String, ...personal('contact') },
    toName: { type: String, ...personal('contact') },
    subject: { type: String, ...personal('writtenText') },
    body: { type: String, required: true, ...personal('writtenText') },
    link: String,
    status: { type: String, required: true }, // see domain/outbox.ts
    createdAt: { type: Date, required: true },
    sentAt: Date,
    attempts: { type: Number, default: 0 },
    failures: Number,
    nextAttemptAt: Date,
    retryFrom: Date,
    failedAt: Date,
    claims: Number,
    taskAssignee: { type: String, default: undefined, ...personal('userId') },
    /** The mail server's answer may quote the recipient's address. */
    lastError: { type: String, ...personal('contact') },
    skipReason: Schema.Types.Mixed,
    language: String,
  },
  { versionKey: false },
);
outboxSchema.index({ status: 1, createdAt: 1 });
outboxSchema.index({ status: 1, nextAttemptAt: 1 });

const outboxClaimSchema = new Schema<OutboxClaimDoc>(
  {
    _id: String,
    entryId: { type: String, required: true },
    n: { type: Number, required: true },
    holder: { type: String, required: true },
    leaseUntil: { type: Date, required: true },
    released: { type: Boolean, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
outboxClaimSchema.index({ entryId: 1, n: -1 });

const ledgerEntrySchema = new Schema<LedgerEntryDoc>(
  {
    _id: String,
    seq: { type: Number, required: true },
    kind: { type: String, required: true },
    amountOre: { type: Number, required: true },
    proposalId: String,
    fromReservation: Boolean,
    fromEarmarkOre: Number,
    counterpart: { type: String, ...personal('counterparty') },
    date: { type: Date, required: true },
    reason: { type: String, required: true, ...personal('writtenText') },
    by: { type: String, required: true, ...personal('userId') },
    createdAt: { type: Date, required: true },
    balancesAfter: { type: Schema.Types.Mixed, required: true },
    reservedByProposalAfter: { type: Schema.Types.Mixed, required: true },
    earmarkedByProposalAfter: Schema.Types.Mixed,
    actualByYearAfter: Schema.Types.Mixed,
  },
  { versionKey: false, minimize: false },
);
ledgerEntrySchema.index({ seq: 1 }, { unique: true });

/**
 * What a list of the ledger shows of an entry, kept beside it (store/ledgerRows.ts):
 * an entry carries the maps by case, which grow with the cases, and FerretDB decodes
 * a whole document to project a part of it.
 */
export interface LedgerRowDoc {
  _id: string; // the entry's key
  seq: number;
  /** The chain's block of numbers it falls in: a page reads its blocks by equality. */
  block: number;
  kind: EntryKind;
  amountOre: number;
  proposalId?: string;
  fromReservation: boolean;
  counterpart?: string;
  date: Date;
  reason: string;
  by: string;
  balancesAfter: Pick<FundBalances, 'freeOre'>;
}
const ledgerRowSchema = new Schema<LedgerRowDoc>(
  {
    _id: String,
    seq: { type: Number, required: true },
    block: { type: Number, required: true },
    kind: { type: String, required: true },
    amountOre: { type: Number, required: true },
    proposalId: String,
    fromReservation: Boolean,
    counterpart: { type: String, ...personal('counterparty') },
    date: { type: Date, required: true },
    reason: { type: String, required: true, ...personal('writtenText') },
    by: { type: String, required: true, ...personal('userId') },
    balancesAfter: { type: Schema.Types.Mixed, required: true },
  },
  { versionKey: false },
);
ledgerRowSchema.index({ block: 1 });
ledgerEntrySchema.index({ proposalId: 1, date: 1 });
ledgerEntrySchema.index({ kind: 1, date: 1 });

/**
 * The annual report (afrapportering) of a year: the current version's figures, the
 * secretariat's text (carried from version to version), the evaluation of the
 * council's work laid before the city council with it, and what happened to it.
 * The council's answers are its tasks (`proposalId` = the report's case id).
 */
export interface ReportDoc {
  _id: number; // the year
  workflowId: string;
  version: number;
  status: ReportStatus;
  report: unknown;
  /** `rev`: made anew by each save, so a sending can name the text it checked (texts saved before it was kept have none). */
  narrative?: { text: ReportNarrative; by: string; at: Date; rev?: string };
  /** An empty text: removed (who and when kept, so a colleague's form drawn before is told). */
  evaluation?: { text: string; by: string; at: Date };
  /** drafted, awaitingCouncil (sent to the council), approved or returned (by `council`), sentToCityCouncil. */
  history: { status: string; by: string; at: Date; comments?: string; version: number }[];
  updatedAt: Date;
}
const reportSchema = new Schema<ReportDoc>(
  {
    _id: Number,
    workflowId: { type: String, required: true },
    version: { type: Number, required: true },
    status: { type: String, required: true },
    report: { type: Schema.Types.Mixed, required: true },
    narrative: { type: Schema.Types.Mixed, ...personal('writtenText') },
    evaluation: { type: Schema.Types.Mixed, ...personal('writtenText') },
    history: { type: Schema.Types.Mixed, default: [], ...personal('writtenText') },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

/**
 * A version of the annual report as it went to the council: its figures and the
 * secretariat's text then. A returned version is redrafted in place (the report holds
 * the current one), so the minutes of the council's decision link here.
 */
export interface ReportVersionDoc {
  _id: string; // `${year}.v${version}`
  year: number;
  version: number;
  report: unknown;
  narrative?: ReportDoc['narrative'];
  evaluation?: ReportDoc['evaluation'];
  /** The evaluation was saved again after the version was sent, before it was kept: what the council got of it is not known. */
  evaluationChangedSince?: boolean;
  sentAt: Date;
}
const reportVersionSchema = new Schema<ReportVersionDoc>(
  {
    _id: String,
    year: { type: Number, required: true },
    version: { type: Number, required: true },
    report: { type: Schema.Types.Mixed, required: true },
    narrative: { type: Schema.Types.Mixed, ...personal('writtenText') },
    evaluation: { type: Schema.Types.Mixed, ...personal('writtenText') },
    evaluationChangedSince: Boolean,
    sentAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

/**
 * A council meeting as its workflow last wrote it (workflows/councilMeeting.ts): the
 * calendar and the meeting pages read it. `seq` counts the workflow's writes, so a
 * late or repeated write never takes the record back.
 */
export interface MeetingDoc {
  _id: string;
  workflowId: string;
  kind: string;
  startsAt: Date;
  status: string;
  seq: number;
  meeting: Meeting;
  updatedAt: Date;
}
const meetingSchema = new Schema<MeetingDoc>(
  {
    _id: String,
    workflowId: { type: String, required: true },
    kind: { type: String, required: true },
    startsAt: { type: Date, required: true },
    status: { type: String, required: true },
    seq: { type: Number, required: true },
    // The record names who attended and who was recused; the minutes carry the secretariat's notes.
    meeting: { type: Schema.Types.Mixed, required: true, ...personal('writtenText') },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
meetingSchema.index({ startsAt: 1 });

/** An Idempotency-Key's request and its answer (api/idempotency.ts); _id is a hash of the person and the key. */
export interface IdempotencyDoc {
  _id: string;
  fingerprint: string;
  state: 'inProgress' | 'done';
  status?: number;
  body?: string;
  contentType?: string;
  location?: string;
  /** The roles the person held when answered: the answer is given again only while they still hold them. */
  roles?: string[];
  /** The reads of personal data the answer was recorded as (api/accessLog.ts): recorded again when it is given again. */
  reads?: Omit<AccessLogDoc, '_id' | 'at' | 'day' | 'userId'>[];
  createdAt: Date;
}
const idempotencySchema = new Schema<IdempotencyDoc>(
  {
    _id: { type: String, ...personal('userId') },
    fingerprint: { type: String, required: true },
    state: { type: String, required: true },
    status: Number,
    body: { type: String, ...personal('writtenText') },
    contentType: String,
    location: String,
    roles: { type: [String], default: undefined },
    reads: { type: [Schema.Types.Mixed], default: undefined },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false },
);
idempotencySchema.index({ createdAt: 1 });

/**
 * A person's session on the pages (store/sessions.ts): `_id` is the SHA-256 of the random
 * id in their cookie, so the database never holds what would let someone act as them.
 */
export interface SessionDoc {
  _id: string;
  userId: string;
  csrf: string;
  createdAt: Date;
  lastSeenAt: Date;
}
const sessionSchema = new Schema<SessionDoc>(
  {
    _id: String,
    userId: { type: String, required: true, ...personal('userId') },
    csrf: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
  },
  { versionKey: false },
);
sessionSchema.index({ userId: 1 });
sessionSchema.index({ lastSeenAt: 1 });
sessionSchema.index({ createdAt: 1 });

/**
 * One read of personal data (store/accessLog.ts): who read what and when, through the
 * API, the pages or the codec endpoint; never what they saw.
 */
export interface AccessLogDoc {
  _id: string;
  at: Date;
  /** The UTC hour of `at` (`2026-11-30T14`; earlier entries their day), by which the whole log is read (store/accessLog.ts); the earliest have none. */
  day?: string;
  userId: string;
  what: ReadKind;
  proposalId?: string;
  taskId?: string;
  /** A council meeting's record or minutes: who attended, who declared a conflict of interest. */
  meetingId?: string;
  via: ReadChannel;
  /** The route read, e.g. `GET /api/proposals/:id/decision-paper`: the kind of view, not its content. */
  route: string;
}
const accessLogSchema = new Schema<AccessLogDoc>(
  {
    _id: String,
    at: { type: Date, required: true },
    day: String,
    userId: { type: String, required: true, ...personal('accessRecord') },
    what: { type: String, required: true },
    proposalId: String,
    taskId: String,
    meetingId: String,
    via: { type: String, required: true },
    route: { type: String, required: true },
  },
  { versionKey: false },
);
accessLogSchema.index({ at: -1 });
accessLogSchema.index({ userId: 1, at: -1 });
accessLogSchema.index({ proposalId: 1, at: -1 });
accessLogSchema.index({ day: 1 });

/**
 * An hour of the access log (`2026-11-30T14`; a day, `2026-11-30`, for entries filed before
 * hours were), with its count once it is over (FerretDB reads every entry to count), and
 * when a purge last deleted part of it (a count from before is not kept).
 */
export interface AccessLogDayDoc {
  _id: string;
  total?: number;
  trimmed?: Date;
}
const accessLogDaySchema = new Schema<AccessLogDayDoc>({ _id: String, total: Number, trimmed: Date }, { versionKey: false });

/** A short-lived lock on one document (store/serialised.ts): held while one writer updates it. */
/**
 * One case's part in the fund's outlook (the commitments read model): what its
 * workflow last recorded of its stage, contract or grant, with the proposal's terms.
 * Written by the activities that change it, each write carrying the workflow's
 * history length as `seq`, so an older write never replaces a newer one.
 */
export interface CommitmentDoc {
  _id: string; // the proposal
  seq: number;
  stage: string;
  /** In a committing stage: the outlook reads only these. */
  counted: boolean;
  terms?: OutlookTerms;
  /** The proposal's title, fixed once the council has it like its terms: the fund page lists approved cases from here. Absent on documents recorded before. */
  title?: string;
  commitment?: Commitment;
  /** Set when an operator stopped the workflow (worker/reconciler.ts): nothing the workflow wrote late counts. */
  stopped?: boolean;
  updatedAt: Date;
}
const commitmentSchema = new Schema<CommitmentDoc>(
  {
    _id: String,
    seq: { type: Number, required: true },
    stage: { type: String, required: true },
    counted: { type: Boolean, required: true },
    terms: Schema.Types.Mixed,
    title: String,
    commitment: Schema.Types.Mixed,
    stopped: Boolean,
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
commitmentSchema.index({ counted: 1 });

/** A mark that a set of documents changed (`_id` names the set): a new random token each change, for readers that keep what they read. */
const markSchema = new Schema<{ _id: string; token: string; at: Date }>(
  { _id: String, token: { type: String, required: true }, at: { type: Date, required: true } },
  { versionKey: false },
);

const lockSchema = new Schema<{ _id: string; token: string; at: Date }>(
  { _id: String, token: { type: String, required: true }, at: { type: Date, required: true } },
  { versionKey: false },
);

/**
 * `callLimitMs` bounds each call once sent: a database that takes it and never answers
 * (its process stopped, its PostgreSQL stuck) fails the call with a network timeout
 * then, instead of holding it for good. Without it, only finding a server is bounded.
 */
export function openStore(uri: string, dbName: string, { callLimitMs }: { callLimitMs?: number } = {}) {
  // Bounded, so a request meets a database outage within seconds (the API answers 503) rather than hanging.
  const options = { dbName, serverSelectionTimeoutMS: 2_000, ...(callLimitMs ? { socketTimeoutMS: callLimitMs, connectTimeoutMS: callLimitMs } : {}) };
  const conn: Connection = mongoose.createConnection(uri, options);
  conn.set('bufferTimeoutMS', 2_000);
  const models = {
    users: conn.model<UserDoc>('User', userSchema, 'users'),
    roleChanges: conn.model<RoleChangeDoc>('RoleChange', roleChangeSchema, 'roleChanges'),
    proposals: conn.model<ProposalDoc>('Proposal', proposalSchema, 'proposals'),
    drafts: conn.model<DraftDoc>('Draft', draftSchema, 'drafts'),
    tasks: conn.model<TaskDoc>('Task', taskSchema, 'tasks'),
    events: conn.model<EventDoc>('Event', eventSchema, 'events'),
    decisionPapers: conn.model<DecisionPaperDoc>('DecisionPaper', decisionPaperSchema, 'decisionPapers'),
    outbox: conn.model<OutboxDoc>('Outbox', outboxSchema, 'outbox'),
    outboxClaims: conn.model<OutboxClaimDoc>('OutboxClaim', outboxClaimSchema, 'outboxClaims'),
    ledger: conn.model<LedgerEntryDoc>('LedgerEntry', ledgerEntrySchema, 'ledger'),
    ledgerRows: conn.model<LedgerRowDoc>('LedgerRow', ledgerRowSchema, 'ledgerRows'),
    reports: conn.model<ReportDoc>('Report', reportSchema, 'reports'),
    reportVersions: conn.model<ReportVersionDoc>('ReportVersion', reportVersionSchema, 'reportVersions'),
    meetings: conn.model<MeetingDoc>('Meeting', meetingSchema, 'meetings'),
    idempotency: conn.model<IdempotencyDoc>('Idempotency', idempotencySchema, 'idempotency'),
    sessions: conn.model<SessionDoc>('Session', sessionSchema, 'sessions'),
    locks: conn.model<{ _id: string; token: string; at: Date }>('Lock', lockSchema, 'locks'),
    accessLog: conn.model<AccessLogDoc>('AccessLog', accessLogSchema, 'accessLog'),
    accessLogDays: conn.model<AccessLogDayDoc>('AccessLogDay', accessLogDaySchema, 'accessLogDays'),
    listing: conn.model<{ _id: string; count: number }>('Listing', listingSchema, 'listing'),
    commitments: conn.model<CommitmentDoc>('Commitment', commitmentSchema, 'commitments'),
    marks: conn.model<{ _id: string; token: string; at: Date }>('Mark', markSchema, 'marks'),
  };
  return {
    ...models,
    conn,
    /**
     * Connects and builds the indexes; call once at start. A database that does not answer
     * yet (still starting, or slow on a busy machine) is asked again for up to `waitMs`: a
     * first try that found no server is not retried by the driver itself.
     */
    async ready(waitMs = 60_000) {
      const until = Date.now() + waitMs;
      for (let connecting = conn.asPromise(); ; connecting = conn.openUri(uri, options)) {
        try {
          await connecting;
          break;
        } catch (err) {
          if (Date.now() > until || (err as Error).name !== 'MongooseServerSelectionError') throw err;
        }
      }
      // On a connection of its own, without the call limit: a new index on a large collection takes longer than a request may.
      const builder = callLimitMs ? await mongoose.createConnection(uri, { dbName, serverSelectionTimeoutMS: waitMs }).asPromise() : conn;
      try {
        await Promise.all(Object.values(models).map((m) => (builder === conn ? m : builder.model(m.modelName, m.schema, m.collection.collectionName)).createIndexes()));
      } finally {
        if (builder !== conn) await builder.close();
      }
    },
    close: () => conn.close(),
  };
}
export type Store = ReturnType<typeof openStore>;
