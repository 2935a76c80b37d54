import type { Browser } from 'playwright-core';
import { youthAnxietyGroups } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { answerOpenTask } from '../support/grantThisYear';
import { startStack, type Stack } from '../support/stack';
import { checkPage, launchChromium, signInAs } from './support/browser';
import { hasText, shows } from './support/expect';

/**
 * A council meeting in a real browser on the whole system: the secretariat plans a
 * meeting on the calendar and cancels it; puts a proposal on the agenda of another;
 * a member finds the agenda with the decision paper and their own vote; after the
 * meeting the secretariat records attendance, the decision and a conflict of
 * interest; the chair approves the minutes by her task; the minutes are a document
 * and stand on the proposal's timeline. Every page passes axe.
 */
describe('a council meeting, in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  const cspViolations: string[] = [];
  const title = youthAnxietyGroups.title;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack('meetings-browser', {}, (c) => void (c.council.agendaNotice = 3_000)), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const sara = () => signInAs(browser, stack.api.url, 'Sara Friis', { cspViolations });

  it('plans a meeting on the calendar and cancels it, with the reason', async () => {
    const page = await sara();
    await page.getByRole('link', { name: 'Møder' }).click();
    await hasText(page.locator('h1'), 'Rådets mødekalender');
    await checkPage(page, 'meetings-calendar');

    // No time at all: asked for in plain words, not as a format.
    await page.getByRole('button', { name: 'Planlæg mødet' }).click();
    await hasText(page.locator('#f-startsAt-error'), 'Skal udfyldes', { contains: true });
    // The summary above the form names the field.
    await hasText(page.locator('.error-summary a'), 'Tidspunkt: Skal udfyldes');
    // Neither a place nor a link: the form says what is missing.
    const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('Tidspunkt').fill(`${nextWeek}T16:00`);
    await page.getByRole('button', { name: 'Planlæg mødet' }).click();
    await hasText(page.locator('.field-error').first(), 'Angiv et sted eller et videolink');
    await page.getByLabel('Sted').fill('Rådhuset, mødelokale 3');
    await page.getByRole('button', { name: 'Planlæg mødet' }).click();
    await hasText(page.locator('[role=status]'), 'Mødet er planlagt.');
    await hasText(page.locator('dl.meta'), 'Rådhuset, mødelokale 3', { contains: true });

    await page.getByLabel('Begrundelse').fill('Flyttes til næste måned');
    await page.getByRole('button', { name: 'Aflys', exact: true }).click();
    await hasText(page.locator('[role=status]'), 'Mødet er aflyst.');
    await hasText(page.locator('dl.meta'), 'Status Aflyst', { contains: true });
    await page.getByRole('link', { name: 'Rådets mødekalender' }).click();
    await hasText(page.locator('table.data tbody'), 'Rådhuset, mødelokale 3 Aflyst', { contains: true });
  });

  it('puts a proposal on the agenda, records the meeting and its decision, and the chair approves the minutes', async () => {
    const api = await stack.as('sara.secretariat');
    const id = (await api.post('/api/proposals', youthAnxietyGroups)).body.id as string;
    expect((await api.post(`/api/proposals/${id}/submit`)).status).toBe(200);
    await eventually(async () => expect((await stack.store.proposals.findById(id).lean())?.stage).toBe('CouncilDecision'));
    // A meeting in a few seconds (the form takes whole minutes), its agenda 3 s before.
    const meeting = (await api.post('/api/meetings', { startsAt: new Date(Date.now() + 15_000).toISOString(), videoLink: 'https://video.example.dk/raadet' })).body as {
      id: string;
    };
    const url = `${stack.api.url}/meetings/${meeting.id}`;

    const secretariat = await sara();
    await secretariat.goto(url);
    await secretariat.getByLabel('Forslagets nummer eller rapportens år').selectOption(`proposal:${id}`);
    await secretariat.getByRole('button', { name: 'Sæt punktet på' }).click();
    await hasText(secretariat.locator('[role=status]'), 'Punktet er sat på dagsordenen.');
    await hasText(secretariat.locator('ol.agenda'), title, { contains: true });
    await checkPage(secretariat, 'meeting-secretariat', 'meetings');

    // A member finds the agenda, the decision paper and their own vote.
    const bo = await signInAs(browser, stack.api.url, 'Bo Lind', { cspViolations });
    await bo.goto(url);
    await shows(bo.getByRole('link', { name: 'Beslutningsoplæg' }));
    await bo.getByRole('link', { name: 'Din stemme' }).click();
    await hasText(bo.locator('h1'), `Stemme i rådet: ${title}`);
    await checkPage(bo, 'meeting-member-vote');
    expect((await answerOpenTask(stack, id, 'councilVote', { decision: 'conflictOfInterest' }, 'bo.member')).status).toBe(200);
    expect((await answerOpenTask(stack, id, 'councilVote', { decision: 'approve' }, 'anne.chair')).status).toBe(200);
    expect((await answerOpenTask(stack, id, 'councilVote', { decision: 'approve' }, 'cecilie.member')).status).toBe(200);
    await waitUntil((await stack.store.meetings.findById(meeting.id).lean())!.startsAt);

    // The record: who attended, the decision the votes gave, who was recused.
    await secretariat.goto(url);
    await secretariat.getByLabel('Anne Holm').first().check();
    await secretariat.getByLabel('Bo Lind').first().check();
    await secretariat.getByLabel('Beslutning').selectOption('reject');
    await secretariat.getByRole('button', { name: 'Registrér og send referatet til formanden' }).click();
    await hasText(secretariat.locator('[role=alert]'), `Medlemmernes stemmer afgjorde punkt 1 (${title}): Godkendt.`, { contains: true });
    await secretariat.getByLabel('Anne Holm').first().check();
    await secretariat.getByLabel('Bo Lind').first().check();
    await secretariat.getByLabel('Beslutning').selectOption('approve');
    await secretariat.getByRole('group', { name: 'Inhabile' }).getByLabel('Bo Lind').check();
    // A CPR number in the note is refused at the note itself, with what was ticked kept.
    await secretariat.getByLabel('Bemærkning').fill('Drøftet med borgeren 010190-1234');
    await secretariat.getByRole('button', { name: 'Registrér og send referatet til formanden' }).click();
    await hasText(secretariat.locator('#f-items-i1-note-error'), 'Må ikke indeholde et CPR-nummer', { contains: true });
    // The summary names the item, as every item has a note.
    await hasText(secretariat.locator('.error-summary a'), 'Punkt 1, bemærkning: Må ikke indeholde et CPR-nummer', { contains: true });
    expect(await secretariat.getByRole('group', { name: 'Inhabile' }).getByLabel('Bo Lind').isChecked()).toBe(true);
    await secretariat.getByLabel('Bemærkning').fill('Drøftet med sekretariatet');
    await secretariat.getByRole('button', { name: 'Registrér og send referatet til formanden' }).click();
    await hasText(secretariat.locator('[role=status]'), 'Mødet er registreret; formanden har fået referatet til godkendelse.');

    // The chair approves the minutes from her task, with the minutes before her.
    const anne = await signInAs(browser, stack.api.url, 'Anne Holm', { cspViolations });
    await anne.getByRole('link', { name: /Godkendelse af referatet/ }).click();
    const context = anne.locator('section', { has: anne.locator('#context-title') });
    await hasText(context, 'Til stede Anne Holm, Bo Lind', { contains: true });
    await hasText(context, 'Fraværende Cecilie Dahl', { contains: true });
    await hasText(context, 'Beslutning Godkendt Inhabile Bo Lind Bemærkning Drøftet med sekretariatet', { contains: true });
    await checkPage(anne, 'minutes-approval-task');
    // She returns them, saying what to correct: without it, the form says so at the field.
    await anne.getByRole('button', { name: 'Send referatet tilbage til rettelse' }).click();
    await hasText(anne.locator('#f-corrections-error'), 'Skriv, hvad der skal ændres', { contains: true });
    await anne.getByLabel('Hvad skal rettes').fill('Skriv i bemærkningen, at Bo Lind forlod mødet under punktet.');
    await anne.getByRole('button', { name: 'Send referatet tilbage til rettelse' }).click();
    await hasText(anne.locator('[role=status]'), 'Tak. Dit svar er registreret.');

    // The secretariat finds her words on the meeting and the record as it stood, to correct and record again.
    await eventually(async () => {
      await secretariat.goto(url);
      expect(await secretariat.getByRole('heading', { name: 'Registrér mødet igen' }).count()).toBe(1);
    });
    await hasText(secretariat.locator('dl.meta'), 'Referatet er sendt tilbage til rettelse', { contains: true });
    await hasText(secretariat.locator('.minutes-returned'), /^Anne Holm sendte referatet tilbage .*Skriv i bemærkningen, at Bo Lind forlod mødet under punktet\.$/);
    expect(await secretariat.getByRole('group', { name: 'Til stede' }).getByLabel('Bo Lind').isChecked()).toBe(true);
    expect(await secretariat.getByRole('group', { name: 'Til stede' }).getByLabel('Cecilie Dahl').isChecked()).toBe(false);
    expect(await secretariat.getByRole('group', { name: 'Inhabile' }).getByLabel('Bo Lind').isChecked()).toBe(true);
    expect(await secretariat.getByLabel('Beslutning').inputValue()).toBe('approve');
    expect(await secretariat.getByLabel('Bemærkning').inputValue()).toBe('Drøftet med sekretariatet');
    await checkPage(secretariat, 'meeting-minutes-returned');
    await secretariat.getByLabel('Bemærkning').fill('Drøftet med sekretariatet. Bo Lind forlod mødet under punktet.');
    await secretariat.getByRole('button', { name: 'Registrér og send referatet til formanden' }).click();
    await hasText(secretariat.locator('[role=status]'), 'Mødet er registreret; formanden har fået referatet til godkendelse.');

    // The chair approves the corrected minutes from her new task.
    await eventually(async () => {
      await anne.goto(`${stack.api.url}/`);
      expect(await anne.getByRole('link', { name: /Godkendelse af referatet/ }).count()).toBe(1);
    });
    await anne.getByRole('link', { name: /Godkendelse af referatet/ }).click();
    await hasText(anne.locator('.minutes-returned'), /^Anne Holm sendte referatet tilbage .*: Skriv i bemærkningen, at Bo Lind forlod mødet under punktet\.$/);
    await hasText(context, 'Bemærkning Drøftet med sekretariatet. Bo Lind forlod mødet under punktet.', { contains: true });
    await anne.getByRole('button', { name: 'Godkend referatet' }).click();
    await hasText(anne.locator('[role=status]'), 'Tak. Dit svar er registreret.');

    await secretariat.goto(`${url}/minutes`);
    await hasText(secretariat.locator('.minutes-document .byline'), /^Godkendt af Anne Holm /);
    await checkPage(secretariat, 'meeting-minutes');
    await secretariat.goto(`${stack.api.url}/proposals/${id}`);
    await hasText(secretariat.locator('table.timeline'), 'er godkendt: Godkendt Se referatet', { contains: true });
    await secretariat.getByRole('link', { name: 'Se referatet' }).click();
    await hasText(secretariat.locator('h1'), /^Referat af rådsmødet /);
    // Who attended and who declared a conflict of interest are personal data: the member's view of the meeting and the minutes read are on record.
    const reads = await stack.store.accessLog.find({ meetingId: meeting.id, via: 'pages' }).lean();
    expect(reads.map((e) => `${e.userId} ${e.route}`)).toEqual(expect.arrayContaining(['bo.member GET /meetings/:id', 'sara.secretariat GET /meetings/:id/minutes']));
    expect(cspViolations).toEqual([]);
  });
});

async function waitUntil(at: Date) {
  const wait = at.getTime() - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait + 100));
}
