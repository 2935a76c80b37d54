import { z } from 'zod';

/** Problem details (RFC 9457) with the refusal as a stable code: every error the API answers. */
export const problemReply = z
  .looseObject({
    type: z.string(),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string().describe('the refusal in English, for people'),
    code: z.string().describe('what was refused, as a stable code (domain/refusals.ts); translate by this, never by detail'),
    params: z.record(z.string(), z.unknown()).describe("the code's parameters"),
    errors: z
      .array(z.looseObject({ field: z.string(), code: z.string(), message: z.string(), params: z.record(z.string(), z.unknown()).optional() }))
      .optional()
      .describe('each refused field (400, 422)'),
    missing: z.array(z.string()).optional().describe('what a proposal or report still lacks (422)'),
  })
  .describe('Problem details (RFC 9457) with the refusal as a stable code');
