/**
 * Contracts a case's signers may decline. Each is a round of signing tasks in the case's
 * history, so past this bound no more contracts are taken, and the case can be withdrawn.
 * Apart from the contract's schemas, so workflow code may use it without zod.
 */
export const contractDeclinesPerCase = 10;
/** Contracts declined: both signers declining one is one contract declined. */
export const contractsDeclined = (declines: readonly { attempt: number }[] = []) => new Set(declines.map((d) => d.attempt)).size;
export const contractDeclinesExhausted = (declines: readonly { attempt: number }[] = []) => contractsDeclined(declines) >= contractDeclinesPerCase;
