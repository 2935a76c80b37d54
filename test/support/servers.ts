const need = (name: string) => {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the tests with \`npm test\`, which starts Temporal and FerretDB first (or \`npm run test:workflows\` for test/workflowLogic)`);
  }
  return value;
};

/** What globalSetup started; a test that runs without it fails and says so. */
export function testServers() {
  return {
    temporalAddress: need('TEST_TEMPORAL_ADDRESS'),
    mongodbUri: need('TEST_MONGODB_URI'),
    temporalCli: need('TEST_TEMPORAL_CLI'),
    ...workflowTestTools(),
  };
}

/** What workflow tests on the time-skipping server need, and all the fast ones get: no database, no dev server. */
export function workflowTestTools() {
  return {
    timeSkippingServer: need('TEST_TIME_SKIPPING_SERVER'),
    workflowBundle: need('TEST_WORKFLOW_BUNDLE'),
  };
}

let counter = 0;
/** A name no other test file in this run uses: for databases and task queues. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Date.now().toString(36)}`;
}
