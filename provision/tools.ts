/**
 * Provisions the three local servers the project runs on, cached under
 * `<project>/.tools/` (git-ignored):
 *
 *  - Temporal CLI dev server (with Web UI), built with `go install`;
 *  - FerretDB (MongoDB wire protocol, on a private PostgreSQL server the launcher
 *    starts, or SQLite), built from the launcher module in `provision/ferretdb/`;
 *  - Temporal's time-skipping test server (Java, from Maven Central) and a
 *    generated wrapper script that starts it;
 *  - Python tools from PyPI, each in a virtual environment of its own under
 *    `.tools/<name>/`, pinned by `provision/<name>/requirements.txt`: the API
 *    fuzzer schemathesis, and lib-cove-ocds, the Open Contracting validator.
 *
 * A first run builds for minutes and prints a heartbeat; later runs only
 * compare version stamps (`.tools/stamps/`) and return at once.
 *
 * CLI: `npx tsx provision/tools.ts` provisions and prints the paths as JSON.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export interface ToolPaths {
  /** Temporal CLI (`temporal server start-dev`). */
  temporal: string;
  /** FerretDB launcher (`-port`, `-data-dir`, `-handler`, `-durable`; exits on stdin EOF). */
  ferretdb: string;
  /** Wrapper script for the time-skipping test server (`<port> [flags]`). */
  testServer: string;
  /** schemathesis CLI (`run <openapi.json> …`), in its own virtual environment. */
  schemathesis: string;
  /** lib-cove-ocds CLI, the Open Contracting Partnership's validator; its environment's `python` lies beside it. */
  libcoveocds: string;
}

export const PROJECT_ROOT = path.resolve(__dirname, '..');
export const TOOLS_DIR = path.join(PROJECT_ROOT, '.tools');

const PROVISION_DIR = path.join(PROJECT_ROOT, 'provision');
const BIN_DIR = path.join(TOOLS_DIR, 'bin');
const STAMP_DIR = path.join(TOOLS_DIR, 'stamps');
const LOG_DIR = path.join(TOOLS_DIR, 'logs');
const LOCK_DIR = path.join(TOOLS_DIR, 'provision.lock');

export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const TEMPORAL_CLI_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';

const FERRETDB_SRC = path.join(PROVISION_DIR, 'ferretdb');
const TEST_SERVER_POM = path.join(PROVISION_DIR, 'test-server', 'pom.xml');
const TEST_SERVER_DIR = path.join(TOOLS_DIR, 'test-server');
const TEST_SERVER_MAIN = 'io.temporal.testserver.TestServer';

/** A command of a Python tool's virtual environment, `.tools/<name>/bin/<command>`. */
const venvCommand = (name: string, command: string) => path.join(TOOLS_DIR, name, 'bin', command);

const HEARTBEAT_MS = 15_000;

const paths: ToolPaths = {
  temporal: path.join(BIN_DIR, 'temporal'),
  ferretdb: path.join(BIN_DIR, 'ferretdb-launcher'),
  testServer: path.join(TEST_SERVER_DIR, 'temporal-test-server'),
  schemathesis: venvCommand('fuzzer', 'schemathesis'),
  libcoveocds: venvCommand('ocds-validator', 'libcoveocds'),
};

// ---------------------------------------------------------------------------
// output helpers

function log(message: string): void {
  process.stderr.write(`[provision] ${message}\n`);
}

export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function sha256(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
}

function fileContents(file: string): string {
  return fs.readFileSync(file, 'utf8');
}

// ---------------------------------------------------------------------------
// tool descriptions

interface Tool {
  id: keyof ToolPaths;
  /** Human-readable name for progress lines. */
  label: string;
  /** Files that must exist for the tool to count as installed. */
  outputs: string[];
  /** Changes whenever the tool must be rebuilt. */
  stamp(): string;
  /** Commands that must be on PATH to build it, with install hints. */
  needs: Requirement[];
  build(): Promise<void>;
}

interface Requirement {
  command: string;
  versionArgs: string[];
  hint: string;
}

const GO: Requirement = {
  command: 'go',
  versionArgs: ['version'],
  hint:
    'Go (1.24 or newer; older Go 1.21+ downloads the right toolchain through the module proxy) ' +
    'is needed to build the Temporal CLI and FerretDB. Install it from https://go.dev/dl/ ' +
    '(or your package manager) and make sure `go` is on PATH.',
};
const JAVA: Requirement = {
  command: 'java',
  versionArgs: ['-version'],
  hint:
    "A Java runtime (17 or newer) is needed to run Temporal's time-skipping test server. " +
    'Install e.g. `apt-get install openjdk-17-jdk-headless` and make sure `java` is on PATH.',
};
const MAVEN: Requirement = {
  command: 'mvn',
  versionArgs: ['-v'],
  hint:
    "Maven (3.6 or newer) is needed to fetch Temporal's time-skipping test server from Maven Central. " + 'Install e.g. `apt-get install maven` and make sure `mvn` is on PATH.',
};

const PYTHON: Requirement = {
  command: 'python3',
  versionArgs: ['-c', 'import venv, ensurepip'],
  hint: 'Python 3.9 or newer with venv and ensurepip (Debian: `apt-get install python3-venv`) is needed to install the API fuzzer schemathesis and the OCDS validator lib-cove-ocds from PyPI.',
};

function testServerVersion(): string {
  const m = /<temporal\.test-server\.version>\s*([^<\s]+)\s*</.exec(fileContents(TEST_SERVER_POM));
  if (!m) throw new Error(`cannot find <temporal.test-server.version> in ${TEST_SERVER_POM}`);
  return m[1];
}

/** Go environment for all builds: the caller's, with reproducible flags. */
function goEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // -buildvcs=false: the project's own git state must not leak into (or break) the build.
    GOFLAGS: '-buildvcs=false',
    ...extra,
  };
}

const temporalTool: Tool = {
  id: 'temporal',
  label: `Temporal CLI ${TEMPORAL_CLI_VERSION}`,
  outputs: [paths.temporal],
  stamp: () => `go install ${TEMPORAL_CLI_PACKAGE}@${TEMPORAL_CLI_VERSION}`,
  needs: [GO],
  async build() {
    await runWithProgress({
      label: this.label,
      logName: 'temporal',
      command: 'go',
      // Exactly `GOBIN=.tools/bin go install …@v1.5.1`; -v lists packages as they compile (progress).
      args: ['install', '-v', `${TEMPORAL_CLI_PACKAGE}@${TEMPORAL_CLI_VERSION}`],
      cwd: TOOLS_DIR,
      env: goEnv({ GOBIN: BIN_DIR }),
      progress: goProgress(1_300),
    });
  },
};

const ferretdbTool: Tool = {
  id: 'ferretdb',
  label: 'FerretDB v1.24.2 launcher',
  outputs: [paths.ferretdb],
  stamp: () => 'ferretdb-launcher ' + sha256(...['go.mod', 'go.sum', 'main.go', 'postgres.go'].map((f) => fileContents(path.join(FERRETDB_SRC, f)))),
  needs: [GO],
  async build() {
    const tmp = `${paths.ferretdb}.tmp-${process.pid}`;
    try {
      await runWithProgress({
        label: this.label,
        logName: 'ferretdb',
        command: 'go',
        args: ['build', '-v', '-mod=readonly', '-o', tmp, '.'],
        cwd: FERRETDB_SRC,
        env: goEnv(),
        progress: goProgress(720),
      });
      fs.renameSync(tmp, paths.ferretdb);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  },
};

const testServerTool: Tool = {
  id: 'testServer',
  get label() {
    return `Temporal time-skipping test server ${testServerVersion()}`;
  },
  get outputs() {
    return [paths.testServer, path.join(TEST_SERVER_DIR, 'lib', `temporal-test-server-${testServerVersion()}.jar`)];
  },
  stamp: () => 'test-server ' + sha256(fileContents(TEST_SERVER_POM), wrapperScript(testServerVersion())),
  needs: [JAVA, MAVEN],
  async build() {
    const version = testServerVersion();
    const lib = path.join(TEST_SERVER_DIR, 'lib');
    const staging = path.join(TEST_SERVER_DIR, `lib.tmp-${process.pid}`);
    fs.rmSync(staging, { recursive: true, force: true });
    try {
      await runWithProgress({
        label: this.label,
        logName: 'test-server',
        command: 'mvn',
        // -B: no colours/interactive progress; the log keeps "Downloaded from" lines, counted for progress.
        args: ['-B', '-f', TEST_SERVER_POM, 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`],
        cwd: path.dirname(TEST_SERVER_POM),
        env: process.env,
        progress: mavenProgress(),
      });
      if (!fs.existsSync(path.join(staging, `temporal-test-server-${version}.jar`))) {
        throw new Error(`maven did not copy temporal-test-server-${version}.jar (see ${logPath('test-server')})`);
      }
      fs.rmSync(lib, { recursive: true, force: true });
      fs.renameSync(staging, lib);
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
    fs.writeFileSync(paths.testServer, wrapperScript(version), { mode: 0o755 });
    fs.chmodSync(paths.testServer, 0o755);
    await trainClassDataSharing(lib);
  },
};

/** JVM flags for fast start-up: C1 only, serial GC (the SDK gives the server 5 s). */
const TEST_SERVER_JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];
const TEST_SERVER_CDS_ARCHIVE = path.join(TEST_SERVER_DIR, 'app.jsa');

/**
 * Records a class-data-sharing archive (JDK 13+ dynamic AppCDS) of one test server
 * start, which the wrapper maps at every start: about half the start-up time
 * (seen: 1.5 s -> 0.6 s on 2 busy cores). Optional: on failure the wrapper runs without it.
 */
async function trainClassDataSharing(lib: string): Promise<void> {
  const tmp = `${TEST_SERVER_CDS_ARCHIVE}.tmp`;
  fs.rmSync(TEST_SERVER_CDS_ARCHIVE, { force: true });
  fs.rmSync(tmp, { force: true });
  const logFile = logPath('test-server-cds');
  const out = fs.openSync(logFile, 'w');
  const port = await freeLocalPort();
  const started = Date.now();
  const child = spawn('java', [...TEST_SERVER_JVM_FLAGS, `-XX:ArchiveClassesAtExit=${tmp}`, '-cp', `${lib}/*`, TEST_SERVER_MAIN, String(port)], { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => {
    child.on('exit', () => resolve());
    child.on('error', () => resolve());
  });
  try {
    // Wait until it serves gRPC, so the classes for that are recorded too.
    const { Connection } = await import('@temporalio/client');
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null || Date.now() - started > 60_000) {
        throw new Error('test server did not come up');
      }
      try {
        const connection = await Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: 1_000, interceptors: [] });
        await connection.close();
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    child.kill('SIGTERM'); // the archive is written while the JVM exits
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    await exited;
    clearTimeout(timer);
    if (!(fs.statSync(tmp, { throwIfNoEntry: false })?.size ?? 0)) throw new Error('no archive written');
    fs.renameSync(tmp, TEST_SERVER_CDS_ARCHIVE);
    log(`recorded a class-data-sharing archive for faster test server start-up (${formatElapsed(Date.now() - started)})`);
  } catch (e) {
    child.kill('SIGKILL');
    await exited;
    fs.rmSync(tmp, { force: true });
    log(`note: no class-data-sharing archive for the test server (${(e as Error).message}; see ${logFile}); it starts a little slower`);
  }
}

function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The test server wrapper. @temporalio/testing runs it as `<path> <port> [extraArgs…]`
 * with stdin = /dev/null, waits at most 5 s for the gRPC port, and stops it with SIGKILL.
 */
function wrapperScript(version: string): string {
  return `#!/bin/sh
# Generated by provision/tools.ts: Temporal time-skipping test server ${version}.
# Usage: temporal-test-server <port> [--enable-time-skipping]
# Extra JVM options: TEMPORAL_TEST_SERVER_JAVA_OPTS. Java: $JAVA_HOME/bin/java or java on PATH.
dir=$(cd "$(dirname "$0")" && pwd) || exit 1
java=java
if [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then java="$JAVA_HOME/bin/java"; fi

# Watchdog: if the process that started us dies without stopping us (e.g. a test
# run killed with SIGKILL), kill the JVM. $$ stays the JVM's pid after exec.
parent=$PPID
self=$$
(
  while kill -0 "$parent" 2>/dev/null; do
    kill -0 "$self" 2>/dev/null || exit 0
    sleep 1
  done
  kill -KILL "$self" 2>/dev/null
) </dev/null >/dev/null 2>&1 &

# Fast start-up (the SDK allows 5 s): C1 only, serial GC, and the class-data-sharing
# archive recorded at provisioning (silently ignored if missing or stale, e.g. after a JDK update).
# shellcheck disable=SC2086
exec "$java" ${TEST_SERVER_JVM_FLAGS.join(' ')} \\
  -XX:SharedArchiveFile="$dir/app.jsa" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off \\
  $TEMPORAL_TEST_SERVER_JAVA_OPTS -cp "$dir/lib/*" ${TEST_SERVER_MAIN} "$@"
`;
}

/**
 * A Python command from PyPI in a virtual environment of its own, `.tools/<name>/`,
 * installed from `provision/<name>/requirements.txt`: the tool and everything it pulls
 * in, pinned (`pip freeze`), so a fresh clone runs the same code. The stamp is the lock.
 */
function pythonTool(id: keyof ToolPaths, label: string, name: string, command: string): Tool {
  const requirements = path.join(PROVISION_DIR, name, 'requirements.txt');
  const venv = path.join(TOOLS_DIR, name);
  return {
    id,
    label,
    outputs: [venvCommand(name, command)],
    stamp: () => `${id} ${sha256(fileContents(requirements))}`,
    needs: [PYTHON],
    async build() {
      // Installed in place (a venv's scripts name its path, so it cannot be moved); only the stamp, written after, marks it finished.
      fs.rmSync(venv, { recursive: true, force: true });
      const install = { label, logName: id, cwd: TOOLS_DIR, env: process.env, progress: pipProgress() };
      await runWithProgress({ ...install, command: 'python3', args: ['-m', 'venv', venv] });
      await runWithProgress({ ...install, command: venvCommand(name, 'pip'), args: ['install', '--no-input', '--disable-pip-version-check', '-r', requirements] });
    },
  };
}

const schemathesisTool = pythonTool('schemathesis', 'schemathesis (API fuzzer)', 'fuzzer', 'schemathesis');
const libcoveocdsTool = pythonTool('libcoveocds', 'lib-cove-ocds (OCDS validator)', 'ocds-validator', 'libcoveocds');

const TOOLS: Tool[] = [temporalTool, ferretdbTool, testServerTool, schemathesisTool, libcoveocdsTool];

// ---------------------------------------------------------------------------
// stamps

function stampFile(tool: Tool): string {
  return path.join(STAMP_DIR, `${tool.id}.stamp`);
}

function isUpToDate(tool: Tool): boolean {
  if (!tool.outputs.every((f) => fs.existsSync(f))) return false;
  try {
    return fs.readFileSync(stampFile(tool), 'utf8') === tool.stamp();
  } catch {
    return false;
  }
}

function writeStamp(tool: Tool): void {
  fs.mkdirSync(STAMP_DIR, { recursive: true });
  fs.writeFileSync(stampFile(tool), tool.stamp());
}

// ---------------------------------------------------------------------------
// running builds with a heartbeat

interface Progress {
  onLine(line: string): void;
  /** Short status for the heartbeat, e.g. "12 modules downloaded, 340/~1250 packages compiled". */
  status(): string;
}

function goProgress(expectedPackages: number): Progress {
  let downloaded = 0;
  let compiled = 0;
  return {
    onLine(line) {
      if (line.startsWith('go: downloading ')) downloaded++;
      else if (/^[\w.\-/~]+$/.test(line)) compiled++; // `go build -v` prints each package it compiles
    },
    status() {
      const parts: string[] = [];
      if (downloaded) parts.push(`${downloaded} modules downloaded`);
      parts.push(`${compiled} packages compiled; a cold build compiles ~${expectedPackages}`);
      return parts.join(', ');
    },
  };
}

function mavenProgress(): Progress {
  let downloaded = 0;
  let copied = 0;
  return {
    onLine(line) {
      if (/Downloaded from /.test(line)) downloaded++;
      else if (/Copying .*\.jar to /.test(line)) copied++;
    },
    status() {
      return `${downloaded} files downloaded, ${copied} jars copied`;
    },
  };
}

function pipProgress(): Progress {
  let collected = 0;
  return {
    onLine(line) {
      if (line.startsWith('Collecting ')) collected++;
    },
    status() {
      return `${collected} packages collected`;
    },
  };
}

function logPath(name: string): string {
  return path.join(LOG_DIR, `${name}.log`);
}

interface RunOptions {
  label: string;
  logName: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  progress: Progress;
}

async function runWithProgress(o: RunOptions): Promise<void> {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logFile = logPath(o.logName);
  const out = fs.createWriteStream(logFile);
  const started = Date.now();
  const tail: string[] = [];
  log(`building ${o.label} (log: ${path.relative(PROJECT_ROOT, logFile)})`);
  log(`  $ ${o.command} ${o.args.join(' ')}`);

  const child = spawn(o.command, o.args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const onData = (() => {
    let partial = '';
    return (chunk: Buffer) => {
      out.write(chunk);
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const raw of lines) {
        // eslint-disable-next-line no-control-regex -- strips the terminal colour codes (ESC [ … m) that Maven and Go print
        const line = raw.replace(/\x1b\[[0-9;]*m/g, '').trim();
        if (!line) continue;
        o.progress.onLine(line);
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    };
  })();
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);

  const heartbeat = setInterval(() => {
    log(`building ${o.label} … ${formatElapsed(Date.now() - started)} (${o.progress.status()})`);
  }, HEARTBEAT_MS);

  try {
    const code = await new Promise<number | string>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (c, signal) => resolve(c ?? signal ?? 'unknown'));
    });
    if (code !== 0) {
      throw new Error(
        `building ${o.label} failed (exit ${code}) after ${formatElapsed(Date.now() - started)}; ` + `last output (full log: ${logFile}):\n  ${tail.slice(-25).join('\n  ')}`,
      );
    }
  } finally {
    clearInterval(heartbeat);
    await new Promise<void>((resolve) => out.end(resolve));
  }
  log(`built ${o.label} in ${formatElapsed(Date.now() - started)}`);
}

// ---------------------------------------------------------------------------
// prerequisites and locking

function checkRequirements(tools: Tool[]): void {
  const missing = new Map<string, Requirement>();
  for (const t of tools) {
    for (const r of t.needs) {
      const res = spawnSync(r.command, r.versionArgs, { stdio: 'ignore' });
      if (res.error || res.status !== 0) missing.set(r.command, r);
    }
  }
  if (missing.size > 0) {
    const lines = [...missing.values()].map((r) => `  - \`${r.command}\` not found or not working. ${r.hint}`);
    throw new Error(`cannot build ${tools.map((t) => t.label).join(', ')}:\n${lines.join('\n')}`);
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Cross-process lock (a directory holding the owner's pid), so concurrent runs don't build twice. */
async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  fs.mkdirSync(TOOLS_DIR, { recursive: true });
  const started = Date.now();
  let lastNotice = 0;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8'));
      } catch {
        // the owner may not have written its pid yet
      }
      const ageMs = Date.now() - (fs.statSync(LOCK_DIR, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if ((Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) || (Number.isNaN(owner) && ageMs > 10_000)) {
        fs.rmSync(LOCK_DIR, { recursive: true, force: true }); // stale
        continue;
      }
      if (Date.now() - lastNotice >= HEARTBEAT_MS) {
        lastNotice = Date.now();
        log(`waiting for another provisioning run (pid ${owner}) to finish … ${formatElapsed(Date.now() - started)}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// public API

let pending: Promise<ToolPaths> | undefined;

/**
 * Makes sure the servers and tools are built and returns their absolute paths.
 * Fast (no processes started) when everything is already provisioned.
 */
export function ensureTools(): Promise<ToolPaths> {
  pending ??= provision().catch((e: unknown) => {
    pending = undefined;
    throw e;
  });
  return pending;
}

async function provision(): Promise<ToolPaths> {
  if (TOOLS.every(isUpToDate)) return { ...paths };

  return withLock(async () => {
    const todo = TOOLS.filter((t) => !isUpToDate(t)); // another process may have built them meanwhile
    if (todo.length === 0) return { ...paths };
    checkRequirements(todo);
    fs.mkdirSync(BIN_DIR, { recursive: true });
    fs.mkdirSync(TEST_SERVER_DIR, { recursive: true });

    const started = Date.now();
    log(`provisioning ${todo.map((t) => t.label).join(', ')} into ${TOOLS_DIR}`);
    log('a first run downloads and compiles for several minutes; later runs take seconds');

    const build = async (t: Tool) => {
      await t.build();
      writeStamp(t);
    };
    // Maven mostly waits on the network: run it beside the Go builds. The two Go
    // builds share 2 cores and the module/build caches, so they run one after the other.
    const goTools = todo.filter((t) => t.needs.includes(GO));
    const otherTools = todo.filter((t) => !t.needs.includes(GO));
    const results = await Promise.allSettled([
      (async () => {
        for (const t of goTools) await build(t);
      })(),
      ...otherTools.map(build),
    ]);
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length > 0) {
      throw failures.length === 1 ? failures[0].reason : new Error(failures.map((f) => String((f.reason as Error)?.message ?? f.reason)).join('\n\n'));
    }
    log(`provisioning finished in ${formatElapsed(Date.now() - started)}`);
    return { ...paths };
  });
}

if (require.main === module) {
  ensureTools().then(
    (p) => {
      process.stdout.write(`${JSON.stringify(p, null, 2)}\n`);
    },
    (e: unknown) => {
      log(`error: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = 1;
    },
  );
}
