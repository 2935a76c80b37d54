import { z } from 'zod';
import { issue } from './issues';

/**
 * The web addresses taken, as a pattern the API document can state exactly: every address
 * it matches is one a browser's URL parser takes too. A host name in ASCII (an IDN in
 * neither form: an `xn--` label the parser may refuse), no IP address, no user, a port of
 * at most four digits, and no control character (U+0000 would reach the database).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it refuses
const plainWebAddress = /^[Hh][Tt][Tt][Pp][Ss]?:\/\/(?:(?![Xx][Nn]--)[A-Za-z0-9_-]+\.)*(?![Xx][Nn]--)[A-Za-z][A-Za-z0-9_-]*\.?(?::[0-9]{0,4})?(?:[/?#][^\x00-\x1F\x7F]*)?$/;

/**
 * A link someone enters (evidence, tender documents, a final report's documents): a
 * web address and nothing else. `javascript:`, `data:` and `vbscript:` links would run
 * or carry content of their own when a reader clicks them on the pages.
 */
export const webLink = z
  .url({ protocol: /^https?$/, error: issue('webLink'), abort: true })
  .regex(plainWebAddress, issue('webLink'))
  .max(2000);

/** Whether a stored link may be drawn as a link: one stored before the rule is shown as text. */
export const isWebLink = (url: string): boolean => webLink.safeParse(url).success;
