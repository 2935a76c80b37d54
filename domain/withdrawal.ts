import type { Refusal } from './refusals';
import { finalStages, type Stage } from './stages';

/**
 * Why a proposal in this stage cannot be withdrawn (trækkes tilbage), or undefined. Until
 * its contract is signed the secretariat may withdraw it; a signed contract binds the fund
 * to the provider and the investor, and ends only as the contract says. The workflow's
 * validator and the case page ask the same question.
 */
export function withdrawalRefusal(stage: Stage): Refusal | undefined {
  if (finalStages.has(stage)) return { code: 'alreadyClosed', stage };
  if (stage === 'Implementation') return { code: 'contractSigned' };
  return undefined;
}
