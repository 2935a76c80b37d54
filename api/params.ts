import { z } from 'zod';
import { typedText } from '../domain/freeText';
import { issue } from '../domain/issues';

/** A list's page number, bounded: a skip of billions is no request anyone means, and the database would still read up to it. */
export const pageNumber = z.coerce.number().int().min(1).max(100_000).default(1);

/** The id a path names (a case, a task, a person, a notification): typed text of a bounded length. */
export const idParam = z.strictObject({ id: typedText().max(200) });

/**
 * `If-Match` on a revision: the `revision` the client read, as an entity tag ("3"). The
 * express ETag of a read covers the whole view (stage, tasks), so it is not this tag: a
 * draft's revision changes only when someone saves one. The number bare (3) is taken too:
 * some clients and tools drop the quotes of a header they did not make.
 */
export const revisionCondition = z.strictObject({
  'If-Match': z
    .string()
    .max(20)
    .regex(/^(\*|"\d{1,6}"|\d{1,6})$/, issue('revisionTag'))
    .optional()
    .describe('the `revision` read, in double quotes ("3"); `*` or none saves whatever was saved since'),
});

/** The revision an `If-Match` names; none for `*` or no header. */
export const revisionMatched = (tag: string | undefined) => (tag === undefined || tag === '*' ? undefined : Number(tag.replaceAll('"', '')));
