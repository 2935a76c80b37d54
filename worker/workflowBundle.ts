import { fork } from 'node:child_process';
import { bundleWorkflowCode } from '@temporalio/worker';
import { failureConverterPath } from '../config/temporal';

/**
 * The workflow code bundled by a short-lived child process. Webpack in the worker's own
 * process left about 100 MiB of it resident for the life of the worker.
 */
export function bundleInChildProcess(): Promise<{ code: string }> {
  return new Promise((resolve, reject) => {
    // The parent's Node flags (the tsx loader, heap limits) hold in the child too.
    const child = fork(__filename, [], { execArgv: process.execArgv });
    let code: string | undefined;
    child.once('message', (message) => (code = message as string));
    child.once('error', reject);
    child.once('exit', (exitCode, signal) =>
      code !== undefined ? resolve({ code }) : reject(new Error(`bundling the workflow code failed (${signal ?? `exit code ${exitCode}`})`)),
    );
  });
}

/** Webpack's progress and statistics are noise in the worker's log; its warnings and errors are not. */
export const bundlerLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

if (require.main === module) {
  // With the failure converter the worker's data converter names: failures' messages travel encoded.
  bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), failureConverterPath, logger: bundlerLogger })
    .then((bundle) => process.send!(bundle.code, () => process.exit(0)))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
