import { ensureTools } from '../../provision/tools';
import { newRunDir, writeWorkflowBundle } from './workflowBundle';

/**
 * For the fast workflow tests alone (`npm run test:workflows`): only the workflow
 * bundle and the path of the time-skipping test server, which each test file starts
 * for itself. No Temporal dev server, no FerretDB. `npm test` runs the same files
 * under the full globalSetup, which provides both as well.
 */
export default async function workflowLogicSetup() {
  const started = Date.now();
  const [tools, bundlePath] = await Promise.all([ensureTools(), writeWorkflowBundle(newRunDir())]);
  process.env.TEST_TIME_SKIPPING_SERVER = tools.testServer;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  console.log(`\n[test] workflow bundle ${bundlePath} (${Date.now() - started} ms)`);
}
