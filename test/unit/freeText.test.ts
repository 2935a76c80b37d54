import { z } from 'zod';
import { link, optionalText, text } from '../../domain/freeText';
import { tenderInput } from '../../domain/procurementInput';
import { jsonSchema } from '../../api/openapi';
import { HttpProblem, parseBody } from '../../api/problem';

const refusal = (schema: z.ZodType, body: unknown) => {
  try {
    parseBody(schema, body);
  } catch (err) {
    if (err instanceof HttpProblem) return { status: err.status, code: err.refusal.code, errors: err.extra.errors };
    throw err;
  }
  return undefined;
};

/** Every pattern a JSON Schema holds, its own and those under allOf. */
const patternsOf = (js: { pattern?: string; allOf?: { pattern?: string }[] }) =>
  [js.pattern, ...(js.allOf ?? []).map((p) => p.pattern)].filter((p): p is string => p !== undefined).map((p) => new RegExp(p));

describe('free text', () => {
  const form = z.strictObject({ title: text(200), note: optionalText(200) });

  it('refuses U+0000 and every other control character but tab and line breaks, naming the field (400)', () => {
    for (const c of ['\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f']) {
      expect(refusal(form, { title: `Housing${c}First`, note: '' })).toEqual({
        status: 400,
        code: 'invalidRequest',
        errors: [expect.objectContaining({ field: 'title', code: 'controlCharacter' })],
      });
    }
    expect(form.parse({ title: ' Housing\tFirst\r\nfor unge ', note: 'En\nnote' })).toEqual({ title: 'Housing\tFirst\r\nfor unge', note: 'En\nnote' });
  });

  it('states the rule in the document as a pattern that reads the text as sent, before it is trimmed', () => {
    const patterns = patternsOf(jsonSchema(text(200)));
    for (const sample of ['Housing First', '\u000b Housing', 'a\u0000', 'Linje\nlinje\t', '\u001f', ' \u00a0\t', '\u0085']) {
      expect([sample, patterns.every((p) => p.test(sample))]).toEqual([sample, text(200).safeParse(sample).success]);
    }
  });

  it('takes a link only where the pattern the document states takes it, so no control character reaches the database', () => {
    const pattern = new RegExp((jsonSchema(link) as { pattern: string }).pattern);
    for (const url of [
      'https://www.vive.dk/',
      'HTTP://a.b:8080/x y?q#f',
      'https://www.vive.dk/\u0000',
      'https://127.0.0.1/',
      'https://xn--a.dk',
      'javascript:alert(1)',
      'https://ø.dk',
    ]) {
      expect([url, link.safeParse(url).success]).toEqual([url, pattern.test(url)]);
    }
  });
});

describe('a body against a rule the schema cannot state', () => {
  const tender = { title: 'Udbud', description: 'Housing First', documents: [], estimatedValue: '1000000', deadline: '2030-01-01T12:00:00Z' };

  it('is well-formed, so 422 ruleNotMet naming each field and rule; with a malformed field as well it is 400', () => {
    expect(refusal(tenderInput, { ...tender, awardCriteria: [{ name: 'Pris', weight: 60 }] })).toEqual({
      status: 422,
      code: 'ruleNotMet',
      errors: [expect.objectContaining({ field: 'awardCriteria', code: 'weightsSum' })],
    });
    expect(refusal(tenderInput, { ...tender, title: '', awardCriteria: [{ name: 'Pris', weight: 60 }] })).toMatchObject({ status: 400, code: 'invalidRequest' });
  });
});
