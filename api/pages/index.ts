import { join } from 'node:path';
import { pagePaths } from './pagePaths';
import express, { Router } from 'express';
import type { Store } from '../../store';
import { saysHttps, type Config } from '../../config';
import type { LifecycleClient } from '../lifecycle';
import { formIdempotency } from '../idempotency';
import { htmlPageHeaders } from '../securityHeaders';
import { checkCsrf } from './csrf';
import { PageProblem, pageErrorHandler, safeNext } from './errors';
import { accessLogPageRoutes } from './accessLogPage';
import { fundRoutes } from './fundPage';
import { dict } from '../../i18n';
import { langOf, setLang } from './lang';
import { inboxRoutes } from './inbox';
import { meetingPageRoutes } from './meetingsPage';
import { oidc } from './oidc';
import { outboxPageRoutes } from './outboxPage';
import { roleChangesPageRoutes } from './roleChangesPage';
import { portfolioPageRoutes } from './portfolioPage';
import { procurementPageRoutes } from './procurementPage';
import { proposalFormRoutes } from './proposalForm';
import { proposalPageRoutes } from './proposalPage';
import { reportPageRoutes } from './reportPage';
import { sessions } from './session';
import { signInRoutes } from './signIn';
import { taskClaimRoutes } from './taskClaims';
import { taskPageRoutes } from './taskPage';

/**
 * The pages for people (server-rendered HTML) over the same store, the same
 * LifecycleClient Updates and the same role and assignee checks as the API.
 */
export function pageRoutes(deps: { config: Config; store: Store; lifecycle: LifecycleClient }) {
  const { config, store, lifecycle } = deps;
  const oidcSettings = config.oidc;
  const secure = saysHttps(config.publicUrl);
  const session = sessions({ store, timeouts: config.sessions, secure });
  const oidcClient = oidcSettings ? oidc(oidcSettings, { publicUrl: config.publicUrl, secure, store, sessions: session }) : undefined;

  const router = Router();
  router.use(htmlPageHeaders);
  router.use(pagePaths);
  router.use('/assets', express.static(join(__dirname, 'static'), { maxAge: '1h', fallthrough: false }));
  router.use((_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });
  router.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 2000 }));
  router.use(session.middleware);

  router.get('/language', (req, res) => {
    setLang(res, req.query.lang === 'en' ? 'en' : 'da', secure);
    res.redirect(303, safeNext(req.query.next));
  });
  if (oidcClient) router.use(oidcClient);
  router.use(checkCsrf);
  router.use(formIdempotency(store));
  router.use(signInRoutes({ store, sessions: session, localSignIn: config.auth.localSignIn, oidc: oidcClient }));
  router.use(inboxRoutes(store));
  router.use(taskClaimRoutes(store, lifecycle));
  router.use(taskPageRoutes(store, lifecycle));
  router.use(proposalFormRoutes(config, store, lifecycle));
  router.use(proposalPageRoutes(config, store, lifecycle));
  router.use(procurementPageRoutes(config, store, lifecycle));
  router.use(fundRoutes(config, store, lifecycle));
  router.use(reportPageRoutes(store, lifecycle));
  router.use(meetingPageRoutes(config, store, lifecycle));
  router.use(outboxPageRoutes(config, store));
  router.use(roleChangesPageRoutes(store));
  router.use(portfolioPageRoutes(store));
  router.use(accessLogPageRoutes(store));
  router.use((req) => {
    const t = dict(langOf(req)).problem;
    throw new PageProblem(404, t.notFound, t.notFoundText);
  });
  router.use(pageErrorHandler);
  return router;
}
