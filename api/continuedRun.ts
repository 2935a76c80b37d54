import { WorkflowNotFoundError, type WorkflowExecutionDescription } from '@temporalio/client';

/**
 * Sends to a workflow, once more if it met the moment the workflow continued as new: the
 * closing run refuses it as completed, and the new run, already running, takes it. A
 * workflow that really ended still answers not found.
 */
export async function acrossContinueAsNew<T>(describe: () => Promise<WorkflowExecutionDescription>, send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) || attempt === 3) throw err;
      const { status } = await describe();
      if (status.name !== 'RUNNING') throw err;
    }
  }
}
