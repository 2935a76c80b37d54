import { DefaultLogger, Runtime } from '@temporalio/worker';

// Workers in tests log warnings and errors only, so a failure is not buried in state changes.
Runtime.install({ logger: new DefaultLogger('WARN') });
