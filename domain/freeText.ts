import { z } from 'zod';
import { containsCprNumber } from './cpr';
import { issue } from './issues';
import { webLink } from './links';

/**
 * What people type: trimmed, bounded, and never a CPR number. Outcome data are counts,
 * never people, so a citizen's identity has no place in a proposal, a report, a comment
 * or a link; every schema takes its free text from here.
 */
const noCprNumber = () => z.refine<string>((v) => !containsCprNumber(v), { message: issue('cprNumber') });

/**
 * No control character but tab and line breaks: nobody types one, and U+0000 is one
 * FerretDB's PostgreSQL refuses outright, stored or only looked up (a 500 otherwise). Free
 * text and every other string a client sends (a case number, a user id) take it from here.
 * Checked before trimming, as the document's pattern reads the text as sent.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
export const typedText = () => z.string().regex(/^[^\x00-\x08\x0B\x0C\x0E-\x1F]*$/, issue('controlCharacter'));

/**
 * Something besides white space, or nothing at all (which `.min(1)` after trimming refuses
 * as too short): a blank string would trim to empty, so the document says so in a pattern.
 * The white space is what trimming removes, spelled out: the fuzzer reads `\s` as Python does.
 */
const filledOrEmpty = /^$|[^\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/** Typed text that must say something: empty or blank is refused once, as missing. */
export const filledText = (missing?: Parameters<typeof issue>[0]) => typedText().regex(filledOrEmpty, { error: missing && issue(missing), abort: true });

/** Required free text; `missing` is what an empty field is told, where a plain "required" would not say enough. */
export const text = (max: number, missing?: Parameters<typeof issue>[0]) =>
  filledText(missing)
    .trim()
    .min(1, missing && issue(missing))
    .max(max)
    .check(noCprNumber());
/** Free text that may be left empty (a note, a comment). */
export const optionalText = (max: number) => typedText().trim().max(max).check(noCprNumber());
/**
 * A case's id typed into a search: the search is put on the access log, so a CPR number
 * pasted there (a citizen's request for insight) is refused rather than kept for months.
 */
export const caseFilter = () => typedText().trim().max(100).check(noCprNumber());
/**
 * An outcome metric's name, which the rate card, the bids, the reports and the payments
 * are keyed by: one line (checks compare names joined by line breaks), and none of the
 * names every object already has (`constructor`, `__proto__`), which a lookup by name
 * would find inherited rather than missing, and pay nothing for.
 */
export const metricName = text(300)
  .regex(/^[^\r\n]*$/, issue('metricNameOneLine'))
  .refine((v) => !(v in Object.prototype), { message: issue('metricNameReserved') });
/** Why someone decided as they did. */
export const reasonText = text(4000, 'reasonRequired');
/** A link to a document: a web address (domain/links.ts), and text a person pasted too. */
export const link = webLink.check(noCprNumber());
