import type { Request } from 'express';
import { hasRole, type Role } from '../../domain/people';
import { PageProblem, SignInRequired } from './errors';
import { dict, langOf } from './i18n';
import type { SignedInUser } from './session';

/** The signed-in user, or off to sign-in (and back here afterwards). */
export function requireUser(req: Request): SignedInUser {
  if (!req.pageUser) throw new SignInRequired();
  return req.pageUser;
}

export function requireRolePage(req: Request, ...roles: Role[]): SignedInUser {
  const user = requireUser(req);
  if (!roles.some((r) => hasRole(user.actor, r))) {
    const t = dict(langOf(req)).problem;
    throw new PageProblem(403, t.forbidden, t.onlySecretariat);
  }
  return user;
}
