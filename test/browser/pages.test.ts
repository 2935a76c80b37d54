import type { Browser, Page } from 'playwright-core';
import { proposalSchema } from '../../domain/proposal';
import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { checkPage, launchChromium, person } from './support/browser';
import { hasAttribute, hasText, shows } from './support/expect';

/**
 * The pages in a real browser (Debian's Chromium) on the whole system: the
 * secretariat drafts and submits Housing First through the form, each council
 * member opens the link in their notification e-mail, signs in and votes, the chair
 * attests, the mayor approves from the e-mail link, and the department agrees.
 * Every page is checked with axe-core and photographed.
 */
describe('the pages for people, in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  const cspViolations: string[] = [];
  let proposalId = '';

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startStack('browser'), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function newPerson() {
    return person(browser, cspViolations);
  }

  /** axe-core finds no serious or critical violation, and a screenshot is kept. */

  async function chooseUser(page: Page, name: string) {
    await hasText(page.locator('h1'), /Log ind|Sign in/);
    await page.getByRole('button', { name: new RegExp(name) }).click();
  }

  async function signIn(page: Page, name: string) {
    await page.goto(`${stack.api.url}/sign-in`);
    await chooseUser(page, name);
    await page.waitForURL(`${stack.api.url}/`);
  }

  function linkIn(text: string): string {
    const match = /Åbn opgaven: (\S+)/.exec(text);
    if (!match) throw new Error(`no task link in the mail: ${text}`);
    return match[1];
  }

  const stageOf = async (id: string) => (await (await stack.as('sara.secretariat')).get(`/api/proposals/${id}`)).body.stage;

  it('sends a signed-out visitor to sign-in, which lists the seeded users for local runs only', async () => {
    const { page } = await newPerson();
    const res = await page.goto(`${stack.api.url}/proposals/new`);
    expect(page.url()).toBe(`${stack.api.url}/sign-in?next=%2Fproposals%2Fnew`);
    expect(res!.headers()['content-security-policy']).toContain("default-src 'self'");
    expect(res!.headers()['content-security-policy']).not.toContain('unsafe-inline');
    await hasAttribute(page.locator('html'), 'lang', 'da');
    await shows(page.getByText('Kun til lokal kørsel'));
    await shows(page.getByRole('button', { name: /Sara Friis/ }));
    await checkPage(page, 'sign-in');

    // A form posted without the session's token is refused, in plain words.
    const forged = await page.request.post(`${stack.api.url}/sign-in`, { form: { userId: 'sara.secretariat', next: '/' }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    expect(await forged.text()).toContain('Formularen er udløbet');

    await chooseUser(page, 'Sara Friis');
    await page.waitForURL(`${stack.api.url}/proposals/new`);
    const cookie = (await page.context().cookies()).find((c) => c.name === 'sif_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false }); // PUBLIC_URL is http here
  });

  it('lets the secretariat create, revise and submit Housing First, showing errors at each field', async () => {
    const { page } = await newPerson();
    await signIn(page, 'Sara Friis');
    await page.getByRole('link', { name: 'Nyt forslag' }).click();
    await hasText(page.locator('h1'), 'Nyt forslag');

    // Nothing filled in: each required field says so.
    await page.getByRole('button', { name: 'Opret forslaget' }).click();
    await shows(page.locator('.error-summary'));
    await hasText(page.locator('#f-title-error'), 'Skal udfyldes');
    await hasText(page.locator('#f-welfareArea-error'), 'Vælg en mulighed');
    await hasAttribute(page.locator('#f-title'), 'aria-invalid', 'true');
    await checkPage(page, 'proposal-form-errors');

    // A first note only: it is created, but submission lists what is missing.
    await page.fill('[name="title"]', 'Tidlig indsats for unge med angst');
    await page.fill('[name="summary"]', 'Gruppeforløb i skolen for unge med begyndende angst.');
    await page.selectOption('[name="welfareArea"]', 'mentalHealth');
    await page.selectOption('[name="fundingTrack"]', 'directFinancing');
    await page.selectOption('[name="responsibleDepartment"]', 'MBU');
    await page.getByRole('button', { name: 'Opret forslaget' }).click();
    await shows(page.getByText('Forslaget er oprettet.'));
    await page.getByRole('button', { name: 'Send til rådet' }).click();
    await shows(page.getByText('Forslaget kan ikke sendes til rådet endnu. Der mangler:'));
    await shows(page.getByText('Målgruppe: beskriv målgruppen, dens størrelse og kriterier'));

    // Housing First, typed as a Danish reader writes amounts.
    await page.goto(`${stack.api.url}/proposals/new`);
    const hf = housingFirst;
    await page.fill('[name="title"]', hf.title);
    await page.fill('[name="summary"]', hf.summary);
    await page.selectOption('[name="welfareArea"]', hf.welfareArea);
    await page.selectOption('[name="fundingTrack"]', hf.fundingTrack);
    await page.selectOption('[name="responsibleDepartment"]', hf.responsibleDepartment);
    await page.fill('[name="targetGroup.description"]', hf.targetGroup!.description);
    await page.fill('[name="targetGroup.estimatedSize"]', String(hf.targetGroup!.estimatedSize));
    await page.fill('[name="targetGroup.inclusionCriteria"]', hf.targetGroup!.inclusionCriteria.join('\n'));
    for (const [i, o] of hf.outcomes!.entries()) {
      await page.fill(`[name="outcomes.${i}.metric"]`, o.metric);
      await page.fill(`[name="outcomes.${i}.unit"]`, o.unit);
      await page.fill(`[name="outcomes.${i}.baseline"]`, String(o.baseline));
      await page.fill(`[name="outcomes.${i}.target"]`, String(o.target));
      await page.fill(`[name="outcomes.${i}.howMeasured"]`, o.howMeasured);
      await page.fill(`[name="outcomes.${i}.measuredAtMonths"]`, o.measuredAtMonths.join(', '));
    }
    await page.fill('[name="motivation.rationale"]', hf.motivation!.rationale);
    for (const [i, e] of hf.motivation!.evidence.entries()) {
      await page.selectOption(`[name="motivation.evidence.${i}.kind"]`, e.kind);
      await page.fill(`[name="motivation.evidence.${i}.citation"]`, e.citation);
      if (e.url) await page.fill(`[name="motivation.evidence.${i}.url"]`, e.url);
    }
    await page.fill('[name="businessCase.totalCost"]', '26.500.000,00');
    await page.fill('[name="businessCase.requestedFromFund"]', '23.000.000');
    await page.selectOption('[name="businessCase.expectedSavings.0.department"]', 'MSB');
    await page.fill('[name="businessCase.expectedSavings.0.year"]', '1');
    await page.fill('[name="businessCase.expectedSavings.0.amount"]', '2.500.000');
    await page.selectOption('[name="businessCase.expectedSavings.1.department"]', 'MSB');
    await page.fill('[name="businessCase.expectedSavings.1.year"]', '2');
    await page.fill('[name="businessCase.expectedSavings.1.amount"]', 'abc');
    await page.getByRole('button', { name: 'Opret forslaget' }).click();
    await hasText(page.locator('#f-businessCase-expectedSavings-1-amount-error'), 'Skal være et beløb i kroner med højst to decimaler, fx 1234567,89');
    await page.fill('[name="businessCase.expectedSavings.1.amount"]', '6000000,00');
    await page.getByRole('button', { name: 'Opret forslaget' }).click();
    await shows(page.getByText('Forslaget er oprettet.'));
    proposalId = /\/proposals\/([^?]+)\?created=1$/.exec(page.url())![1];

    // The third expected saving is added by revising the draft.
    await page.getByRole('link', { name: 'Redigér forslaget' }).click();
    expect(await page.locator('[name="businessCase.totalCost"]').inputValue()).toBe('26500000,00');
    await page.selectOption('[name="businessCase.expectedSavings.2.department"]', 'MSO');
    await page.fill('[name="businessCase.expectedSavings.2.year"]', '3');
    await page.fill('[name="businessCase.expectedSavings.2.amount"]', '4.200.000,50');
    await checkPage(page, 'proposal-form');
    await page.getByRole('button', { name: 'Gem forslaget' }).click();
    await shows(page.getByText('Forslaget er gemt.'));

    // What the form saved is exactly the fixture the API tests post.
    const saved = await stack.store.proposals.findById(proposalId).lean();
    expect(saved!.content).toEqual(proposalSchema.parse(housingFirst));

    await page.getByRole('button', { name: 'Send til rådet' }).click();
    await shows(page.getByText('Forslaget er sendt til rådet.'));
    expect(await stageOf(proposalId)).toBe('CouncilDecision');
  });

  it("takes each member from the e-mail's link through sign-in to the vote, in Danish and in English", async () => {
    // Bo follows the link in his e-mail, signed out, and comes back to the task after sign-in.
    const boMail = await stack.smtp.waitFor('bo.lind@example.dk', /^Ny opgave: Housing First/);
    const boLink = linkIn(boMail.text);
    expect(boLink).toBe(`${stack.config.publicUrl}/tasks/${encodeURIComponent(`${proposalId}.r1.councilVote.bo.member`)}`);
    const bo = await newPerson();
    await bo.page.goto(boLink);
    await chooseUser(bo.page, 'Bo Lind');
    await bo.page.waitForURL(boLink);
    await hasText(bo.page.locator('h1'), 'Stemme i rådet: Housing First for unge hjemløse');
    await shows(bo.page.getByText('Ansøgt fra fonden: 23.000.000,00 kr.')); // the decision paper
    await checkPage(bo.page, 'task-vote', 'task');

    // His inbox lists the vote, and that on a second proposal; it is the docs' picture of the inbox.
    const sara = await stack.as('sara.secretariat');
    const second = await sara.post('/api/proposals', { ...housingFirst, title: 'Tidlig indsats for unge med angst', welfareArea: 'mentalHealth', responsibleDepartment: 'MBU' });
    expect((await sara.post(`/api/proposals/${second.body.id}/submit`)).status).toBe(200);
    await eventually(async () => expect(await stack.store.tasks.countDocuments({ assignee: 'bo.member', status: 'open' })).toBe(2));
    await bo.page.getByRole('link', { name: 'Mine opgaver' }).click();
    await hasText(bo.page.locator('table.data tbody'), 'Tidlig indsats for unge med angst', { contains: true });
    await hasText(bo.page.locator('table.data tbody'), 'Housing First for unge hjemløse', { contains: true });
    await checkPage(bo.page, 'inbox', 'inbox');
    await bo.page.goto(boLink);

    await bo.page.getByRole('button', { name: 'Afgiv stemme' }).click();
    await hasText(bo.page.locator('#f-decision-error'), 'Vælg en mulighed');
    await bo.page.getByLabel('Godkend', { exact: true }).check();
    await bo.page.getByRole('textbox', { name: 'Bemærkning' }).fill('Stærk evidens fra VIVE');
    await bo.page.getByRole('button', { name: 'Afgiv stemme' }).click();
    await shows(bo.page.getByText('Tak. Dit svar er registreret.'));
    await checkPage(bo.page, 'task-voted');

    // Someone else's task: shown why, not the form.
    const anneTask = `${proposalId}.r1.councilVote.anne.chair`;
    const other = await bo.page.goto(`${stack.api.url}/tasks/${encodeURIComponent(anneTask)}`);
    expect(other!.status()).toBe(403);
    await shows(bo.page.getByText('Opgaven er tildelt en anden.'));

    // Cecilie opens her task and leaves the form open.
    const cecilieLink = linkIn((await stack.smtp.waitFor('cecilie.dahl@example.dk', /^Ny opgave: Housing First/)).text);
    const cecilie = await newPerson();
    await cecilie.page.goto(cecilieLink);
    await chooseUser(cecilie.page, 'Cecilie Dahl');
    await cecilie.page.waitForURL(cecilieLink);

    // Anne reads in English: the switch is remembered for her next pages.
    const anneLink = linkIn((await stack.smtp.waitFor('anne.holm@example.dk', /^Ny opgave: Housing First/)).text);
    const anne = await newPerson();
    await anne.page.goto(anneLink);
    await anne.page.getByRole('link', { name: 'English' }).click();
    await hasAttribute(anne.page.locator('html'), 'lang', 'en');
    await chooseUser(anne.page, 'Anne Holm');
    await anne.page.waitForURL(anneLink);
    await hasText(anne.page.locator('h1'), 'Council vote: Housing First for unge hjemløse');
    // While the round is open she sees that Bo has voted, not how.
    await shows(anne.page.getByText('Bo Lind, Council vote (round 1): has voted; the vote is shown once the council has decided'));
    expect(await anne.page.getByText('Stærk evidens fra VIVE').count()).toBe(0);
    await checkPage(anne.page, 'task-vote-en');
    await anne.page.getByLabel('Approve', { exact: true }).check();
    await anne.page.getByRole('button', { name: 'Cast vote' }).click();
    await shows(anne.page.getByText('Thank you. Your answer has been recorded.'));

    // Two of three decided: Cecilie's vote is no longer needed, and her page says so in plain words.
    await eventually(async () => expect((await stack.store.tasks.findById(`${proposalId}.r1.councilVote.cecilie.member`).lean())!.status).toBe('cancelled'));
    await cecilie.page.getByLabel('Godkend', { exact: true }).check();
    await cecilie.page.getByRole('button', { name: 'Afgiv stemme' }).click();
    await hasText(cecilie.page.getByRole('alert'), 'Opgaven er allerede annulleret. Begrundelse: rådet har truffet sin beslutning.');
    await checkPage(cecilie.page, 'task-stale');

    // The chair attests, in English; both confirmations are required.
    const attestation = await eventually(async () => {
      const task = await stack.store.tasks.findOne({ proposalId, kind: 'councilAttestation', status: 'open' }).lean();
      expect(task).not.toBeNull();
      return task!;
    });
    const attestationMail = await eventually(() => {
      const mail = stack.smtp.inbox.find((m) => m.to.includes('anne.holm@example.dk') && m.text.includes(encodeURIComponent(attestation._id)));
      if (!mail) throw new Error('no mail about the attestation yet');
      return mail;
    });
    await anne.page.goto(linkIn(attestationMail.text));
    await hasText(anne.page.locator('h1'), "Chair's attestation: Housing First for unge hjemløse");
    await anne.page.getByRole('button', { name: 'Attest', exact: true }).click();
    await hasText(anne.page.locator('#f-withinMunicipalLaw-error'), 'The decision must lie within administrative and procurement law');
    await checkPage(anne.page, 'task-attestation-errors');
    await anne.page.getByLabel('The decision lies within administrative and procurement law').check();
    await anne.page.getByLabel("The decision lies within the city council's values and priorities").check();
    await anne.page.getByRole('textbox', { name: 'Note' }).fill('Checked with Legal');
    await anne.page.getByRole('button', { name: 'Attest', exact: true }).click();
    await shows(anne.page.getByText('Thank you. Your answer has been recorded.'));
    await eventually(async () => expect(await stageOf(proposalId)).toBe('MayoralApproval'));
  });

  it("takes the mayor from the e-mail's link to approval, and the department to the agreement", async () => {
    const mayorLink = linkIn((await stack.smtp.waitFor('borgmester@example.dk', /^Ny opgave: Housing First/)).text);
    const mayor = await newPerson();
    await mayor.page.goto(mayorLink);
    await chooseUser(mayor.page, 'Borgmesteren');
    await mayor.page.waitForURL(mayorLink);
    await hasText(mayor.page.locator('h1'), 'Borgmesterens godkendelse: Housing First for unge hjemløse');
    await checkPage(mayor.page, 'task-mayor');
    await mayor.page.getByRole('button', { name: 'Afvis beslutningen' }).click();
    await hasText(mayor.page.locator('#f-reason-error'), 'Angiv en begrundelse');
    await mayor.page.getByRole('button', { name: 'Godkend beslutningen' }).click();
    await shows(mayor.page.getByText('Tak. Dit svar er registreret.'));
    await eventually(async () => expect(await stageOf(proposalId)).toBe('CooperationAgreement'));

    const headLink = linkIn((await stack.smtp.waitFor('lene.vang@example.dk', /^Ny opgave: Housing First/)).text);
    const head = await newPerson();
    await head.page.goto(headLink);
    await chooseUser(head.page, 'Lene Vang');
    await head.page.waitForURL(headLink);
    await head.page.getByLabel('En procentdel af de realiserede besparelser').check();
    await head.page.getByRole('textbox', { name: 'Procent' }).fill('50');
    await head.page.getByRole('textbox', { name: 'Betingelser' }).fill('Halvdelen af de realiserede besparelser i MSB tilbageføres årligt efter revision.');
    await checkPage(head.page, 'task-agreement');
    await head.page.getByRole('button', { name: 'Indgå aftalen' }).click();
    await shows(head.page.getByText('Tak. Dit svar er registreret.'));

    const done = await eventually(async () => {
      const view = (await (await stack.as('sara.secretariat')).get(`/api/proposals/${proposalId}`)).body;
      expect(view.stage).toBe('Procurement');
      return view;
    });
    expect(done.mayoralDecision).toMatchObject({ by: 'mayor', decision: 'approve' });
    expect(done.cooperationAgreement).toMatchObject({ by: 'msb.head', savingsShare: { kind: 'percentage', basisPoints: 5000 } });
    expect(done.rounds[0]).toMatchObject({ result: 'approve', attestation: { by: 'anne.chair', attested: true, note: 'Checked with Legal' } });
  });

  it('shows the case with its timeline and the fund with what approved proposals request', async () => {
    const sara = await newPerson();
    await signIn(sara.page, 'Sara Friis');
    await sara.page.goto(`${stack.api.url}/proposals/${proposalId}`);
    await hasText(sara.page.locator('h1'), 'Housing First for unge hjemløse');
    await hasText(sara.page.locator('.stage'), 'Udbud');
    const timeline = sara.page.locator('table.timeline');
    await hasText(timeline, 'Opgave besvaret: Stemme i rådet (godkendt): «Stærk evidens fra VIVE»', { contains: true });
    await hasText(timeline, 'Ny fase: Afventer udbud', { contains: true });
    await hasText(timeline, 'Bo Lind', { contains: true });
    // The documents the case refers to: the evidence behind the motivation, and the decision papers on the page.
    const documents = sara.page.locator('section', { has: sara.page.getByRole('heading', { name: 'Dokumenter' }) });
    await hasAttribute(documents.getByRole('link', { name: /Benjaminsen, L\. \(2016\)/ }), 'href', 'https://www.vive.dk/');
    await hasAttribute(documents.getByRole('link', { name: /Beslutningsoplægget/ }), 'href', '#papers-title');
    await hasAttribute(
      sara.page.getByRole('link', { name: /Temporal UI/ }),
      'href',
      `${stack.config.temporal.uiUrl}/namespaces/${stack.config.temporal.namespace}/workflows/proposal-${proposalId}`,
    );
    await checkPage(sara.page, 'proposal');

    await sara.page.getByRole('link', { name: 'Fonden' }).click();
    await hasText(sara.page.locator('dl.figures'), '40.000.000,00 kr.', { contains: true });
    await hasText(sara.page.locator('dl.figures'), '23.000.000,00 kr.', { contains: true });
    await hasText(sara.page.locator('dl.figures'), '17.000.000,00 kr.', { contains: true });
    await checkPage(sara.page, 'fund');

    await sara.page.getByRole('link', { name: 'English' }).click();
    await hasText(sara.page.locator('h1'), 'The fund');
    await hasText(sara.page.locator('dl.figures'), 'DKK 17,000,000.00', { contains: true });
    await checkPage(sara.page, 'fund-en');

    await sara.page.getByRole('link', { name: 'Proposals' }).click();
    await shows(sara.page.getByRole('link', { name: proposalId }));
    await checkPage(sara.page, 'proposals-en');
  });

  it('lets the secretariat withdraw a proposal from its page with a reason, and offers it to nobody else', async () => {
    const created = await (await stack.as('sara.secretariat')).post('/api/proposals', { ...housingFirst, title: 'Bydelsmødre i Gellerup' });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    const casePage = `${stack.api.url}/proposals/${encodeURIComponent(id)}`;
    const withdrawFold = (page: Page) => page.locator('summary', { hasText: 'Træk forslaget tilbage' });

    // A council member reads the case; withdrawing it is the secretariat's.
    const bo = await newPerson();
    await signIn(bo.page, 'Bo Lind');
    await bo.page.goto(casePage);
    await hasText(bo.page.locator('.stage'), 'Motivation');
    expect(await withdrawFold(bo.page).count()).toBe(0);

    const sara = await newPerson();
    await signIn(sara.page, 'Sara Friis');
    await sara.page.goto(casePage);
    await withdrawFold(sara.page).click();
    // Without a reason nothing happens: the form comes back open, saying so at the field.
    const [refused] = await Promise.all([
      sara.page.waitForResponse((r) => r.url().endsWith('/withdraw')),
      sara.page.getByRole('button', { name: 'Træk tilbage', exact: true }).click(),
    ]);
    expect(refused.status()).toBe(400);
    await hasText(sara.page.locator('#f-reason-error'), 'Angiv en begrundelse', { contains: true });
    await hasAttribute(sara.page.locator('#f-reason'), 'aria-invalid', 'true');
    await checkPage(sara.page, 'proposal-withdraw-error');
    expect(await stageOf(id)).toBe('Motivation');

    await sara.page.getByRole('textbox', { name: 'Begrundelse' }).fill('Afdelingen finansierer indsatsen inden for egen ramme');
    await sara.page.getByRole('button', { name: 'Træk tilbage', exact: true }).click();
    await shows(sara.page.getByText('Forslaget er trukket tilbage.'));
    await hasText(sara.page.locator('.stage'), 'Trukket tilbage');
    await hasText(sara.page.locator('table.timeline'), 'Afdelingen finansierer indsatsen inden for egen ramme', { contains: true });
    expect(await withdrawFold(sara.page).count()).toBe(0);
    expect(await stageOf(id)).toBe('Withdrawn');
    await checkPage(sara.page, 'proposal-withdrawn');
  });

  it('keeps what the secretariat typed when a colleague submitted the proposal meanwhile, and says why it was not saved', async () => {
    const id = ((await (await stack.as('sara.secretariat')).post('/api/proposals', housingFirst)).body as { id: string }).id;
    const { page } = await newPerson();
    await signIn(page, 'Sara Friis');
    await page.goto(`${stack.api.url}/proposals/${encodeURIComponent(id)}/edit`);
    await page.fill('[name="title"]', 'Housing First, med rettet titel');
    expect((await (await stack.as('jonas.secretariat')).post(`/api/proposals/${id}/submit`)).status).toBe(200);
    const [refused] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/edit') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Gem forslaget' }).click(),
    ]);
    expect(refused.status()).toBe(409);
    await shows(page.getByText(/ikke Motivation/));
    expect(await page.locator('[name="title"]').inputValue()).toBe('Housing First, med rettet titel');
    await checkPage(page, 'proposal-edit-refused');
    expect(await stageOf(id)).toBe('CouncilDecision');
  });

  it("does not save one secretary's text over a colleague's revision unseen: it comes back, and saved again it replaces it", async () => {
    const id = ((await (await stack.as('sara.secretariat')).post('/api/proposals', housingFirst)).body as { id: string }).id;
    const editPage = `${stack.api.url}/proposals/${encodeURIComponent(id)}/edit`;
    const [sara, jonas] = [(await newPerson()).page, (await newPerson()).page];
    await signIn(sara, 'Sara Friis');
    await signIn(jonas, 'Jonas Krogh');
    await Promise.all([sara.goto(editPage), jonas.goto(editPage)]);
    await jonas.fill('[name="title"]', 'Housing First, Jonas’ titel');
    await jonas.getByRole('button', { name: 'Gem forslaget' }).click();
    await shows(jonas.getByText('Forslaget er gemt.'));

    await sara.fill('[name="title"]', 'Housing First, Saras titel');
    const [refused] = await Promise.all([
      sara.waitForResponse((r) => r.url().endsWith('/edit') && r.request().method() === 'POST'),
      sara.getByRole('button', { name: 'Gem forslaget' }).click(),
    ]);
    expect(refused.status()).toBe(409);
    await shows(sara.getByText(/En anden har gemt en ny udgave af forslaget \(revision 1\)/));
    expect(await sara.locator('[name="title"]').inputValue()).toBe('Housing First, Saras titel');
    expect((await stack.store.proposals.findById(id).lean())!.content).toMatchObject({ title: 'Housing First, Jonas’ titel' });
    await checkPage(sara, 'proposal-edit-revised-meanwhile');

    // Told, she saves again: now her text replaces his, knowingly.
    await sara.getByRole('button', { name: 'Gem forslaget' }).click();
    await shows(sara.getByText('Forslaget er gemt.'));
    expect((await stack.store.proposals.findById(id).lean())!).toMatchObject({ revision: 2, content: { title: 'Housing First, Saras titel' } });
  });

  it('met no Content-Security-Policy violation on any page', () => {
    expect(cspViolations).toEqual([]);
  });
});
