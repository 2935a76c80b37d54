import type { Config } from '../../config';
import type { Store } from './index';

/** Loads the seed file's people; someone the secretariat has since edited keeps the edits. */
export async function seedUsers(config: Config, store: Store) {
  for (const { id, ...u } of config.people.users) {
    await store.users.updateOne({ _id: id }, { $setOnInsert: { ...u, active: true } }, { upsert: true });
  }
}
