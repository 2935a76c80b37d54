import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/** One proxy, so every stage calls its activities with the same timeouts and retries. */
export const acts = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
