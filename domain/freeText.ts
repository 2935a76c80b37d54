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

/** Required free text; `missing` is what an empty field is told, where a plain "required" would not say enough. */
export const text = (max: number, missing?: Parameters<typeof issue>[0]) =>
  z
    .string()
    .trim()
    .min(1, missing && issue(missing))
    .max(max)
    .check(noCprNumber());
/** Free text that may be left empty (a note, a comment). */
export const optionalText = (max: number) => z.string().trim().max(max).check(noCprNumber());
/** Why someone decided as they did. */
export const reasonText = text(4000, 'reasonRequired');
/** A link to a document: a web address (domain/links.ts), and text a person pasted too. */
export const link = webLink.check(noCprNumber());
