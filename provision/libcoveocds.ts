/**
 * lib-cove-ocds, the Open Contracting Partnership's validator (the library behind its
 * Data Review Tool), for the tests of the Open Contracting export: installed from PyPI
 * into a virtual environment of its own under `.tools/libcoveocds/`, once, and found
 * again by a version stamp as the other tools are (provision/tools.ts). Needs Python 3.
 *
 * CLI: `npx tsx provision/libcoveocds.ts` installs it and prints the command's path.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TOOLS_DIR } from './tools';

export const LIBCOVEOCDS_VERSION = '0.17.0';

const VENV = path.join(TOOLS_DIR, 'libcoveocds');
const STAMP = path.join(TOOLS_DIR, 'stamps', 'libcoveocds.stamp');
const stamp = `libcoveocds==${LIBCOVEOCDS_VERSION}`;

export interface LibCoveOcds {
  /** The `libcoveocds` command. */
  command: string;
  /** The environment's Python, which the tests also use to zip the standard for it. */
  python: string;
}

/** Installs lib-cove-ocds unless the stamp says it is there; throws with pip's output when it cannot. */
export function ensureLibCoveOcds(): LibCoveOcds {
  const tool = { command: path.join(VENV, 'bin', 'libcoveocds'), python: path.join(VENV, 'bin', 'python') };
  if (fs.existsSync(tool.command) && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === stamp) return tool;
  const run = (command: string, args: string[]) => {
    const r = spawnSync(command, args, { encoding: 'utf8', timeout: 10 * 60_000 });
    if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout}\n${r.stderr}`);
  };
  process.stderr.write(`[provision] installing ${stamp} into ${VENV} (a minute, once)\n`);
  fs.rmSync(VENV, { recursive: true, force: true });
  run('python3', ['-m', 'venv', VENV]);
  run(tool.python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', stamp]);
  fs.mkdirSync(path.dirname(STAMP), { recursive: true });
  fs.writeFileSync(STAMP, stamp);
  return tool;
}

if (require.main === module) console.log(ensureLibCoveOcds().command);
