import type { DataConverter } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { registerSearchAttributes } from '../../provision/servers';
import { customSearchAttributes } from '../../workflows/searchAttributes';
import { workflowTestTools } from './servers';

/**
 * Temporal's time-skipping test server, on a port of its own: its clock keeps pace
 * with the wall clock until env.sleep skips it ahead, past bid windows and standstills.
 * (A module of its own, so the fast workflow tests load no database or mail code.)
 */
export async function startTimeSkippingServer(dataConverter?: DataConverter) {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: workflowTestTools().timeSkippingServer } },
    ...(dataConverter ? { client: { dataConverter } } : {}),
  });
  // That server starts without the project's search attributes, which the workflow upserts.
  await registerSearchAttributes(env.connection, customSearchAttributes, env.namespace ?? 'default');
  return env;
}
