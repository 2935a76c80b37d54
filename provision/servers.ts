/**
 * Starts and stops the local servers provisioned by ./tools.ts:
 * the Temporal CLI dev server and FerretDB (MongoDB wire protocol on a private
 * PostgreSQL server that the FerretDB launcher starts and owns, or on SQLite).
 *
 * Both bind 127.0.0.1 only, write their output to a log file (or keep the last
 * lines in memory for error messages), and cannot outlive the Node process that
 * started them, even if it is killed with SIGKILL:
 *  - the FerretDB launcher exits when its stdin (a pipe from this process) reaches EOF,
 *    and its PostgreSQL goes with it (a parent-death signal);
 *  - the Temporal CLI gets a watchdog: a tiny `sh` whose stdin is a pipe from this
 *    process; when that pipe closes (this process died) it sends SIGTERM, then SIGKILL.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Connection } from '@temporalio/client';
import { createConnection } from 'mongoose';
import { ensureTools, formatElapsed } from './tools';

export type SearchAttributeTypeName = 'Keyword' | 'Int' | 'Text' | 'Bool' | 'Datetime' | 'Double' | 'KeywordList';

export interface StartTemporalOptions {
  /** Frontend gRPC port (on 127.0.0.1). */
  port: number;
  /** Web UI port; omit for a headless server. */
  uiPort?: number;
  /** SQLite file for persistent state; omit for in-memory. */
  dbFile?: string;
  /** Custom search attributes registered at start (in namespace 'default'). */
  searchAttributes: Record<string, SearchAttributeTypeName>;
  /** Server output is appended here; omitted => kept in memory only (last lines, for errors). */
  logFile?: string;
  /** How long to wait until the server serves; default 60 s. */
  startTimeoutMs?: number;
  /** Extra arguments for `temporal server start-dev`, e.g. `--dynamic-config-value K=V`. */
  extraArgs?: string[];
}

export interface TemporalServer {
  /** host:port for `Connection.connect({ address })`, e.g. `127.0.0.1:7233`. */
  address: string;
  /** `http://127.0.0.1:<uiPort>` when a UI was requested. */
  uiUrl?: string;
  pid: number;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<unknown>;
  /** SIGTERM, SIGKILL after 10 s; resolves once the process has exited. Idempotent. */
  stop(): Promise<void>;
}

export interface StartFerretDbOptions {
  /** TCP port (on 127.0.0.1). */
  port: number;
  /** Directory for the PostgreSQL cluster (or the SQLite databases); created if missing. */
  dataDir: string;
  /** FerretDB's backend; default `postgresql`, whose indexes serve equality filters (see provision/ferretdb/postgres.go). */
  backend?: FerretDbBackend;
  /** false: PostgreSQL skips fsync, for data thrown away after the run (tests); default true. */
  durable?: boolean;
  /** Server output is appended here; omitted => kept in memory only (last lines, for errors). */
  logFile?: string;
  /** How long to wait until the server serves; default 30 s. */
  startTimeoutMs?: number;
}

export type FerretDbBackend = 'postgresql' | 'sqlite';

export interface FerretDbServer {
  /** e.g. `mongodb://127.0.0.1:27017/` (append a database name). */
  uri: string;
  pid: number;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<unknown>;
  /** SIGTERM, SIGKILL after 5 s; resolves once the process has exited. Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const SEARCH_ATTRIBUTE_TYPES = new Set<string>(['Keyword', 'Int', 'Text', 'Bool', 'Datetime', 'Double', 'KeywordList']);

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function assertPortFree(port: number, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          e.code === 'EADDRINUSE' ? `${what}: port ${HOST}:${port} is already in use (another server still running?)` : `${what}: cannot use port ${HOST}:${port}: ${e.message}`,
        ),
      ),
    );
    srv.listen(port, HOST, () => srv.close(() => resolve()));
  });
}

// ---------------------------------------------------------------------------
// child processes

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface ServerProcess {
  child: ChildProcess;
  pid: number;
  exited: Promise<Exit>;
  hasExited(): boolean;
  lastLines(n?: number): string[];
  /** SIGTERM, then SIGKILL after graceMs; resolves when the process has exited. */
  terminate(graceMs: number): Promise<void>;
}

function unrefStream(s: unknown): void {
  (s as { unref?: () => void } | null)?.unref?.();
}

function spawnServer(name: string, command: string, args: string[], opts: { logFile?: string; stdinPipe: boolean; cwd?: string }): ServerProcess {
  let fd: number | undefined;
  const ring: string[] = [];
  if (opts.logFile) {
    fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
    fd = fs.openSync(opts.logFile, 'a');
    fs.writeSync(fd, `\n--- ${new Date().toISOString()} starting ${name}: ${command} ${args.join(' ')}\n`);
  }
  const out = fd ?? 'pipe';
  const stdio: StdioOptions = [opts.stdinPipe ? 'pipe' : 'ignore', out, out];

  let child: ChildProcess;
  try {
    // A process group of its own: Ctrl-C in the terminal reaches the supervisor, which
    // stops the servers last, after the worker and the API have let go of them.
    child = spawn(command, args, { stdio, cwd: opts.cwd, env: process.env, detached: true });
  } finally {
    if (fd !== undefined) fs.closeSync(fd); // the child has its own copy
  }
  if (child.pid === undefined) {
    // spawning failed (e.g. ENOENT); the 'error' event follows: swallow it, report here
    child.once('error', () => undefined);
    throw new Error(`${name}: cannot start ${command}`);
  }

  if (!opts.logFile) {
    let partial = '';
    const onData = (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) {
        ring.push(l);
        if (ring.length > 200) ring.shift();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    unrefStream(child.stdout);
    unrefStream(child.stderr);
  }
  // Neither the child nor its pipes keep this process alive; if it exits without
  // stop(), the pipes close and the child goes down with it (see the file header).
  unrefStream(child.stdin);
  child.unref();

  let exitInfo: Exit | undefined;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    child.on('error', () => undefined); // e.g. a failed kill(); 'exit' still reports the end
  });

  const lastLines = (n = 30): string[] => {
    if (opts.logFile) {
      try {
        const text = readTail(opts.logFile, 64 * 1024);
        return text
          .split('\n')
          .filter((l) => l.trim() !== '')
          .slice(-n);
      } catch {
        return [];
      }
    }
    return ring.filter((l) => l.trim() !== '').slice(-n);
  };

  const terminate = async (graceMs: number): Promise<void> => {
    if (exitInfo) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!exitInfo) child.kill('SIGKILL');
    }, graceMs);
    try {
      await exited;
    } finally {
      clearTimeout(timer);
      child.stdin?.destroy();
    }
  };

  return { child, pid: child.pid, exited, hasExited: () => exitInfo !== undefined, lastLines, terminate };
}

function readTail(file: string, bytes: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const len = Math.min(size, bytes);
    const buf = Buffer.alloc(len);
    fs.readSync(fd, buf, 0, len, size - len);
    return buf.toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Kills `pid` (SIGTERM, then SIGKILL) when this Node process dies: a `sh` blocked
 * reading a pipe whose only writer is this process. `read` is a shell builtin, so
 * it is a single process. Returns a function that dismisses the watchdog.
 */
function startWatchdog(pid: number): () => void {
  const script = [
    'while read -r _; do :; done',
    'kill -TERM "$1" 2>/dev/null || exit 0',
    'i=0',
    'while [ "$i" -lt 20 ]; do kill -0 "$1" 2>/dev/null || exit 0; sleep 0.5; i=$((i+1)); done',
    'kill -KILL "$1" 2>/dev/null',
  ].join('\n');
  const dog = spawn('/bin/sh', ['-c', script, 'sif-watchdog', String(pid)], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  dog.on('error', () => undefined);
  unrefStream(dog.stdin);
  dog.unref();
  return () => {
    // Kill it first (it must not act on a reused pid), then close the pipe.
    dog.kill('SIGKILL');
    dog.stdin?.destroy();
  };
}

function failure(what: string, proc: ServerProcess, reason: string, logFile?: string): Error {
  const lines = proc.lastLines();
  const where = logFile ? ` (log: ${logFile})` : '';
  return new Error(`${what} ${reason}${where}` + (lines.length ? `\nlast output:\n  ${lines.join('\n  ')}` : '\n(no output)'));
}

function describeExit(e: Exit): string {
  return e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `probe` until it resolves, the process exits, or the timeout passes.
 * Returns undefined on success, else a failure reason.
 */
async function waitUntilReady(proc: ServerProcess, timeoutMs: number, probe: (remainingMs: number) => Promise<void>): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (proc.hasExited()) return describeExit(await proc.exited);
    try {
      await probe(deadline - Date.now());
      if (proc.hasExited()) return describeExit(await proc.exited); // something else answered
      return undefined;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    await Promise.race([sleep(250), proc.exited]);
  }
  return `did not become ready within ${formatElapsed(timeoutMs)}` + (lastError ? ` (last error: ${lastError})` : '');
}

// ---------------------------------------------------------------------------
// Temporal

/** Starts `temporal server start-dev` on 127.0.0.1 and waits until it serves namespace 'default'. */
export async function startTemporal(opts: StartTemporalOptions): Promise<TemporalServer> {
  const { temporal } = await ensureTools();
  const timeoutMs = opts.startTimeoutMs ?? 60_000;
  const address = `${HOST}:${opts.port}`;
  const what = `Temporal dev server on ${address}`;

  for (const [name, type] of Object.entries(opts.searchAttributes)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid search attribute name ${JSON.stringify(name)}`);
    if (!SEARCH_ATTRIBUTE_TYPES.has(type)) throw new Error(`invalid type ${JSON.stringify(type)} for search attribute ${name}`);
  }
  await assertPortFree(opts.port, what);
  if (opts.uiPort !== undefined) await assertPortFree(opts.uiPort, `Temporal Web UI`);

  const args = ['server', 'start-dev', '--ip', HOST, '--port', String(opts.port)];
  if (opts.uiPort !== undefined) args.push('--ui-port', String(opts.uiPort));
  else args.push('--headless');
  if (opts.dbFile) {
    const dbFile = path.resolve(opts.dbFile);
    fs.mkdirSync(path.dirname(dbFile), { recursive: true });
    args.push('--db-filename', dbFile);
  }
  for (const [name, type] of Object.entries(opts.searchAttributes)) args.push('--search-attribute', `${name}=${type}`);
  args.push('--log-level', 'warn', '--color', 'never', ...(opts.extraArgs ?? []));

  const proc = spawnServer('temporal', temporal, args, { logFile: opts.logFile, stdinPipe: false });
  const dismissWatchdog = startWatchdog(proc.pid);
  void proc.exited.then(dismissWatchdog);

  const wanted = Object.keys(opts.searchAttributes);
  const uiUrl = opts.uiPort !== undefined ? `http://${HOST}:${opts.uiPort}` : undefined;
  const reason = await waitUntilReady(proc, timeoutMs, async (remainingMs) => {
    const connection = await Connection.connect({
      address,
      connectTimeout: Math.max(500, Math.min(remainingMs, 3_000)),
      interceptors: [], // no retries; we poll
    });
    try {
      const deadline = Date.now() + Math.max(500, Math.min(remainingMs, 5_000));
      await connection.withDeadline(deadline, () => connection.workflowService.describeNamespace({ namespace: 'default' }));
      const { customAttributes } = await connection.withDeadline(deadline, () => connection.operatorService.listSearchAttributes({ namespace: 'default' }));
      const missing = wanted.filter((n) => !(customAttributes && n in customAttributes));
      if (missing.length) throw new Error(`search attributes not registered yet: ${missing.join(', ')}`);
    } finally {
      await connection.close();
    }
    if (uiUrl) {
      const res = await fetch(uiUrl, { signal: AbortSignal.timeout(3_000) });
      await res.body?.cancel();
    }
  });
  if (reason !== undefined) {
    await proc.terminate(0);
    dismissWatchdog();
    throw failure(what, proc, reason, opts.logFile);
  }

  let stopping: Promise<void> | undefined;
  return {
    address,
    uiUrl,
    pid: proc.pid,
    exited: proc.exited,
    stop: () =>
      (stopping ??= (async () => {
        await proc.terminate(10_000);
        dismissWatchdog();
      })()),
  };
}

// ---------------------------------------------------------------------------
// FerretDB

/** Starts FerretDB on 127.0.0.1 (and its private PostgreSQL) and waits until a MongoDB client can ping it. */
export async function startFerretDb(opts: StartFerretDbOptions): Promise<FerretDbServer> {
  const { ferretdb } = await ensureTools();
  const timeoutMs = opts.startTimeoutMs ?? 30_000;
  const uri = `mongodb://${HOST}:${opts.port}/`;
  const what = `FerretDB on ${HOST}:${opts.port}`;
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  await assertPortFree(opts.port, what);

  // stdin is a pipe from this process: the launcher exits when it reaches EOF.
  const args = ['-port', String(opts.port), '-data-dir', dataDir, '-handler', opts.backend ?? 'postgresql', `-durable=${opts.durable ?? true}`];
  const proc = spawnServer('ferretdb', ferretdb, args, {
    logFile: opts.logFile,
    stdinPipe: true,
  });

  const reason = await waitUntilReady(proc, timeoutMs, async (remainingMs) => {
    const ms = Math.max(500, Math.min(remainingMs, 3_000));
    const conn = createConnection(uri, { serverSelectionTimeoutMS: ms, connectTimeoutMS: ms, maxPoolSize: 1 });
    try {
      await conn.asPromise();
      const db = conn.db;
      if (!db) throw new Error('no database handle after connect');
      await db.admin().ping();
    } finally {
      await conn.close(true).catch(() => undefined);
    }
  });
  if (reason !== undefined) {
    await proc.terminate(0);
    throw failure(what, proc, reason, opts.logFile);
  }

  let stopping: Promise<void> | undefined;
  return {
    uri,
    pid: proc.pid,
    exited: proc.exited,
    stop: () => (stopping ??= proc.terminate(5_000)),
  };
}

// ---------------------------------------------------------------------------
// search attributes on an already running server

const INDEXED_VALUE_TYPE: Record<SearchAttributeTypeName, number> = {
  // temporal.api.enums.v1.IndexedValueType
  Text: 1,
  Keyword: 2,
  Int: 3,
  Double: 4,
  Bool: 5,
  Datetime: 6,
  KeywordList: 7,
};

/**
 * Registers custom search attributes through the OperatorService. Needed for the
 * time-skipping test server (it knows only a few built-in test attributes), e.g.
 *   const env = await TestWorkflowEnvironment.createTimeSkipping(...);
 *   await registerSearchAttributes(env.connection, { ProposalId: 'Keyword' });
 * Attributes that already exist are left alone, so it is also safe on the dev server.
 * (The test server implements AddSearchAttributes but not ListSearchAttributes.)
 */
export async function registerSearchAttributes(connection: Connection, searchAttributes: Record<string, SearchAttributeTypeName>, namespace = 'default'): Promise<void> {
  const GRPC_ALREADY_EXISTS = 6;
  const GRPC_UNIMPLEMENTED = 12;
  let known: Record<string, unknown> = {};
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    known = { ...existing.systemAttributes, ...existing.customAttributes };
  } catch (e) {
    if ((e as { code?: number }).code !== GRPC_UNIMPLEMENTED) throw e;
  }
  for (const [name, type] of Object.entries(searchAttributes)) {
    if (name in known) continue;
    try {
      // one at a time: the test server rejects the whole request at the first existing name
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: { [name]: INDEXED_VALUE_TYPE[type] },
      });
    } catch (e) {
      if ((e as { code?: number }).code !== GRPC_ALREADY_EXISTS) throw e;
    }
  }
}
