/**
 * An error as the processes' logs may hold it: its kind, code, message and where it was
 * thrown, and the same for its causes, but none of its other fields (a driver's error
 * carries the documents it failed to write, a mail error the addresses). In the message,
 * e-mail addresses, what looks like a CPR number and a value a validator quotes are
 * masked. The logs hold no personal data beyond user ids.
 */
export function describeError(err: unknown, depth = 0): string {
  if (!(err instanceof Error)) return mask(typeof err === 'string' ? err : `a thrown ${typeof err}`);
  const code = (err as { code?: unknown }).code;
  const head = `${err.name}${typeof code === 'string' || typeof code === 'number' ? ` [${code}]` : ''}: ${mask(err.message)}`;
  const frames = (err.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  const cause = err.cause !== undefined && depth < 5 ? [`caused by ${describeError(err.cause, depth + 1)}`] : [];
  return [head, ...frames, ...cause].join('\n');
}

const email = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[A-Za-z]{2,}/g;
const tenDigits = /(?<!\d)\d{6}[-\u2010-\u2013\u2212 /]?\d{4}(?!\d)/g;
/** Mongoose quotes the value it could not cast or validate: `for value "…"`. */
const quotedValue = /(value:? )"(?:[^"\\]|\\.)*"/g;

const mask = (text: string) => text.replace(email, '<e-mail>').replace(tenDigits, '<number>').replace(quotedValue, '$1"…"');
