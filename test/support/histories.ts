import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testServers } from './servers';

export const historiesDir = join(__dirname, '../histories');

/**
 * With RECORD_HISTORIES=1, a test saves the history of a workflow it ran (as
 * `temporal workflow show --output json` prints it), for the replay test to keep
 * later workflow code compatible with it (use patched() when it is not).
 */
export async function recordHistory(workflowId: string, name: string) {
  if (!process.env.RECORD_HISTORIES) return;
  const { temporalCli, temporalAddress } = testServers();
  const { stdout } = await promisify(execFile)(
    temporalCli,
    ['workflow', 'show', '--workflow-id', workflowId, '--address', temporalAddress, '--output', 'json'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  writeFileSync(join(historiesDir, `${name}.json`), stdout);
}

export function recordedHistories(): { name: string; history: unknown }[] {
  return readdirSync(historiesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ name: f, history: JSON.parse(readFileSync(join(historiesDir, f), 'utf8')) }));
}
