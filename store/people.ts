import { randomUUID } from 'node:crypto';
import { councilOf, type Council } from '../domain/council';
import type { Person, Role } from '../domain/people';
import type { Refusal } from '../domain/refusals';
import { emailChangeRefusal, roleChangeRefusal, standing } from '../domain/roleChanges';
import type { Store, UserDoc } from '.';
import { insertOnce, isDuplicateKey, lockKey, serialised } from './serialised';

export type PersonFields = Omit<UserDoc, '_id'>;

export const personOf = (u: Pick<UserDoc, '_id' | 'roles' | 'department' | 'active'>): Person => ({
  id: u._id,
  roles: u.roles as Role[],
  ...(u.department ? { department: u.department } : {}),
  // Only a record that says so is active: every query for authority asks `active: true`.
  active: u.active === true,
});

/** The council as it sits today: its active members and chair (domain/council.ts says when it is complete). */
export async function councilToday(store: Store): Promise<Council> {
  const seated = await store.users.find({ roles: { $in: ['councilMember', 'councilChair'] }, active: true }).lean();
  return councilOf(seated.map(personOf));
}

/**
 * The council that met: as it sat when the meeting began, once it has begun; before, as it
 * sits today. Everyone as they are now, with each change of roles or standing made since
 * the meeting began undone, newest first (a person whose change created them did not yet
 * exist). Taken back from today rather than built up from the record, so a person the
 * record lacks (seeded before it was kept) counts as they stand. A meeting held in December
 * is recorded in January with the council that met, though a new term has seated another member since.
 */
export async function councilOfMeeting(store: Store, m: { startsAt: string }): Promise<Council> {
  const began = new Date(m.startsAt);
  if (began.getTime() > Date.now()) return councilToday(store);
  const [people, since] = await Promise.all([
    store.users.find({}, { roles: 1, department: 1, active: 1 }).lean(),
    store.roleChanges
      .find({ at: { $gt: began } }, { userId: 1, before: 1 })
      .sort({ at: -1, _id: -1 })
      .lean(),
  ]);
  const asOf = new Map(people.map((u) => [u._id, personOf(u)]));
  for (const c of since) {
    if (!c.before) asOf.delete(c.userId);
    else asOf.set(c.userId, personOf({ _id: c.userId, ...c.before, department: c.before.department ?? undefined }));
  }
  return councilOf([...asOf.values()]);
}

/**
 * The rules about needed roles look at everyone at once (the last secretary, the third
 * council member), so every change of a person is made under one lock: two
 * administrators deactivating the last two of a role at the same moment cannot both
 * pass. People change rarely; one lock for all of them costs nothing.
 */
const peopleLock = (store: Store) => lockKey(store.users, '*');

/**
 * Creates or changes one person: `apply` gives the person as they are to be (from the
 * existing record, or null for a new one). Refused by the rules of domain/roleChanges.ts,
 * or written: a change of roles, department or standing is put on record (who, when,
 * before, after) before the person is written, so no change is ever made off the record.
 */
export async function changePerson(
  store: Store,
  c: { by: string; id: string; departments: readonly string[]; apply: (existing: UserDoc | null) => PersonFields },
): Promise<{ refused: Refusal } | { before: UserDoc | null; after: UserDoc }> {
  return serialised(store, peopleLock(store), async () => {
    const everyone = await store.users.find().lean();
    const before = everyone.find((u) => u._id === c.id) ?? null;
    const after: UserDoc = { ...c.apply(before), _id: c.id };
    const withAddress = (u: UserDoc) => ({ id: u._id, email: u.email, active: u.active === true });
    const refused =
      roleChangeRefusal(c.by, { before: before ? personOf(before) : undefined, after: personOf(after) }, everyone.map(personOf), c.departments) ??
      emailChangeRefusal(c.by, { before: before ? withAddress(before) : undefined, after: withAddress(after) }, everyone.map(withAddress));
    if (refused) return { refused };
    const was = before ? standing(personOf(before)) : null;
    const becomes = standing(personOf(after));
    const emailChanged = !!before && before.email !== after.email;
    if (JSON.stringify(was) !== JSON.stringify(becomes) || emailChanged) {
      await store.roleChanges.create({ _id: randomUUID(), userId: c.id, by: c.by, at: new Date(), before: was, after: becomes, ...(emailChanged ? { emailChanged: true } : {}) });
    }
    const { _id, ...fields } = after;
    // The person as they are to be: a department or language they no longer have is removed, not kept from before.
    const dropped = (['department', 'language'] as const).filter((k) => fields[k] === undefined);
    if (!before) await store.users.create({ _id, ...fields });
    else await store.users.updateOne({ _id }, { $set: fields, ...(dropped.length ? { $unset: Object.fromEntries(dropped.map((k) => [k, 1])) } : {}) });
    return { before, after };
  });
}

/**
 * A person from the configuration file, written once: someone the administrator has
 * since changed keeps the changes. Their first roles are on record as given by `configuration`.
 */
export async function seedPerson(store: Store, id: string, fields: PersonFields): Promise<void> {
  const r = await store.users.updateOne({ _id: id }, { $setOnInsert: fields }, { upsert: true }).catch((err: unknown) => {
    if (isDuplicateKey(err)) return { upsertedCount: 0 }; // the API and the worker may start at once
    throw err;
  });
  if (r.upsertedCount > 0) {
    await insertOnce(store.roleChanges, `${id}.configuration`, {
      userId: id,
      by: 'configuration',
      at: new Date(),
      before: null,
      after: standing(personOf({ _id: id, ...fields })),
    });
  }
}

/** The record of role changes, newest first, a page at a time; of one person if `userId` is given. */
export async function roleChangesPage(store: Store, q: { userId?: string; page: number; pageSize: number }) {
  const filter = q.userId ? { userId: q.userId } : {};
  const [items, total] = await Promise.all([
    store.roleChanges
      .find(filter)
      .sort({ at: -1, _id: 1 })
      .skip((q.page - 1) * q.pageSize)
      .limit(q.pageSize)
      .lean(),
    store.roleChanges.countDocuments(filter),
  ]);
  return { items, total };
}
