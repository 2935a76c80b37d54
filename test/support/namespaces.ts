import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';

/** The namespaces globalSetup creates on the dev server: more than the test files that start a stack. */
export const testNamespaces = Array.from({ length: 64 }, (_, i) => `test-${i + 1}`);

/**
 * A namespace no other stack in this run uses. Test files run in several jest
 * workers at once, so the claim is a file created exclusively in the run's directory.
 */
export function claimNamespace(): string {
  const runDir = process.env.TEST_RUN_DIR;
  if (!runDir) throw new Error('TEST_RUN_DIR is not set: run the tests with `npm test`, which starts Temporal and FerretDB first');
  for (const ns of testNamespaces) {
    try {
      closeSync(openSync(join(runDir, `${ns}.claimed`), 'wx'));
      return ns;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`all ${testNamespaces.length} test namespaces are taken: add more in test/support/namespaces.ts`);
}
