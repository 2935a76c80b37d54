import { Router } from 'express';
import { z } from 'zod';
import { issue, issueText, type Issue } from '../../domain/issues';
import { paramsOf } from '../../domain/codes';
import type { Store, UserDoc } from '../../store';
import { isDuplicateKey, lockKey, serialised } from '../../store/serialised';
import type { Config } from '../../config';
import { languages, roles } from '../../domain/people';
import { actorOf, requireRole } from '../auth';
import { badRequest, conflict, notFound, parseBody } from '../problem';

export const userSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9._-]{2,60}$/, issue('userIdFormat')),
  name: z.string().trim().min(1).max(200),
  email: z.email(),
  roles: z.array(z.enum(roles)).min(1).max(10),
  department: z.string().max(100).optional(),
  /** The language of their mail. */
  language: z.enum(languages).optional(),
  active: z.boolean().default(true),
});
export const userUpdateSchema = userSchema.omit({ id: true }).partial();

const view = (u: UserDoc) => ({
  id: u._id,
  name: u.name,
  email: u.email,
  roles: u.roles,
  department: u.department ?? null,
  language: u.language ?? 'da',
  active: u.active ?? true,
});

/** People seeded from config on start; the secretariat manages them here afterwards. */
export function userRoutes(config: Config, store: Store) {
  const router = Router();
  const departments = new Set(config.people.departments.map((d) => d.code));

  function checkDepartment(u: { roles?: string[]; department?: string }) {
    if (u.roles?.includes('department') && !(u.department && departments.has(u.department))) {
      const unknown: Issue = { code: 'unknownDepartment', departments: [...departments] };
      throw badRequest([{ field: 'department', code: unknown.code, message: issueText(unknown), params: paramsOf(unknown) }]);
    }
  }

  router.get('/me', (req, res) => {
    res.json(actorOf(req));
  });

  router.get('/users', async (req, res) => {
    requireRole(req, 'secretariat', 'operator');
    const users = await store.users.find().sort({ _id: 1 }).lean();
    res.json({ items: users.map(view) });
  });

  router.post('/users', async (req, res) => {
    requireRole(req, 'secretariat');
    const u = parseBody(userSchema, req.body);
    checkDepartment(u);
    if (await store.users.exists({ _id: u.id })) throw conflict({ code: 'userExists', userId: u.id });
    const { id, ...rest } = u;
    const created = await store.users.create({ _id: id, ...rest }).catch((err: unknown) => {
      if (isDuplicateKey(err)) throw conflict({ code: 'userExists', userId: u.id }); // created meanwhile
      throw err;
    });
    res.status(201).json(view(created.toObject()));
  });

  router.put('/users/:id', async (req, res) => {
    requireRole(req, 'secretariat');
    const patch = parseBody(userUpdateSchema, req.body);
    // Checked and written under the user's lock, so two edits neither lose one another nor combine into an invalid user.
    const updated = await serialised(store, lockKey(store.users, req.params.id), async () => {
      const existing = await store.users.findById(req.params.id).lean();
      if (!existing) throw notFound('user', req.params.id);
      checkDepartment({ roles: patch.roles ?? existing.roles, department: patch.department ?? existing.department ?? undefined });
      return store.users.findByIdAndUpdate(req.params.id, { $set: patch }, { new: true }).lean();
    });
    res.json(view(updated!));
  });

  return router;
}
