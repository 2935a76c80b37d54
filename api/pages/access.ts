import type { Request } from 'express';
import { hasRole, type Actor, type Role } from '../../domain/people';
import { PageProblem, SignInRequired } from './errors';
import { dict } from '../../i18n';
import { langOf } from './lang';
import type { SignedInUser } from './session';

/** The signed-in user, or off to sign-in (and back here afterwards). */
export function requireUser(req: Request): SignedInUser {
  if (!req.pageUser) throw new SignInRequired();
  return req.pageUser;
}

export function requireRolePage(req: Request, ...roles: Role[]): SignedInUser {
  return requirePageAccess(req, (actor) => roles.some((r) => hasRole(actor, r)));
}

/** The signed-in user, if the access policy lets them read the page. */
export function requirePageAccess(req: Request, may: (actor: Actor) => boolean): SignedInUser {
  const user = requireUser(req);
  if (!may(user.actor)) {
    const t = dict(langOf(req)).problem;
    throw new PageProblem(403, t.forbidden, t.onlySecretariat);
  }
  return user;
}
