import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../provision/servers';
import { supervise, type Supervised } from '../../provision/supervisor';
import { eventually } from '../support/eventually';

/** `npm start` itself, on ports and a data folder of its own; its output is kept line by line. */
async function startLocalStack() {
  const [port, temporalPort, uiPort, ferretPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(tmpdir(), 'sif-start-'));
  const lines: string[] = [];
  const errors: string[] = [];
  const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'provision/start.ts'], {
    cwd: resolve(__dirname, '../..'),
    env: {
      ...process.env,
      SIF_DATA_DIR: dataDir,
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      FERRETDB_PORT: String(ferretPort),
      AUTH_JWT_SECRET: 'a-test-secret-of-thirty-two-chars!',
      TEMPORAL_ADDRESS: '',
      MONGODB_URI: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (b: Buffer) => lines.push(...b.toString().split('\n')));
  proc.stderr!.on('data', (b: Buffer) =>
    errors.push(
      ...b
        .toString()
        .split('\n')
        .filter((l) => l.trim()),
    ),
  );
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const pidsOf = (part: string) => lines.flatMap((l) => new RegExp(`^\\[supervisor\\] ${part} running \\(pid (\\d+)\\)`).exec(l)?.[1] ?? []).map(Number);
  const ready = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(3000) });
    if (res.status !== 200) throw new Error(`health ${res.status}: ${await res.text()}`);
  };
  return { proc, lines, errors, exited, pidsOf, ready, dataDir, port, uiPort };
}

describe('npm start supervises its processes', () => {
  it('restarts a killed FerretDB, Temporal server, worker and API, and stops cleanly on SIGTERM', async () => {
    const stack = await startLocalStack();
    try {
      await eventually(() => expect(stack.lines.join('\n')).toContain('Den Sociale Investeringsfond is running'), 150_000);
      await eventually(stack.ready, 60_000);
      // A payload key of its own, generated into the data folder, and the Temporal UI decoding through the API's codec endpoint.
      const keyFile = join(stack.dataDir, 'local-payload-keys');
      expect(readFileSync(keyFile, 'utf8')).toMatch(/^local-[a-z0-9]+:[A-Za-z0-9+/]{43}=\n$/);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      const uiSettings = (await (await fetch(`http://127.0.0.1:${stack.uiPort}/api/v1/settings`)).json()) as { Codec: { Endpoint: string } };
      expect(uiSettings.Codec.Endpoint).toBe(`http://127.0.0.1:${stack.port}/codec`);
      for (const part of ['ferretdb', 'temporal', 'worker', 'api']) {
        const [pid] = stack.pidsOf(part).slice(-1);
        process.kill(pid, 'SIGKILL');
        await eventually(() => expect(stack.lines.join('\n')).toContain(`[supervisor] ${part} was killed by SIGKILL; restarting`), 30_000);
        await eventually(() => expect(stack.pidsOf(part).slice(-1)[0]).not.toBe(pid), 120_000);
        // Whole again: the database, Temporal and a polling worker answer through the API.
        await eventually(stack.ready, 120_000);
      }
      stack.proc.kill('SIGTERM');
      expect(await stack.exited).toBe(0);
      expect(stack.lines).toContain('[supervisor] stopping …');
      expect(stack.errors).toEqual([]);
    } finally {
      stack.proc.kill('SIGKILL');
      rmSync(stack.dataDir, { recursive: true, force: true });
    }
  }, 600_000);

  it('gives up with the reason after more crashes than the policy allows', async () => {
    const log: string[] = [];
    let starts = 0;
    const crashing = async (): Promise<Supervised> => {
      starts += 1;
      const child = spawn(process.execPath, ['-e', 'process.exit(3)']);
      return { pid: child.pid!, exited: new Promise((r) => child.once('exit', (code, signal) => r({ code, signal }))), stop: async () => undefined };
    };
    const supervisor = supervise('crasher', crashing, (l) => log.push(l), { backoffMs: [10, 20], maxCrashes: 3, windowMs: 60_000 });
    const reason = await supervisor.gaveUp;
    expect(reason).toBe('crasher exited with code 3; it ended 4 times within 60 s, so the supervisor gives up');
    expect(starts).toBe(4);
    expect(log.filter((l) => l.includes('restarting in'))).toEqual([
      'crasher exited with code 3; restarting in 0.01 s (crash 1; after 3 within 60 s the next one stops everything)',
      'crasher exited with code 3; restarting in 0.02 s (crash 2; after 3 within 60 s the next one stops everything)',
      'crasher exited with code 3; restarting in 0.02 s (crash 3; after 3 within 60 s the next one stops everything)',
    ]);
    await supervisor.stop();
  });
});
