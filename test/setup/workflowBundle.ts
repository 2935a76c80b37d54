import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { bundlerLogger } from '../../worker/workflowBundle';
import { failureConverterPath } from '../../config/temporal';

const root = resolve(__dirname, '../..');

/** A directory of its own for this test run's logs, data and workflow bundle. */
export function newRunDir(): string {
  const runsDir = join(root, '.data/test-runs');
  mkdirSync(runsDir, { recursive: true });
  const dir = mkdtempSync(join(runsDir, 'run-'));
  // PostgreSQL runs as its own account when the tests run as root: it must reach its data directory in here.
  chmodSync(dir, 0o755);
  return dir;
}

/**
 * Bundles the workflow code once for the whole run, so each test file's worker starts
 * without webpack. Webpack takes 10-15 s on a busy machine, so a bundle is kept under
 * `.data/workflow-bundles/`, named by a hash of every source file outside test/ and of
 * the locked dependencies: any change to the code makes a new one.
 */
export async function writeWorkflowBundle(runDir: string): Promise<string> {
  const bundlePath = join(runDir, 'workflow-bundle.js');
  const cacheDir = join(root, '.data/workflow-bundles');
  const cached = join(cacheDir, `${sourceHash()}.js`);
  if (!existsSync(cached)) {
    // With the failure converter production uses: failures' messages travel encoded (encrypted by the codec).
    const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), failureConverterPath, logger: bundlerLogger });
    mkdirSync(cacheDir, { recursive: true });
    // Written under a name of its own, then renamed: a concurrent run never reads half a bundle.
    const partial = `${cached}.${process.pid}.tmp`;
    writeFileSync(partial, bundle.code);
    renameSync(partial, cached);
  }
  copyFileSync(cached, bundlePath);
  return bundlePath;
}

const skipped = new Set(['node_modules', '.data', '.tools', '.git', 'test', 'test-artifacts', 'docs']);

function sourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory() && !skipped.has(path)) walk(path);
      else if (entry.isFile() && /\.(ts|js|mjs|cjs|json)$/.test(entry.name))
        hash
          .update(path)
          .update('\0')
          .update(readFileSync(join(root, path)))
          .update('\0');
    }
  };
  walk('');
  return hash.digest('hex').slice(0, 24);
}
