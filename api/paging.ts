import { z } from 'zod';

/** A list's page number, bounded: a skip of billions is no request anyone means, and the database would still read up to it. */
export const pageNumber = z.coerce.number().int().min(1).max(100_000).default(1);
