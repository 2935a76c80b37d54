import { z } from 'zod';
import { typedText } from '../domain/freeText';

/** A list's page number, bounded: a skip of billions is no request anyone means, and the database would still read up to it. */
export const pageNumber = z.coerce.number().int().min(1).max(100_000).default(1);

/** The id a path names (a case, a task, a person, a notification): typed text of a bounded length. */
export const idParam = z.strictObject({ id: typedText().max(200) });
