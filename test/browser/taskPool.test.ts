import type { Browser, Page } from 'playwright-core';
import { youthAnxietyGroups } from '../fixtures/proposals';
import { approveThroughAgreement, waitForStage } from '../support/drive';
import { startStack, type Stack } from '../support/stack';
import { launchChromium, screenshot, seriousA11yViolations, signInAs } from './support/browser';
import { hasText, shows } from './support/expect';

/**
 * Sara hands her grant agreement to the pool before her holiday; Jonas finds it in
 * his inbox under the tasks anyone in the secretariat may take, takes it, and the
 * answer form is his.
 */
describe('pooled tasks in the inbox, in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack('pool-pages'), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const signedIn = (name: string, lang: 'da' | 'en' = 'da') => signInAs(browser, stack.api.url, name, { cspViolations, lang });

  it('releases a task to the pool and lets a colleague take it from the inbox', async () => {
    const created = await (await stack.as('sara.secretariat')).post('/api/proposals', youthAnxietyGroups);
    const id: string = created.body.id;
    const handle = stack.client.workflow.getHandle(`proposal-${id}`);
    await approveThroughAgreement(stack.store, handle, id);
    await waitForStage(handle, 'GrantAgreement');
    const taskId = `${id}.grantAgreement`;

    const jonas = await signedIn('Jonas Krogh');
    await hasText(jonas.locator('h2'), 'Ledige opgaver i din rolle');
    await shows(jonas.getByText('Der er ingen ledige opgaver.'));

    const sara = await signedIn('Sara Friis');
    await sara.getByRole('link', { name: 'Tilsagn' }).first().click();
    await sara.waitForURL(`${stack.api.url}/tasks/${encodeURIComponent(taskId)}`);
    expect(await seriousA11yViolations(sara)).toEqual([]);
    await sara.getByRole('button', { name: 'Giv opgaven fri' }).click();
    await sara.waitForURL(`${stack.api.url}/?released=1`);
    await shows(sara.getByText('Opgaven er givet fri. Dine kolleger har fået besked.'));
    await stack.smtp.waitFor('jonas.krogh', /^Ledig opgave: /);

    await jonas.reload();
    const row = jonas.locator('tr', { hasText: id });
    await shows(row.getByRole('button', { name: 'Tag opgaven' }));
    expect(await seriousA11yViolations(jonas)).toEqual([]);
    await screenshot(jonas, 'inbox-pool');
    await row.getByRole('button', { name: 'Tag opgaven' }).click();
    await jonas.waitForURL(`${stack.api.url}/tasks/${encodeURIComponent(taskId)}?claimed=1`);
    await shows(jonas.getByText('Opgaven er nu din.'));
    await shows(jonas.getByRole('button', { name: 'Giv opgaven fri' }));
    expect((await stack.store.tasks.findById(taskId).lean())?.assignee).toBe('jonas.secretariat');
    await jonas.goto(`${stack.api.url}/proposals/${id}`);
    await hasText(jonas.locator('table.timeline tr', { hasText: 'Gav opgaven fri' }), 'Sara Friis', { contains: true });
    await hasText(jonas.locator('table.timeline tr', { hasText: 'Tog opgaven' }), 'Jonas Krogh', { contains: true });

    // A claim from a page that no longer shows who holds the task is refused in plain words.
    await sara.goto(`${stack.api.url}/tasks/${encodeURIComponent(taskId)}`);
    await shows(sara.getByRole('button', { name: 'Tag opgaven' }));
    await stack.as('jonas.secretariat').then((j) => j.post(`/api/tasks/${encodeURIComponent(taskId)}/release`));
    await sara.getByRole('button', { name: 'Tag opgaven' }).click();
    await shows(sara.getByText('Opgaven har skiftet hænder i mellemtiden.', { exact: false }));

    // A holder no page shows (a form edited by hand) is refused as the API refuses it, and changes nothing.
    await sara.goto(`${stack.api.url}/tasks/${encodeURIComponent(taskId)}`);
    await sara.locator('input[name="from"]').evaluate((el, value) => el.setAttribute('value', value), 'x'.repeat(150_000));
    await sara.getByRole('button', { name: 'Tag opgaven' }).click();
    await hasText(sara.locator('h1'), 'Det kunne ikke lade sig gøre');
    await shows(sara.getByText('Formularen har fejl.', { exact: false }));
    expect((await stack.store.tasks.findById(taskId).lean())?.assignee ?? null).toBeNull();

    // Sent while no worker runs, the claim comes back as it was sent, to be sent again once the service is back: it counts once.
    await sara.goto(`${stack.api.url}/tasks/${encodeURIComponent(taskId)}`);
    await stack.stopWorker();
    try {
      await sara.getByRole('button', { name: 'Tag opgaven' }).click();
      await hasText(sara.locator('h1'), 'Midlertidigt utilgængelig');
      await shows(sara.getByText('Det, du udfyldte, er ikke gået tabt. Send det igen om lidt.'));
      expect(await seriousA11yViolations(sara)).toEqual([]);
    } finally {
      await stack.restartWorker();
    }
    await sendAgainUntil(sara, `/tasks/${encodeURIComponent(taskId)}?claimed=1`);
    await shows(sara.getByText('Opgaven er nu din.'));
    expect((await stack.store.tasks.findById(taskId).lean())?.assignee).toBe('sara.secretariat');
    expect(await stack.store.events.countDocuments({ proposalId: id, type: 'taskClaimed', by: 'sara.secretariat' })).toBe(1);

    // Jonas takes it over while she writes its conditions: her answer is refused, and the page gives her back what she wrote.
    await sara.goto(`${stack.api.url}/tasks/${encodeURIComponent(taskId)}`);
    const conditions = 'Tilskuddet må kun bruges til gruppeforløb for unge med angst, og forløbene evalueres efter et år.';
    await sara.locator('aside.task-answer textarea[name="conditions"]').fill(conditions);
    const takeover = await (await stack.as('jonas.secretariat')).post(`/api/tasks/${encodeURIComponent(taskId)}/claim`, { from: 'sara.secretariat' });
    expect(takeover.status).toBe(200);
    await sara.locator('aside.task-answer button[type="submit"]').click();
    await hasText(sara.locator('#unsaved-title'), 'Det, du skrev (ikke gemt)');
    await hasText(sara.locator('blockquote.unsaved'), conditions);
    expect(await seriousA11yViolations(sara)).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  /** Sends the kept form again a moment later, as a person would, until the service takes it and shows `path`; each sending in between is answered 503. */
  async function sendAgainUntil(page: Page, path: string) {
    for (let tries = 1; ; tries++) {
      if (tries > 30) throw new Error(`the form was still not taken after ${tries - 1} sendings`);
      await page.waitForTimeout(2_000);
      const answered = page.waitForResponse((r) => r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Send igen' }).click();
      const status = (await answered).status();
      if (status === 303) return page.waitForURL(`${stack.api.url}${path}`);
      expect(status).toBe(503);
      await page.waitForLoadState();
    }
  }
});
