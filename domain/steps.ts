/**
 * The keys a case's later steps are recorded under, after the proposal's id: each
 * task's id and each ledger entry's key is `<proposalId>.<step>`. The workflows
 * write under them and the results are read back by them (domain/results.ts), so
 * both take them from here.
 */
export const steps = {
  outcomeReport: (months: number) => `m${months}.outcomeReport`,
  outcomeVerification: (months: number) => `m${months}.outcomeVerification`,
  savingsConfirmation: (months: number) => `m${months}.savingsConfirmation`,
  outcomePayment: (months: number) => `contract.m${months}.payment`,
  savingsReturned: (months: number) => `contract.m${months}.savings`,
  contractFinalReport: 'contractFinalReport',
  contractRelease: 'contract.release',
  /** The grant agreement's task: a fresh one each time the fund could not reserve the last. */
  grantAgreement: (attempt: number) => (attempt === 1 ? 'grantAgreement' : `grantAgreement.${attempt}`),
  trancheConfirmation: (n: number) => `tranche.${n}`,
  trancheRelease: (n: number) => `tranche.${n}.release`,
  tranchePayment: (n: number) => `tranche.${n}.payment`,
  grantFinalReport: 'grantFinalReport',
  /** The reservation of the contract signed at the `attempt`th proposal (one the fund refused is proposed again). */
  contractReservation: (attempt: number) => `contract.${attempt}.reservation`,
  /** The reservation of the grant agreed in the task of that step. */
  grantReservation: (agreementStep: string) => `${agreementStep}.reservation`,
} as const;

/** The step of a task id or ledger key of the case; undefined for another case's. */
export function stepOf(proposalId: string, key: string): string | undefined {
  return key.startsWith(`${proposalId}.`) ? key.slice(proposalId.length + 1) : undefined;
}
