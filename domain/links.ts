import { z } from 'zod';
import { issue } from './issues';

/**
 * A link someone enters (evidence, tender documents, a final report's documents): a
 * web address and nothing else. `javascript:`, `data:` and `vbscript:` links would run
 * or carry content of their own when a reader clicks them on the pages.
 */
export const webLink = z.url({ protocol: /^https?$/, error: issue('webLink') }).max(2000);

/** Whether a stored link may be drawn as a link: one stored before the rule is shown as text. */
export const isWebLink = (url: string): boolean => webLink.safeParse(url).success;
