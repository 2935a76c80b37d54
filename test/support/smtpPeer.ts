import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { eventually } from './eventually';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

/**
 * A real SMTP server on loopback that keeps what arrives, for tests to read. `beforeAccepting`
 * runs once a mail has arrived, before the server says it took it: what the sender meets then.
 */
export async function startSmtpPeer(port = 0, { beforeAccepting }: { beforeAccepting?: (mail: ReceivedMail) => Promise<void> } = {}) {
  const inbox: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
          const received = { to, subject: mail.subject ?? '', text: mail.text ?? '', messageId: mail.messageId ?? '' };
          inbox.push(received);
          await beforeAccepting?.(received);
          callback();
        })
        .catch(callback);
    },
  });
  const listening: number = await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port));
  });
  return {
    url: `smtp://127.0.0.1:${listening}`,
    inbox,
    /** The first mail to an address whose subject matches (and whose text holds `text`, where several are alike), once it has arrived. */
    async waitFor(toContains: string, subject: RegExp, timeoutMs = 30_000, text?: string): Promise<ReceivedMail> {
      return eventually(() => {
        const mail = inbox.find((m) => m.to.includes(toContains) && subject.test(m.subject) && (text === undefined || m.text.includes(text)));
        if (!mail) throw new Error(`no mail to ${toContains} with subject ${subject}; got: ${inbox.map((m) => `${m.to}: ${m.subject}`).join(' | ')}`);
        return mail;
      }, timeoutMs);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type SmtpPeer = Awaited<ReturnType<typeof startSmtpPeer>>;
