import { typedText } from '../../domain/freeText';
import { mayUseSystem } from '../../domain/people';
import { Router } from 'express';
import type { Store } from '../../store';
import { csrfField } from './csrf';
import { safeNext } from './errors';
import { html } from './html';
import { dict } from '../../i18n';
import { langOf } from './lang';
import { layout, notice } from './layout';
import type { Oidc } from './oidc';
import type { Sessions } from './session';

/** The local sign-in's choice: a user id, bounded as the API's ids are. */
const signInUserId = typedText().min(1).max(200);

/**
 * Sign-in. With local sign-in turned on (LOCAL_SIGN_IN, which `npm start` sets and
 * production-like settings refuse, see config) the page lists the active users to
 * choose from, without a password and marked as local only. With OIDC configured, the
 * button leads to the issuer (authorization code flow with PKCE, see oidc.ts).
 */
export function signInRoutes(deps: { store: Store; sessions: Sessions; localSignIn: boolean; oidc?: Oidc }) {
  const router = Router();

  router.get('/sign-in', async (req, res) => {
    const lang = langOf(req);
    const t = dict(lang);
    const next = safeNext(req.query.next);
    const users = deps.localSignIn ? (await deps.store.users.find({ active: true }).sort({ _id: 1 }).lean()).filter(mayUseSystem) : [];
    const failed = req.query.error === 'failed';
    // Present, though empty, when the id sent was none the list could offer (a control character, a page of text).
    // Named back only when it looks like an id: anyone can send this link, and the notice must not carry their words.
    const unknown = typeof req.query.unknown === 'string' ? (/^[\w.@+-]{1,100}$/.test(req.query.unknown) ? req.query.unknown : '') : undefined;
    res.type('html').send(
      layout(req, {
        title: t.signIn.title,
        body: html`<h1>${t.signIn.title}</h1>
        ${failed ? notice('error', t.signIn.failed) : ''}
        ${unknown !== undefined ? notice('error', t.signIn.unknownUser(unknown)) : ''}
        ${deps.oidc ? html`<p><a class="button" href="/auth/oidc?next=${encodeURIComponent(next)}">${t.signIn.oidc}</a></p>` : ''}
        ${
          deps.localSignIn
            ? html`<section class="local-sign-in" aria-labelledby="local-title">
          <h2 id="local-title">${t.signIn.chooseUser} <span class="badge badge-warning">${t.signIn.localOnly}</span></h2>
          <p>${t.signIn.localExplain}</p>
          <form method="post" action="/sign-in">
            ${csrfField(req)}
            <input type="hidden" name="next" value="${next}">
            <ul class="user-list">
              ${users.map(
                (u) => html`<li><button type="submit" name="userId" value="${u._id}" class="user-button">
                  <span class="user-name">${u.name}</span>
                  <span class="user-roles">${u.roles.map((r) => t.roles[r] ?? r).join(', ')}${u.department ? ` (${u.department})` : ''}</span>
                </button></li>`,
              )}
            </ul>
          </form>
        </section>`
            : ''
        }
        ${!deps.localSignIn && !deps.oidc ? html`<p>${t.signIn.notConfigured}</p>` : ''}`,
      }),
    );
  });

  router.post('/sign-in', async (req, res) => {
    const next = safeNext(req.body.next);
    if (!deps.localSignIn) {
      res.redirect(303, `/sign-in?error=failed&next=${encodeURIComponent(next)}`);
      return;
    }
    // A user id as the list offers them: one the database could not even look up (a control character, a page of text) is nobody's.
    const asked = signInUserId.safeParse(req.body.userId);
    const userId = asked.success ? asked.data : '';
    const user = userId ? await deps.store.users.findById(userId).lean() : null;
    if (!user || !mayUseSystem(user)) {
      res.redirect(303, `/sign-in?unknown=${encodeURIComponent(userId)}&next=${encodeURIComponent(next)}`);
      return;
    }
    await deps.sessions.signIn(req, res, user._id);
    res.redirect(303, next);
  });

  router.post('/sign-out', async (req, res) => {
    await deps.sessions.signOut(req, res);
    res.redirect(303, '/sign-in');
  });

  return router;
}
