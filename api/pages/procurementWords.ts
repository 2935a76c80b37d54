import type { z } from 'zod';
import type { Procedure } from '../../domain/procurement';
import type { HttpProblem } from '../problem';
import { plainWords } from './errors';
import { zodFieldErrors, type FieldErrors } from './forms';
import { dict, formatDateTime, formatMoney, type Dict, type Lang } from './i18n';

type Words = (d: Dict, m: RegExpExecArray, lang: Lang) => string;

/** The workflow's refusals of a procurement or contracting step, as the validators word them. */
const refusals: [RegExp, Words][] = [
  [/the deadline must be at least (\d+) days after publication: (\S+) or later/, (d, m, lang) => d.procurement.refused.deadlineTooEarly(Number(m[1]), formatDateTime(lang, m[2]))],
  [/the thresholds propose (\w+); choosing (\w+) needs a written rationale/, (d, m) => d.procurement.refused.needsRationale(d.procurement.procedures[m[1] as Procedure] ?? m[1], d.procurement.procedures[m[2] as Procedure] ?? m[2])],
  [/the person who prepared the tender cannot be its only evaluator/, (d) => d.procurement.refused.fourEyes],
  [/ranks first; awarding another bid needs a rationale/, (d) => d.procurement.refused.notFirst],
  [/the deadline (\S+) has passed; the bid is too late/, (d, m, lang) => d.procurement.refused.tooLate(formatDateTime(lang, m[1]))],
  [/score every bid on every award criterion, once/, (d) => d.procurement.refused.scoreAll],
  [/bids are evaluated after the deadline|the bid window is still open/, (d) => d.procurement.refused.windowOpen],
  [/the contract is already awarded|the award stands|an award is in its standstill period/, (d) => d.procurement.refused.awarded],
  [/the proposal is in (\w+), not (Procurement|Contracting)/, (d, m) => d.procurement.refused.wrongStage(d.stage[m[1]] ?? m[1])],
  [/a choice of investor awaits the chair/, (d) => d.contracting.refused.awaitingChair],
  [/the investor is already chosen/, (d) => d.contracting.refused.investorChosen],
  [/the chair has not confirmed an investor yet/, (d) => d.contracting.refused.notConfirmed],
  [/the cap may not exceed the (\d+) DKK/, (d, m, lang) => d.contracting.refused.capTooHigh(formatMoney(lang, Number(m[1]) * 100))],
  [/procurement is run by the secretariat|only the secretariat may do this/, (d) => d.problem.onlySecretariat],
];

/** A refused step in plain words; what this page does not know, errors.ts words. */
export function refusalWords(lang: Lang, problem: HttpProblem): string {
  const detail = problem.detail ?? problem.title;
  for (const [pattern, words] of refusals) {
    const m = pattern.exec(detail);
    if (m) return words(dict(lang), m, lang);
  }
  return plainWords(lang, problem);
}

/** The schemas' own rules that zod reports as custom messages. */
const ruleMessages: [RegExp, Words][] = [
  [/^the weights must sum to 100, not (\d+)$/, (d, m) => d.procurement.weightsSum(Number(m[1]))],
  [/^each criterion once$/, (d) => d.procurement.criterionOnce],
  [/^months after start, rising, each once$/, (d) => d.contracting.monthsRising],
  [/^must be more than zero$/, (d) => d.contracting.moreThanZero],
];

/** Messages per field as forms.ts gives them, with the procurement rules in the reader's language. */
export function stepFieldErrors(error: z.ZodError, lang: Lang, fieldOf: (path: string) => string): FieldErrors {
  const errors = zodFieldErrors(error, lang, fieldOf);
  const seen = new Set<string>();
  for (const issue of error.issues) {
    const field = fieldOf(issue.path.map(String).join('.'));
    // Like zodFieldErrors, the first issue at a field is the one it shows.
    if (seen.has(field)) continue;
    seen.add(field);
    for (const [pattern, words] of ruleMessages) {
      const m = pattern.exec(issue.message);
      if (m) errors[field] = words(dict(lang), m, lang);
    }
  }
  return errors;
}
