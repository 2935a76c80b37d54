import type { Request } from 'express';
import { accessLogReaders } from '../../domain/accessLog';
import { hasRole } from '../../domain/people';
import { mayReadMeetings, portfolioReaders } from '../../domain/accessPolicy';
import { accessLogWords } from '../../i18n/accessLog';
import { csrfField } from './csrf';
import { html, type Html, type Renderable } from './html';
import { dict } from '../../i18n';
import { langOf } from './lang';
import { meetingWords } from '../../i18n/meetings';
import { outboxWords } from '../../i18n/outbox';

/** The frame of every page: language, skip link, header with menu and account, main, footer. */
export function layout(
  req: Request,
  opts: { title: string; body: Renderable; current?: 'inbox' | 'proposals' | 'new' | 'fund' | 'meetings' | 'portfolio' | 'outbox' | 'roleChanges' | 'accessLog' },
): string {
  const lang = langOf(req);
  const t = dict(lang);
  const user = req.pageUser;
  const other = lang === 'da' ? 'en' : 'da';
  const back = encodeURIComponent(req.method === 'GET' ? req.originalUrl : req.path);
  const link = (key: typeof opts.current, href: string, label: string): Html =>
    html`<li><a href="${href}"${opts.current === key ? html` aria-current="page"` : ''}>${label}</a></li>`;

  const page = html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} – ${t.siteName}</title>
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<a class="skip-link" href="#main">${t.skipToContent}</a>
<header class="site-header">
  <div class="wrap header-row">
    <a class="brand" href="/">${t.siteName}</a>
    <div class="account">
      ${user ? html`<span>${t.signedInAs(user.name)}</span>` : ''}
      <a href="/language?lang=${other}&amp;next=${back}" lang="${other}" hreflang="${other}">${t.switchTo}</a>
      ${user ? html`<form method="post" action="/sign-out" class="inline">${csrfField(req)}<button type="submit" class="link-button">${t.nav.signOut}</button></form>` : ''}
    </div>
  </div>
  ${
    user
      ? html`<nav aria-label="${t.nav.label}" class="wrap">
    <ul class="menu">
      ${link('inbox', '/', t.nav.inbox)}
      ${link('proposals', '/proposals', t.nav.proposals)}
      ${hasRole(user.actor, 'secretariat') ? link('new', '/proposals/new', t.nav.newProposal) : ''}
      ${link('fund', '/fund', t.nav.fund)}
      ${mayReadMeetings(user.actor) ? link('meetings', '/meetings', meetingWords(lang).nav) : ''}
      ${portfolioReaders.some((r) => hasRole(user.actor, r)) ? link('portfolio', '/portfolio', t.portfolio.nav) : ''}
      ${hasRole(user.actor, 'secretariat') || hasRole(user.actor, 'operator') ? link('outbox', '/outbox', outboxWords(lang).nav) : ''}
      ${hasRole(user.actor, 'operator') || hasRole(user.actor, 'administrator') ? link('roleChanges', '/role-changes', t.roleChanges.nav) : ''}
      ${accessLogReaders.some((r) => hasRole(user.actor, r)) ? link('accessLog', '/access-log', accessLogWords(lang).nav) : ''}
    </ul>
  </nav>`
      : ''
  }
</header>
<main id="main" class="wrap" tabindex="-1">
${opts.body}
</main>
<footer class="site-footer"><div class="wrap">${t.footer}</div></footer>
</body>
</html>
`;
  return page.text;
}

/** A notice above the page's content: a confirmation or what went wrong. */
export function notice(kind: 'success' | 'error' | 'info', body: Renderable): Html {
  const role = kind === 'error' ? 'alert' : 'status';
  return html`<div class="notice notice-${kind}" role="${role}">${body}</div>`;
}

/** A list of facts (label and value) as the pages show them; a row without a value is left out. */
export function facts(rows: [string, string | number | Html | undefined][]): Html {
  return html`<dl class="meta">${rows.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>`;
}
