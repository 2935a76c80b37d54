import type { TaskKind } from '../../../domain/tasks';
import { cooperationAgreement } from './agreement';
import { contractSigning } from './contract';
import { councilAttestation, councilComposition, councilVote } from './council';
import type { TaskForm } from './form';
import { grantAgreement, grantFinalReport, trancheConfirmation } from './grant';
import { mayoralApproval } from './mayor';
import { minutesApproval, minutesCorrection } from './minutes';
import { contractFinalReport, outcomeReport, outcomeVerification, savingsConfirmation } from './outcome';
import { reportApproval } from './report';
import { awardDecision, investorDecision } from './selection';
import { stoppedCaseReview } from './stoppedCase';

export type { FormContext, TaskForm, Values } from './form';

/** The task page's form for each kind of task. */
export const taskForms: Record<TaskKind, TaskForm> = {
  councilVote,
  councilAttestation,
  mayoralApproval,
  cooperationAgreement,
  grantAgreement,
  trancheConfirmation,
  grantFinalReport,
  awardDecision,
  investorDecision,
  contractSigning,
  outcomeReport,
  outcomeVerification,
  savingsConfirmation,
  contractFinalReport,
  stoppedCaseReview,
  councilComposition,
  reportApproval,
  minutesApproval,
  minutesCorrection,
};
