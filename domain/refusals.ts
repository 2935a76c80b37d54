import { render, type Wording } from './codes';
import { durationText } from './durations';
import type { LedgerRefusal } from './ledger';
import { formatDkk, wholeKroner, type Ore } from './money';
import type { Role } from './people';
import type { SelectionResult, SelectionSubject } from './councilSelection';
import type { Procedure } from './procurement';
import type { Stage } from './stages';
import type { TaskKind, TaskStatus } from './tasks';

/**
 * Every refusal the system gives, as a code with parameters. The workflows' validators,
 * the ledger and the API refuse with one of these; the API carries it in problem+json
 * (`code`, `params`) beside the English `detail`, and pages and e-mails translate it by
 * code from a typed table, so a new code without a translation does not compile.
 */
export type Refusal =
  // who may act
  | { code: 'onlySecretariat' }
  | { code: 'procurementBySecretariat' }
  | { code: 'needsRole'; roles: string[] }
  | { code: 'reassignmentsExhausted'; max: number }
  | { code: 'rolesChangedSinceAnswer'; roles: string[] }
  | { code: 'ownRoles' }
  | { code: 'revisedSinceChecked'; revision: number }
  | { code: 'revisedSinceDrawn'; revision: number }
  | { code: 'revisionNotCurrent'; revision: number }
  | { code: 'reportTextSavedSince'; at: string }
  | { code: 'evaluationSavedSince'; at: string; removed: boolean }
  | { code: 'ownEmail' }
  | { code: 'emailTaken' }
  | { code: 'lastHolder'; role: Role; minimum: number; department?: string }
  // the proposal's stage
  | { code: 'wrongStage'; stage: Stage; expected: Stage }
  | { code: 'reviseOnlyInMotivation'; stage: Stage }
  | { code: 'revisionInProgress' }
  | { code: 'submitWhileRevising' }
  | { code: 'alreadySubmitted' }
  | { code: 'councilRoundsExhausted'; max: number }
  | { code: 'alreadyClosed'; stage: Stage }
  | { code: 'contractSigned' }
  | { code: 'alreadyWithdrawing' }
  | { code: 'answerBeingRecorded' }
  | { code: 'beingWithdrawn' }
  | { code: 'withdrawalNeedsReason' }
  | { code: 'workflowClosed'; case: 'proposal' | 'report' | 'workflow'; id: string }
  | { code: 'historyNotKept'; id: string }
  // tasks
  | { code: 'taskNotHere'; taskId: string }
  | { code: 'taskNotOpen'; status: TaskStatus }
  | { code: 'taskStale'; stage: Stage }
  | { code: 'claimFirst' }
  | { code: 'assignedToSomeoneElse' }
  | { code: 'taskPersonal'; kind: TaskKind }
  | { code: 'notInPool'; role: Role }
  | { code: 'taskAlreadyYours' }
  | { code: 'taskChangedHands' }
  | { code: 'handoversExhausted'; max: number }
  | { code: 'notHolder' }
  | { code: 'othersTasks' }
  | { code: 'reportEachMetric'; metrics: string[] }
  | { code: 'unknownMetric'; metric: string }
  | { code: 'grantTooHigh'; approvedOre: Ore }
  | { code: 'taskNeedsRole'; role: Role; department?: string }
  | { code: 'closesItself' }
  | { code: 'closesWhenRecorded' }
  | { code: 'noSuccessor'; role: Role; department?: string }
  | { code: 'directFinancingAboveCeiling'; ceilingOre: Ore; requestedOre: Ore }
  // procurement
  | { code: 'deadlineTooEarly'; minimumMs: number; earliest: string }
  | { code: 'procedureDecided'; procedure: Procedure }
  | { code: 'needsRationale'; proposed: Procedure; chosen: Procedure; valueOre: Ore }
  | { code: 'valueAboveProcedure'; procedure: Procedure; valueOre: Ore; ceilingOre: Ore }
  | { code: 'notDirectAward'; procedure?: Procedure }
  | { code: 'alreadyAwarded' }
  | { code: 'tenderNeedsProcedure' }
  | { code: 'tenderPublished' }
  | { code: 'prepareTenderFirst' }
  | { code: 'tenderAlreadyPublished' }
  | { code: 'tenderNotPublished' }
  | { code: 'bidTooLate'; deadline: string }
  | { code: 'tooManyBids'; max: number }
  | { code: 'tooManyTenderDrafts'; max: number }
  | { code: 'tooManyEvaluations'; max: number }
  | { code: 'tooManyOffers'; max: number }
  | { code: 'tooManyRefusedContracts'; max: number }
  | { code: 'tooManyDeclinedContracts'; max: number }
  | { code: 'contractNotDeclinable' }
  | { code: 'evaluateAfterDeadline' }
  | { code: 'scoreAll' }
  | { code: 'bidWindowOpen' }
  | { code: 'noEvaluation' }
  | { code: 'fourEyes' }
  | { code: 'noSuchBid'; bidId: string }
  | { code: 'notFirstRanked'; first: string }
  | { code: 'complaintOutsideStandstill' }
  | { code: 'complaintLodgedAhead' }
  | { code: 'tooManyComplaints'; max: number }
  | { code: 'tooManyRounds'; max: number }
  | { code: 'noOpenComplaint'; number: number }
  | { code: 'directAwardNoRetender' }
  | { code: 'noProcedureToRepeat' }
  | { code: 'tenderAlreadyEnding'; ending: 'retender' | 'cancelTender' }
  | { code: 'awardStands' }
  | { code: 'awardInStandstill' }
  | { code: 'recommendationWithCouncil' }
  | { code: 'tooManyRecommendations'; max: number }
  // contracting
  | { code: 'investorChosen' }
  | { code: 'investorAwaitsCouncil' }
  | { code: 'noSuchOffer'; offerId: string }
  | { code: 'investorNotApproved' }
  | { code: 'contractOutForSignature' }
  | { code: 'capTooHigh'; approvedOre: Ore }
  | { code: 'metricNotApproved'; metric: string; approved: string[] }
  | { code: 'capAboveRepaymentCap'; repaymentCapOre: Ore }
  // the annual report
  | { code: 'reportNotDrafting'; status: string }
  | { code: 'reportTextChanged' }
  | { code: 'reportIncomplete' }
  | { code: 'reportAlreadySent' }
  | { code: 'reportNotReturned'; status: string }
  | { code: 'reportNotApproved'; status: string }
  | { code: 'reportUnderway'; year: number }
  // council meetings
  | { code: 'meetingNotOpen'; status: string }
  | { code: 'dialogueHasNoAgenda' }
  | { code: 'minutesReturnedTooOften'; max: number }
  | { code: 'alreadyOnAgenda'; caseId: string }
  | { code: 'onAnotherAgenda'; caseId: string; meetingId: string }
  | { code: 'conflictedVoteCarried'; itemId: string; members: string[] }
  | { code: 'tooManyAgendas'; caseId: string; max: number }
  | { code: 'agendaFull'; max: number }
  | { code: 'notAwaitingCouncil'; caseId: string }
  | { code: 'meetingNotHeld'; startsAt: string }
  | { code: 'meetingBegun'; startsAt: string }
  | { code: 'minutesReturnedSinceDrawn'; returns: number }
  | { code: 'meetingOver'; startsAt: string }
  | { code: 'noMinutesYet'; status: string }
  | { code: 'recordEachItem'; items: string[] }
  | { code: 'notOnCouncil'; userId: string }
  | { code: 'votesOutstanding'; itemId: string }
  | { code: 'decisionDiffersFromVotes'; itemId: string; decision: string }
  | { code: 'decisionAsRecorded'; itemId: string; decision: string }
  | LedgerRefusal
  // the API's own
  | { code: 'notFound'; what: 'proposal' | 'task' | 'user' | 'report' | 'decisionPaper' | 'outboxEntry' | 'route' | 'meeting'; id?: string }
  | { code: 'notificationBusy' }
  | { code: 'notificationNotRetryable' }
  | { code: 'userExists'; userId: string }
  | { code: 'noActiveUser'; userId: string }
  | { code: 'noRole'; userId: string }
  | { code: 'bearerRequired' }
  | { code: 'tokenInvalid' }
  | { code: 'tokenWithoutUser' }
  | { code: 'notSignedIn' }
  | { code: 'incomplete' }
  | { code: 'invalidRequest' }
  | { code: 'cprNumber'; fields: string[] }
  | { code: 'ruleNotMet'; fields: string[] }
  | { code: 'answerOfAnotherKind'; kind: string }
  | { code: 'invalidJson' }
  | { code: 'bodyTooDeep'; max: number }
  | { code: 'badRequest'; message: string }
  | { code: 'methodNotAllowed'; method: string; allow: string[] }
  | { code: 'unsupportedMediaType'; contentType: string }
  | { code: 'payloadTooLarge'; limit: string }
  | { code: 'internal' }
  // the codec endpoint the Temporal UI and CLI decode payloads with
  | { code: 'originNotAllowed'; origin: string }
  | { code: 'payloadKeyUnknown'; keyId: string }
  | { code: 'payloadUndecipherable' }
  // a dependency is down: try again later (503 with Retry-After)
  | { code: 'unavailable'; dependency: 'database' | 'temporal' | 'workers' | 'identityProvider' }
  // the Idempotency-Key header
  | { code: 'idempotencyKeyReused' }
  | { code: 'idempotencyInProgress' };

/**
 * Why something was recorded as it was: a closure, a change of stage, a cancelled task.
 * What people typed (a mayor's reason, council comments) is carried as a parameter.
 */
export type Reason =
  | { code: 'councilRejected'; comments: string[] }
  | { code: 'councilCannotDecide'; comments: string[] }
  | { code: 'returnedForChanges'; comments: string[] }
  | { code: 'councilNoAgreement'; comments: string[] }
  | { code: 'fundCannotCover'; availableOre: Ore; requestedOre: Ore; comments: string[] }
  | { code: 'attestationDeclined'; text: string; comments: string[] }
  | { code: 'mayorRefused'; text: string }
  | { code: 'withdrawn'; text: string }
  | { code: 'tenderCancelled'; text: string }
  | { code: 'grantCompleted' }
  | { code: 'contractEnded' }
  | { code: 'councilDecided' }
  | { code: 'selectionApproved'; subject: SelectionSubject; comments: string[] }
  | { code: 'selectionReturned'; subject: SelectionSubject; result: Exclude<SelectionResult, 'approved'>; comments: string[] }
  | { code: 'councilComplete' }
  | { code: 'roleLost'; userId: string; role: Role; department?: string }
  | { code: 'holderDeactivated'; userId: string }
  | { code: 'proposalClosed'; stage: Stage }
  | { code: 'fundRefusalsExhausted'; refusals: number }
  | { code: 'contractDeclined'; text?: string; declines?: number }
  /** A reminder or escalation not sent: its task was gone, closed (with its status) or with someone else by then. */
  | { code: 'notificationObsolete'; why: 'taskGone' | 'taskClosed' | 'taskReassigned'; status?: string };

const dkk = (ore: Ore) => `${formatDkk(ore)} DKK`;
const comments = (c: string[]) => (c.length ? `\n${c.join('\n')}` : '');
const dependencyWords = {
  workers: 'workflow workers are',
  temporal: 'workflow service is',
  database: 'database is',
  identityProvider: "sign-in's key set (the identity provider) is",
} as const;

/** English: the problem's `detail`, logs, and the workflow's failure message. */
export const refusalEnglish: Wording<Refusal> = {
  onlySecretariat: () => 'only the secretariat may do this',
  procurementBySecretariat: () => 'procurement is run by the secretariat',
  needsRole: (p) => `this needs the role ${p.roles.join(' or ')}`,
  reassignmentsExhausted: (p) => `role changes have moved this task ${p.max} times, the most a task is moved; it stays with its holder`,
  rolesChangedSinceAnswer: (p) =>
    `the first answer to this Idempotency-Key was given while you held the role ${p.roles.join(' and ')}, which you no longer hold; it is not given again`,
  ownRoles: () => 'nobody changes their own roles, department or standing; another administrator does',
  reportTextSavedSince: (p) => `someone saved the report's text at ${p.at}, after this text was loaded; it was not saved over theirs`,
  evaluationSavedSince: (p) =>
    `someone ${p.removed ? 'removed' : 'saved'} the evaluation of the council's work at ${p.at}, after this text was loaded; it was not saved over ${p.removed ? 'the removal' : 'theirs'}`,
  revisedSinceDrawn: (p) => `someone saved revision ${p.revision} of the proposal after this text was loaded; it was not saved over theirs`,
  revisionNotCurrent: (p) => `the proposal's current revision is ${p.revision}; If-Match names one it never had`,
  revisedSinceChecked: (p) => `the proposal was revised (revision ${p.revision}) after it was checked for submission; submit it again`,
  ownEmail: () => 'nobody changes their own e-mail address, by which the Temporal UI knows them; another administrator does',
  emailTaken: () => "another active person has this e-mail address; the Temporal UI knows a person by it, so it is one person's",
  lastHolder: (p) => `the process needs at least ${p.minimum} active ${p.role}${p.department ? ` for ${p.department}` : ''}; grant the role to someone else first`,
  wrongStage: (p) => `the proposal is in ${p.stage}, not ${p.expected}`,
  reviseOnlyInMotivation: (p) => `the proposal can only be revised in Motivation; it is in ${p.stage}`,
  revisionInProgress: () => 'another revision is being saved; try again',
  submitWhileRevising: () => 'a revision is being saved; submit again in a moment',
  alreadySubmitted: () => 'the proposal has already been submitted',
  councilRoundsExhausted: (p) => `the council has had this proposal ${p.max} times, the most a proposal goes before it; it can be withdrawn`,
  alreadyClosed: (p) => `the proposal is already ${p.stage}`,
  contractSigned: () => 'the contract is signed; a proposal is withdrawn only before a contract',
  alreadyWithdrawing: () => 'the proposal is already being withdrawn',
  answerBeingRecorded: () => 'an answer to one of its tasks is being recorded; try again in a moment',
  beingWithdrawn: () => 'the proposal is being withdrawn',
  withdrawalNeedsReason: () => 'a withdrawal needs a reason',
  workflowClosed: (p) => `${p.case === 'report' ? 'the report for' : p.case} ${p.id} is closed; nothing more can be done on it`,
  historyNotKept: (p) => `Temporal no longer keeps the workflow of ${p.id} (its retention ran out): only what the read model holds can be shown`,
  taskNotHere: (p) => `task ${p.taskId} does not belong to this proposal`,
  taskNotOpen: (p) => `the task is already ${p.status}`,
  taskStale: (p) => `the proposal is in ${p.stage}; the task is stale`,
  claimFirst: () => 'the task waits for someone to take it; claim it first',
  assignedToSomeoneElse: () => 'the task is assigned to someone else',
  taskPersonal: (p) => `a ${p.kind} task is personal; it cannot change hands`,
  notInPool: (p) => `only the ${p.role} may take this task`,
  taskAlreadyYours: () => 'the task is already yours',
  taskChangedHands: () => 'the task has changed hands meanwhile; look again',
  handoversExhausted: (p) => `the task has changed hands ${p.max} times; whoever holds it now answers it`,
  notHolder: () => 'only the person who holds the task may release it',
  othersTasks: () => "only the secretariat may list others' tasks",
  reportEachMetric: (p) => `report each metric of the rate card once: ${p.metrics.join(', ')}`,
  unknownMetric: (p) => `${p.metric} is not a metric of the rate card`,
  taskNeedsRole: (p) => `the task needs the role ${p.role}${p.department ? ` for ${p.department}` : ''}, which you do not hold now`,
  closesItself: () => 'the task closes by itself once the council is complete',
  closesWhenRecorded: () => 'the task closes by itself once the meeting is recorded again',
  noSuccessor: (p) => `nobody else holds the role ${p.role}${p.department ? ` for ${p.department}` : ''} to take the task`,
  grantTooHigh: (p) => `the grant may not exceed the ${wholeKroner(p.approvedOre)} DKK the council and the mayor approved`,
  directFinancingAboveCeiling: (p) => `direct financing is at most ${dkk(p.ceilingOre)}; the proposal asks ${dkk(p.requestedOre)}: ask less, or propose it outcome-based`,
  deadlineTooEarly: (p) => `the deadline must be at least ${durationText(p.minimumMs)} after publication: ${p.earliest} or later`,
  procedureDecided: (p) => `the procedure is already decided: ${p.procedure}`,
  needsRationale: (p) =>
    `judged on ${dkk(p.valueOre)} (the larger of the estimate and the approved amount), the thresholds propose ${p.proposed}; choosing ${p.chosen} needs a written rationale`,
  valueAboveProcedure: (p) =>
    `${dkk(p.valueOre)} exceeds the ${dkk(p.ceilingOre)} a ${p.procedure} covers; that needs a written rationale for the procedure, approved by the council`,
  notDirectAward: (p) => `the procedure is ${p.procedure ?? 'not decided yet'}, not a direct award`,
  alreadyAwarded: () => 'the contract is already awarded',
  tenderNeedsProcedure: () => 'a tender needs a tendering procedure',
  tenderPublished: () => 'the tender is published; it can no longer be changed',
  prepareTenderFirst: () => 'prepare the tender first',
  tenderAlreadyPublished: () => 'the tender is already published',
  tenderNotPublished: () => 'the tender is not published',
  bidTooLate: (p) => `the deadline ${p.deadline} has passed; the bid is too late`,
  tooManyBids: (p) => `a tender takes at most ${p.max} bids`,
  tooManyTenderDrafts: (p) => `a round's tender is prepared at most ${p.max} times`,
  tooManyEvaluations: (p) => `an evaluator scores a round at most ${p.max} times`,
  tooManyOffers: (p) => `at most ${p.max} investor offers are registered`,
  tooManyRefusedContracts: (p) => `the fund has refused ${p.max} contracts for this proposal; it takes no more, and the proposal can be withdrawn`,
  contractNotDeclinable: () => 'this contract went out for signature before a signer could decline one: sign it, or ask the secretariat to withdraw the proposal',
  tooManyDeclinedContracts: (p) => `${p.max} contracts for this proposal were declined at signing; no more are taken, and the proposal can be withdrawn`,
  evaluateAfterDeadline: () => 'bids are evaluated after the deadline',
  scoreAll: () => 'score every bid on every award criterion, once',
  bidWindowOpen: () => 'the bid window is still open',
  noEvaluation: () => 'no evaluation yet',
  fourEyes: () => 'the person who prepared the tender cannot be its only evaluator',
  noSuchBid: (p) => `no bid ${p.bidId}`,
  notFirstRanked: (p) => `${p.first} ranks first; awarding another bid needs a rationale`,
  complaintOutsideStandstill: () => 'a complaint is recorded when it was lodged in the standstill period, until the award stands',
  complaintLodgedAhead: () => 'a complaint cannot be lodged in the future',
  tooManyComplaints: (p) => `at most ${p.max} complaints are recorded; join this one to an open one`,
  tooManyRounds: (p) => `after ${p.max} rounds the tender is cancelled, not repeated`,
  noOpenComplaint: (p) => `no open complaint ${p.number}`,
  directAwardNoRetender: () => 'a direct award has no tender to repeat',
  noProcedureToRepeat: () => 'no procedure is decided yet, so there is no tender to repeat',
  tenderAlreadyEnding: (p) => (p.ending === 'retender' ? 'a re-tender of this round is already under way' : 'the tender is already being cancelled'),
  awardStands: () => 'the award stands',
  awardInStandstill: () => 'an award is in its standstill period',
  recommendationWithCouncil: () => 'a recommendation is with the council; wait for its decision',
  tooManyRecommendations: (p) => `the council has returned ${p.max} recommendations this round; re-tender or cancel instead`,
  investorChosen: () => 'the investor is already chosen',
  investorAwaitsCouncil: () => 'a recommendation of an investor is with the council',
  noSuchOffer: (p) => `no investor offer ${p.offerId}`,
  investorNotApproved: () => 'the council has not approved an investor yet',
  contractOutForSignature: () => 'the contract is out for signature',
  capTooHigh: (p) => `the cap may not exceed the ${wholeKroner(p.approvedOre)} DKK the council and the mayor approved`,
  metricNotApproved: (p) => `the metric "${p.metric}" is none of the outcome metrics the council approved: ${p.approved.join('; ')}`,
  capAboveRepaymentCap: (p) => `paid to the investor, the cap may not exceed the ${formatDkk(p.repaymentCapOre)} DKK repayment cap of the offer the council chose`,
  reportNotDrafting: (p) => `the report is ${p.status}; its text is written, and it goes to the council, while it is being drafted`,
  reportTextChanged: () => 'the text was saved again after it was checked: read it, and send the report once more',
  reportIncomplete: () => 'Write the overall assessment, a commentary on each project and, after a return, the answers to the council before the report goes to the council.',
  reportAlreadySent: () => 'the report has been sent to the city council; it no longer changes',
  reportNotReturned: (p) => `the report is ${p.status}; only a returned report is redrafted`,
  reportNotApproved: (p) => `the report is ${p.status}; it is sent once the council has approved it`,
  reportUnderway: (p) => `the report for ${p.year} is already under way`,
  meetingNotOpen: (p) => `the meeting is ${p.status}; that is done while it is planned`,
  dialogueHasNoAgenda: () => 'the dialogue meeting with the Magistrate decides nothing; it has no agenda items',
  minutesReturnedTooOften: (p) => `the minutes have been returned ${p.max} times, as often as they may be; approve them, with a remark if need be`,
  alreadyOnAgenda: (p) => `${p.caseId} is already on the agenda`,
  onAnotherAgenda: (p) => `${p.caseId} is on the agenda of meeting ${p.meetingId}, not yet held; it goes before one meeting at a time`,
  conflictedVoteCarried: (p) =>
    `on item ${p.itemId} the votes of ${p.members.join(', ')} carried the decision; a member with a conflict of interest does not vote, so without their votes the council did not decide so`,
  tooManyAgendas: (p) => `${p.caseId} has been put before ${p.max} meetings, the most a case goes before`,
  agendaFull: (p) => `an agenda holds at most ${p.max} items`,
  notAwaitingCouncil: (p) => `${p.caseId} is not awaiting the council's decision`,
  meetingNotHeld: (p) => `the meeting begins ${p.startsAt}; it is recorded at or after the meeting`,
  meetingBegun: (p) => `the meeting began ${p.startsAt}; it is recorded, not cancelled (postpone the items it did not decide)`,
  minutesReturnedSinceDrawn: (p) =>
    `the chair has returned the minutes since this record was drawn (${p.returns} times now): read what she asked and the record as it stands, and record the meeting again`,
  meetingOver: (p) => `the meeting was held ${p.startsAt}; a case goes on the agenda of a meeting ahead`,
  noMinutesYet: (p) => `the meeting is ${p.status}; its minutes are written from its record`,
  recordEachItem: (p) => `record a decision on each item of the agenda once: ${p.items.join(', ')}`,
  notOnCouncil: (p) => `${p.userId} is not a member of the council`,
  votesOutstanding: (p) => `the members' votes on item ${p.itemId} have not decided it; record it as postponed, or after the votes`,
  decisionDiffersFromVotes: (p) => `the members' votes on item ${p.itemId} decided ${p.decision}; the minutes record what the votes decided`,
  decisionAsRecorded: (p) => `item ${p.itemId} was recorded as ${p.decision}, as the votes decided at the meeting; a correction of the minutes keeps the decision`,
  fundTooLow: (p) => `the fund has ${dkk(p.freeOre)} free; ${p.kind} of ${dkk(p.amountOre)} would take it below zero`,
  reservationTooLow: (p) => `${p.proposalId} has ${dkk(p.reservedOre)} reserved; ${p.kind} of ${dkk(p.amountOre)} exceeds it`,
  earmarkTooLow: (p) => `${dkk(p.earmarkedOre)} is earmarked; ${p.kind} of ${dkk(p.amountOre)} exceeds it`,
  ledgerKeyReused: (p) => `ledger key ${p.key} is already used for another booking`,
  notFound: (p) => `${notFoundWhat[p.what]}${p.id ? ` ${p.id}` : ''} does not exist`,
  notificationBusy: () => 'the notification is being sent right now',
  notificationNotRetryable: () => 'only a pending or failed notification can be retried',
  userExists: (p) => `user ${p.userId} already exists`,
  noActiveUser: (p) => `no active user ${p.userId} in this system`,
  noRole: (p) => `${p.userId} holds no role in this system, so may do nothing in it`,
  bearerRequired: () => 'send Authorization: Bearer <token>',
  tokenInvalid: () => 'the token is invalid or has expired',
  tokenWithoutUser: () => 'the token names no user (sub)',
  notSignedIn: () => 'not signed in',
  incomplete: () => 'Complete the proposal before it goes to the council.',
  invalidRequest: () => 'The request has invalid fields.',
  cprNumber: (p) => `${p.fields.join(', ')}: what looks like a CPR number is refused; the fund records counts of outcomes, never people.`,
  ruleNotMet: (p) => `${p.fields.join(', ')}: well-formed, but against a rule of the fund that the schema cannot state; errors[] names each rule`,
  answerOfAnotherKind: (p) => `the body answers a task of another kind; this task is a ${p.kind}`,
  invalidJson: () => 'The body is not valid JSON.',
  bodyTooDeep: (p) => `The body nests deeper than ${p.max} levels.`,
  badRequest: (p) => p.message,
  methodNotAllowed: (p) => `${p.method} is not a method of this path; it takes ${p.allow.join(', ')}`,
  unsupportedMediaType: (p) => `a body of type ${p.contentType || '(none)'} is not taken here; send application/json in UTF-8`,
  payloadTooLarge: (p) => `the body is larger than ${p.limit}`,
  internal: () => 'Something went wrong on our side; it has been logged.',
  originNotAllowed: (p) => `${p.origin} is not an origin of the Temporal UI this service decodes for (CODEC_CORS_ORIGINS)`,
  payloadKeyUnknown: (p) => `the payload was encrypted with key ${p.keyId}, which this service does not hold (PAYLOAD_KEYS)`,
  payloadUndecipherable: () => 'the payload does not decrypt under its key: it was altered, or sealed under another key of that id',
  unavailable: (p) => `the ${dependencyWords[p.dependency]} not answering; try again shortly`,
  idempotencyKeyReused: () => 'this Idempotency-Key was used for another request; use a new key for a new request',
  idempotencyInProgress: () => 'the request with this Idempotency-Key is still being handled; try again shortly',
};

const notFoundWhat: Record<Extract<Refusal, { code: 'notFound' }>['what'], string> = {
  proposal: 'proposal',
  task: 'task',
  user: 'user',
  report: 'a report for',
  decisionPaper: 'the decision paper',
  outboxEntry: 'outbox entry',
  route: 'this route',
  meeting: 'meeting',
};

export const reasonEnglish: Wording<Reason> = {
  councilRejected: (p) => (p.comments.length ? p.comments.join('\n') : 'rejected by the council'),
  councilCannotDecide: () => 'the council cannot decide: fewer than two members can vote',
  returnedForChanges: (p) => `returned for changes${comments(p.comments)}`,
  councilNoAgreement: (p) => `the council did not agree: no decision had a majority, and the proposal went back${comments(p.comments)}`,
  fundCannotCover: (p) => `returned for changes: the fund cannot cover it today, ${dkk(p.availableOre)} is free and ${dkk(p.requestedOre)} is asked${comments(p.comments)}`,
  attestationDeclined: (p) => `returned for changes: the chair did not attest legality and priorities: ${p.text}${comments(p.comments)}`,
  mayorRefused: (p) => p.text,
  withdrawn: (p) => p.text,
  tenderCancelled: (p) => p.text,
  grantCompleted: () => 'the grant is paid and the final report received',
  contractEnded: () => 'the contract has ended: paid for achieved effect, the rest released',
  councilDecided: () => 'the council has decided',
  selectionApproved: (p) => `the council approved the recommended ${p.subject === 'award' ? 'service provider' : 'investor'}${comments(p.comments)}`,
  selectionReturned: (p) =>
    `the council returned the recommended ${p.subject === 'award' ? 'service provider' : 'investor'}${p.result === 'returned' ? '' : p.result === 'noAgreement' ? ' (no agreement)' : ' (fewer than two members could vote)'}${comments(p.comments)}`,
  councilComplete: () => 'the council is complete again',
  roleLost: (p) => `${p.userId} no longer holds the role ${p.role}${p.department ? ` for ${p.department}` : ''}`,
  holderDeactivated: (p) => `${p.userId} is no longer active`,
  proposalClosed: (p) => `the proposal is ${p.stage}`,
  fundRefusalsExhausted: (p) => `the fund has refused ${p.refusals} times; no new one is asked for, and the proposal can be withdrawn`,
  contractDeclined: (p) => `the contract was declined at signing${p.text ? `: ${p.text}` : ''}`,
  notificationObsolete: (p) => (p.why === 'taskGone' ? 'the task no longer exists' : p.why === 'taskClosed' ? `the task is ${p.status}` : 'the task has been reassigned'),
};

/** Refusals that pass with a step under way: the same request, asked again in a moment, may be taken. */
export const momentaryRefusals: ReadonlySet<Refusal['code']> = new Set(['revisionInProgress', 'submitWhileRevising', 'answerBeingRecorded']);

export const refusalText = (r: Refusal): string => render(refusalEnglish, r);
export const reasonText = (r: Reason): string => render(reasonEnglish, r);

const has = (table: object, x: unknown): boolean =>
  typeof x === 'object' && x !== null && typeof (x as { code?: unknown }).code === 'string' && Object.hasOwn(table, (x as { code: string }).code);

/** A value that came over the wire (a failure's details, a stored event) and is one of our refusals. */
export const isRefusal = (x: unknown): x is Refusal => has(refusalEnglish, x);
/** A stored reason; records written before reasons had codes hold English text instead. */
export const isReason = (x: unknown): x is Reason => has(reasonEnglish, x);
