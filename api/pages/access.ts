import type { Request } from 'express';
import { hasRole, type Actor, type Role } from '../../domain/people';
import { PageProblem, SignInRequired } from './errors';
import { dict, refusalWords } from '../../i18n';
import { langOf } from './lang';
import type { SignedInUser } from './session';

/** The signed-in user, or off to sign-in (and back here afterwards). */
export function requireUser(req: Request): SignedInUser {
  if (!req.pageUser) throw new SignInRequired();
  return req.pageUser;
}

export function requireRolePage(req: Request, ...roles: Role[]): SignedInUser {
  // The secretariat's own pages say it in their words; a page of other roles names them.
  return requirePageAccess(req, (actor) => roles.some((r) => hasRole(actor, r)), roles.length === 1 && roles[0] === 'secretariat' ? undefined : roles);
}

/** The signed-in user, if the access policy lets them read the page. */
export function requirePageAccess(req: Request, may: (actor: Actor) => boolean, roles?: readonly Role[]): SignedInUser {
  const user = requireUser(req);
  if (!may(user.actor)) {
    const lang = langOf(req);
    // Who may, where a page names the roles; the secretariat's pages say so.
    throw new PageProblem(403, dict(lang).problem.forbidden, roles ? refusalWords(lang, { code: 'needsRole', roles: [...roles] }) : dict(lang).problem.onlySecretariat);
  }
  return user;
}
