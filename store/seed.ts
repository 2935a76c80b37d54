import type { Config } from '../config';
import { ledger } from './ledger';
import { insertOnce } from './serialised';
import type { Store } from './index';

/**
 * What a fresh database needs before anyone acts, safe to run on every start:
 * the seed file's people (someone the secretariat has since edited keeps the
 * edits) and the fund's opening balance, booked once.
 */
export async function prepareDatabase(config: Config, store: Store) {
  for (const { id, ...u } of config.people.users) {
    await insertOnce(store.users, id, { ...u, active: true }); // the API and the worker may start at once
  }
  await ledger(store).open(config.fund.openingCapital, config.fund.startDate);
}
