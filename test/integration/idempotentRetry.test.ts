import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { answersRecorded, idempotency } from '../../api/idempotency';
import { conflict, problemHandler, unavailable } from '../../api/problem';
import type { Refusal } from '../../domain/refusals';
import { openStore, type Store } from '../../store';
import { testServers, uniqueName } from '../support/servers';

/**
 * The Idempotency-Key layer on the embedded database, before a route that refuses the
 * first time it is asked: a refusal that passes with a step under way is asked again,
 * where any other refusal is the key's answer for good. And before a route that takes a
 * while: a second sending meanwhile (a double click, a retry) is given the first one's answer.
 */
describe('a request retried with its Idempotency-Key', () => {
  let store: Store;
  let server: Server;
  let url = '';
  const asked = new Map<string, number>();
  /** Refused with this code the first time a path is asked, taken after. */
  let firstRefusal: Refusal;

  beforeAll(async () => {
    store = openStore(testServers().mongodbUri, uniqueName('idempotent-retry'));
    await store.ready();
    const app = express();
    app.use(express.json());
    // Who asks, as the API's authentication sets it.
    app.use((req, _res, next) => {
      req.subject = 'sara.secretariat';
      req.person = Promise.resolve({ userId: 'sara.secretariat', roles: ['secretariat'] });
      next();
    });
    app.use(idempotency(store));
    app.post('/steps/:name', (req, res) => {
      const times = (asked.get(req.params.name) ?? 0) + 1;
      asked.set(req.params.name, times);
      if (times === 1) throw conflict(firstRefusal);
      res.json({ taken: req.params.name });
    });
    app.post('/held/:ms', async (req, res) => {
      asked.set(req.path, (asked.get(req.path) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, Number(req.params.ms)));
      res.status(201).json({ held: Number(req.params.ms), at: Date.now() });
    });
    // Fails the first time, after a while (a dependency out), and is taken after.
    app.post('/failing/:ms', async (req, res) => {
      const times = (asked.get(req.path) ?? 0) + 1;
      asked.set(req.path, times);
      await new Promise((r) => setTimeout(r, Number(req.params.ms)));
      if (times === 1) throw unavailable('temporal');
      res.status(201).json({ taken: times });
    });
    app.use(problemHandler);
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    // As the API does when it stops: the answers already given are put on record first.
    await answersRecorded();
    await store?.close();
  });

  const send = async (name: string, path = `/steps/${name}`) => {
    const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `key-${name}` }, body: '{}' });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), replayed: res.headers.get('idempotent-replayed'), body: await res.json() };
  };

  it('runs again after a refusal that says to try again in a moment, and is then answered', async () => {
    firstRefusal = { code: 'answerBeingRecorded' };
    expect(await send('withdraw')).toMatchObject({ status: 409, retryAfter: '1', body: { code: 'answerBeingRecorded' } });
    expect(await send('withdraw')).toMatchObject({ status: 200, replayed: null, body: { taken: 'withdraw' } });
    expect(asked.get('withdraw')).toBe(2);
  });

  it('gives any other refusal again, without asking the route', async () => {
    firstRefusal = { code: 'alreadyClosed', stage: 'Refused' };
    expect(await send('closed')).toMatchObject({ status: 409, retryAfter: null, body: { code: 'alreadyClosed' } });
    expect(await send('closed')).toMatchObject({ status: 409, replayed: 'true', body: { code: 'alreadyClosed' } });
    expect(asked.get('closed')).toBe(1);
  });

  it('gives a second sending, made while the first is under way, the answer the first one is given', async () => {
    const first = send('held-quick', '/held/300');
    await new Promise((r) => setTimeout(r, 100));
    const second = await send('held-quick', '/held/300');
    expect(second).toMatchObject({ status: 201, replayed: 'true' });
    expect(second.body).toEqual((await first).body);
    expect(asked.get('/held/300')).toBe(1);
  });

  it('tells a second sending to try again when the first takes longer than a moment', async () => {
    const first = send('held-long', '/held/2500');
    await new Promise((r) => setTimeout(r, 100));
    expect(await send('held-long', '/held/2500')).toMatchObject({ status: 409, retryAfter: '2', body: { code: 'idempotencyInProgress' } });
    expect(await first).toMatchObject({ status: 201, replayed: null });
    expect(asked.get('/held/2500')).toBe(1);
  });

  it('runs a second sending, made while the first is under way, once the first fails and lets the key go', async () => {
    const first = send('failing', '/failing/300');
    await new Promise((r) => setTimeout(r, 100));
    const second = await send('failing', '/failing/300');
    expect(await first).toMatchObject({ status: 503, body: { code: 'unavailable' } });
    expect(second).toMatchObject({ status: 201, replayed: null, body: { taken: 2 } });
  });
});
