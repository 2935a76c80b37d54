import type { Browser, Page } from 'playwright-core';
import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { checkPage, launchChromium, signInAs } from './support/browser';
import { hasAttribute, hasText, shows } from './support/expect';

/** A CPR number typed into a form is refused at its field, in Danish, and nothing is saved. */
describe('a CPR number on the pages, in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack('browser-cpr'), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** Sends the page's form and answers the status of the page it got back. */
  async function send(page: Page, button: string): Promise<number> {
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: button }).click()]);
    return response.status();
  }

  it('refuses a proposal whose summary names a citizen by CPR number, and keeps what was typed', async () => {
    const page = await signInAs(browser, stack.api.url, 'Sara Friis', { cspViolations });
    await page.goto(`${stack.api.url}/proposals/new`);
    const summary = `${housingFirst.summary} Fx borgeren 241285-2317.`;
    await page.fill('[name="title"]', housingFirst.title);
    await page.fill('[name="summary"]', summary);
    await page.selectOption('[name="welfareArea"]', housingFirst.welfareArea);
    await page.selectOption('[name="responsibleDepartment"]', housingFirst.responsibleDepartment);

    expect(await send(page, 'Opret forslaget')).toBe(422);
    await shows(page.locator('.error-summary'));
    await hasText(page.locator('#f-summary-error'), 'Må ikke indeholde et CPR-nummer. Fonden registrerer antal, aldrig personer: fjern nummeret');
    await hasAttribute(page.locator('#f-summary'), 'aria-invalid', 'true');
    expect(await page.inputValue('#f-summary')).toBe(summary);
    await checkPage(page, 'proposal-form-cpr');
    expect(await stack.store.proposals.countDocuments()).toBe(0);
  });

  it("refuses a council member's comment with a CPR number, and the vote is not cast", async () => {
    const sara = await stack.as('sara.secretariat');
    const { id } = (await sara.post('/api/proposals', housingFirst)).body as { id: string };
    await sara.post(`/api/proposals/${id}/submit`);
    const vote = await eventually(async () => {
      const t = await stack.store.tasks.findOne({ proposalId: id, kind: 'councilVote', assignee: 'bo.member' }).lean();
      if (!t) throw new Error('no vote yet');
      return t;
    });

    const page = await signInAs(browser, stack.api.url, 'Bo Lind', { cspViolations });
    await page.goto(`${stack.api.url}/tasks/${vote._id}`);
    await page.getByLabel('Godkend').check();
    await page.fill('[name="comment"]', 'Jeg kender borgeren 0101901234 fra kommunen.');

    expect(await send(page, 'Afgiv stemme')).toBe(422);
    await hasText(page.locator('#f-comment-error'), 'Må ikke indeholde et CPR-nummer', { contains: true });
    await checkPage(page, 'task-vote-cpr');
    expect((await stack.store.tasks.findById(vote._id).lean())!.status).toBe('open');
    expect(cspViolations).toEqual([]);
  });
});
