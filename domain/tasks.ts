import { z } from 'zod';
import { issue } from './issues';
import { optionalText, reasonText as reason, text } from './freeText';
import { grantAgreementInput, grantFinalReportInput, trancheConfirmationInput } from './grant';
import { contractSigningInput } from './contract';
import type { SelectionAnswer } from './councilSelection';
import { contractFinalReportInput, outcomeReportInput, outcomeVerificationInput, savingsConfirmationInput } from './outcomeInputs';
import { cooperationAgreementInput } from './cooperationAgreement';
import type { ReportApproval } from './reportApproval';

/** Every human step is a task. */
export const taskKinds = [
  'councilVote', // a council member's vote (rådsmedlemmets stemme)
  'councilAttestation', // the chair attests legality and the city council's priorities
  'mayoralApproval', // borgmesterens godkendelse
  'cooperationAgreement', // samarbejdsaftale: the department agrees the savings share
  'grantAgreement', // tilsagn: amount, tranches and conditions of a direct grant
  'trancheConfirmation', // the secretariat confirms a tranche's condition before it is paid
  'grantFinalReport', // slutrapport for a direct grant
  'awardDecision', // a council member on the secretariat's award recommendation (valg af serviceleverandør)
  'investorDecision', // a council member on the secretariat's recommendation of an investor (valg af investor)
  'contractSigning', // the secretariat and the department sign the outcome contract
  'outcomeReport', // outcome data for a measurement point (effektmåling)
  'outcomeVerification', // the department confirms or corrects the reported units
  'savingsConfirmation', // the department confirms the savings realised in the period
  'contractFinalReport', // slutrapport at contract end
  'stoppedCaseReview', // the secretariat decides what happens to a stopped case's reservation and earmark
  'councilComposition', // the council is not three members with one chair: the secretariat has it seated; closes by itself
  'reportApproval', // a council member approves the year's report or returns it with comments (afrapportering)
  'minutesApproval', // the chair approves the minutes of a council meeting (referat)
  'minutesCorrection', // the secretariat records a meeting again after the chair returned its minutes; closes by itself
] as const;
export type TaskKind = (typeof taskKinds)[number];

export type TaskStatus = 'open' | 'completed' | 'cancelled' | 'expired';

const comment = optionalText(4000);

export const councilVoteInput = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.enum(['approve', 'reject', 'returnForChanges']), comment: comment.optional() }),
  // A member with a conflict of interest declares it and does not vote.
  z.strictObject({ decision: z.literal('conflictOfInterest'), comment: comment.optional() }),
]);

export const councilAttestationInput = z.discriminatedUnion('attested', [
  z.strictObject({
    attested: z.literal(true),
    withinMunicipalLaw: z.literal(true, issue('withinLaw')),
    withinCityCouncilPriorities: z.literal(true, issue('withinPriorities')),
    note: comment.optional(),
  }),
  // Declining sends the proposal back to the secretariat with the reason; declining for a
  // conflict of interest (inhabilitet) passes the attestation to another member instead.
  z.strictObject({ attested: z.literal(false), reason, conflictOfInterest: z.literal(true).optional() }),
]);

export const mayoralApprovalInput = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve'), comment: comment.optional() }),
  z.strictObject({ decision: z.literal('refuse'), reason }),
]);

/** Release what a stopped case still holds in the fund, or keep it (a signed contract may still owe payments): either way, why. */
export const stoppedCaseReviewInput = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('release'), reason }),
  z.strictObject({ decision: z.literal('keep'), reason }),
]);

/** Nothing to answer: the task closes by itself (the council complete, the meeting recorded again), and the validator refuses an answer. */
export const nothingToAnswer = z.strictObject({});

/**
 * A council member's answer on the year's report (afrapporteringen godkendes af
 * rådet, seed §5): approve it, or return it to the secretariat saying what to change.
 */
export const reportApprovalInput: z.ZodType<ReportApproval, unknown> = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve'), comments: optionalText(4000).optional() }),
  z.strictObject({ decision: z.literal('return'), comments: text(4000, 'sayWhatToChange') }),
]);

/**
 * The chair approves the minutes generated from what the secretariat recorded, with a
 * remark if any, or returns them saying what to correct: the secretariat records the
 * meeting again, and the chair gets the corrected minutes.
 */
export const minutesApprovalInput = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve'), comment: comment.optional() }),
  z.strictObject({ decision: z.literal('return'), comment: text(4000, 'sayWhatToChange') }),
]);
/** A council member's answer on the secretariat's recommendation of a provider or an investor (councilSelection.ts). */
export const selectionDecisionInput: z.ZodType<SelectionAnswer, unknown> = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve'), comments: comment.optional() }),
  z.strictObject({ decision: z.literal('return'), comments: text(4000, 'sayWhatToChange') }),
  z.strictObject({ decision: z.literal('conflictOfInterest'), comments: comment.optional() }),
]);

/**
 * The API decodes task input with these schemas (DKK in, øre out); the workflow
 * receives the decoded form and checks who may act, not the shape again.
 */
export const taskInputSchemas = {
  councilVote: councilVoteInput,
  councilAttestation: councilAttestationInput,
  mayoralApproval: mayoralApprovalInput,
  cooperationAgreement: cooperationAgreementInput,
  grantAgreement: grantAgreementInput,
  trancheConfirmation: trancheConfirmationInput,
  grantFinalReport: grantFinalReportInput,
  awardDecision: selectionDecisionInput,
  investorDecision: selectionDecisionInput,
  contractSigning: contractSigningInput,
  outcomeReport: outcomeReportInput,
  outcomeVerification: outcomeVerificationInput,
  savingsConfirmation: savingsConfirmationInput,
  contractFinalReport: contractFinalReportInput,
  stoppedCaseReview: stoppedCaseReviewInput,
  councilComposition: nothingToAnswer,
  reportApproval: reportApprovalInput,
  minutesApproval: minutesApprovalInput,
  minutesCorrection: nothingToAnswer,
} as const satisfies Record<TaskKind, z.ZodType>;

export type TaskInput<K extends TaskKind = TaskKind> = z.output<(typeof taskInputSchemas)[K]>;
