import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Measure } from '../measure';

/**
 * Issue #14's last row, read rather than run: the events of the 48-month outcome contract
 * with five measurement points that test/workflows/contractHistory.test.ts drives on the
 * time-skipping server and records (`RECORD_HISTORIES=1`). Running it here would need
 * that server as well; the recording is re-made whenever the workflow changes.
 */
export const history: Measure = {
  name: 'history',
  async run() {
    const file = resolve(__dirname, '../../test/histories/outcome-contract-assignees-when-due.json');
    const { events } = JSON.parse(readFileSync(file, 'utf8')) as { events: unknown[] };
    return [
      {
        measure: 'history of a 48-month contract with 5 measurement points (recorded by test/workflows/contractHistory.test.ts)',
        value: { amount: events.length, unit: 'events' },
        target: { kind: 'atMost', max: 700, unit: 'events' },
      },
    ];
  },
};
