import type { Store } from '../../store';

/** People's names by user id, for a page to show who did what; an unknown id shows as itself. */
export async function userNames(store: Store): Promise<(userId: string) => string> {
  const users = await store.users.find({}, { name: 1 }).lean();
  const names = new Map(users.map((u) => [u._id, u.name]));
  return (userId) => names.get(userId) ?? userId;
}
