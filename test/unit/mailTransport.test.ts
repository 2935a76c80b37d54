import { createServer, type Server } from 'node:net';
import { mailTransport } from '../../worker/mailTransport';

describe('the mail server connection', () => {
  let silent: Server;
  let port: number;
  beforeAll(async () => {
    // A mail server that takes the connection and never greets, as one behind a broken proxy does.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
  });
  afterAll(() => new Promise((resolve) => silent.close(resolve)));

  it('waits at most half a minute to connect or be greeted, and a minute on a silent socket, well within an entry’s lease', () => {
    expect(mailTransport('smtp://mail.example.dk:25').options).toMatchObject({ connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
  });

  it('gives up on a server that never greets, so the outbox marks the entry failed and goes on', async () => {
    // The URL's own options win: here a short wait, for the test.
    const started = Date.now();
    await expect(mailTransport(`smtp://127.0.0.1:${port}?greetingTimeout=300`).sendMail({ from: 'a@example.dk', to: 'b@example.dk', text: 'x' })).rejects.toThrow(
      /Greeting never received/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
