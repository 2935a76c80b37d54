import nodemailer from 'nodemailer';

/** nodemailer waits two minutes to connect and ten on a silent socket. */
const waits = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

/**
 * The mail server's connection, its waits bounded well within an outbox entry's lease, so
 * a mail server that drops packets costs each mail seconds, not the notifications behind
 * it an hour. Given in the URL's query (nodemailer takes no other option beside a URL),
 * where options already there win.
 */
export function mailTransport(smtpUrl: string) {
  const url = new URL(smtpUrl);
  for (const [key, ms] of Object.entries(waits)) if (!url.searchParams.has(key)) url.searchParams.set(key, String(ms));
  return nodemailer.createTransport(url.toString());
}
