import type { Config } from '../config';
import { ledger } from './ledger';
import { seedPerson } from './people';
import type { Store } from './index';

/**
 * What a fresh database needs before anyone acts, safe to run on every start:
 * the seed file's people (someone the administrator has since changed keeps the
 * changes) and the fund's opening balance, booked once.
 */
export async function prepareDatabase(config: Config, store: Store) {
  for (const { id, ...u } of config.people.users) {
    await seedPerson(store, id, { ...u, active: true });
  }
  await ledger(store).open(config.fund.openingCapital, config.fund.startDate);
}
