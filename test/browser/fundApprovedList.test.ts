import type { Browser } from 'playwright-core';
import { seedCommitments } from '../../bench/seedCommitments';
import { proposalSchema } from '../../domain/proposal';
import { openStore, type Store } from '../../store';
import { recordCommitment } from '../../store/commitments';
import { youthAnxietyGroups } from '../fixtures/proposals';
import { testServers } from '../support/servers';
import { startStack, type Stack } from '../support/stack';
import { checkPage, launchChromium, signInAs } from './support/browser';
import { hasText, shows } from './support/expect';

/**
 * The fund page lists the approved proposals not yet reserved a page at a time, with
 * their total and the committed figure over all of them; the list is kept with the
 * outlook's commitments, so what another process records shows on the next view.
 */
describe("the fund page's approved list, in Chromium", () => {
  let stack: Stack;
  let browser: Browser;
  let other: Store;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack('fund-approved'), launchChromium()]);
    // Cases as the system records them: of 66, every third (22) approved and earmarked, the rest running.
    await seedCommitments(stack.store, 66, 'LIST');
    // Another process on the same database: the worker, whose activities record commitments.
    other = openStore(testServers().mongodbUri, stack.store.conn.db!.databaseName);
    await other.ready();
  });
  afterAll(async () => {
    await other?.close();
    await browser?.close();
    await stack?.stop();
  });

  it('pages the approved proposals with their total, counts them all in the figures, and shows what another process records', async () => {
    const page = await signInAs(browser, stack.api.url, 'Sara', { cspViolations });
    await page.goto(`${stack.api.url}/fund`);
    const list = page.locator('#committed-table');
    await hasText(list.locator('caption'), 'Forslag 1–20 af 22', { contains: true });
    expect(await list.locator('tbody tr').count()).toBe(20);
    await hasText(list.locator('tbody tr').first(), `LIST-00002 ${youthAnxietyGroups.title} Afventer tilskud`, { contains: true });
    // Each asks 12,000 kr. of the fund and holds it earmarked: the figure counts all 22, not the page's 20.
    await hasText(page.locator('dl.figures'), 'Godkendt af rådet, endnu ikke reserveret 264.000,00 kr.', { contains: true });

    await page.getByRole('link', { name: 'Flere forslag' }).click();
    await hasText(list.locator('caption'), 'Forslag 21–22 af 22', { contains: true });
    expect(await list.locator('tbody tr').count()).toBe(2);
    expect(page.url()).toContain('approvedPage=2');
    await shows(page.getByRole('link', { name: 'Forrige forslag' }));
    await checkPage(page, 'fund-approved-page-2');

    // The council approves one more, recorded by the other process: this process kept the list it read, and reads it again.
    const id = 'LIST-99999';
    await other.proposals.create({
      _id: id,
      workflowId: `proposal-${id}`,
      content: proposalSchema.parse({ ...youthAnxietyGroups, title: 'Nyt godkendt forslag' }),
      stage: 'MayoralApproval',
      stageSeq: 7,
      revision: 1,
      createdBy: 'sara.secretariat',
    });
    await recordCommitment(other, { proposalId: id, seq: 1, commitment: { stage: 'MayoralApproval' } });
    await page.reload();
    await hasText(list.locator('caption'), 'Forslag 21–23 af 23', { contains: true });
    await hasText(list.locator('tbody tr').last(), `${id} Nyt godkendt forslag Borgmesterens godkendelse`, { contains: true });

    // Its reservation takes it off the list.
    await recordCommitment(other, { proposalId: id, seq: 2, commitment: { stage: 'GrantActive' } });
    await page.reload();
    await hasText(list.locator('caption'), 'Forslag 21–22 af 22', { contains: true });
    expect(cspViolations).toEqual([]);
  });
});
