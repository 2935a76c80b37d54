import type { Browser, Page } from 'playwright-core';
import { freePort, startTemporal, type TemporalServer } from '../../provision/servers';
import { workflowIdFor } from '../../workflows/input';
import { customSearchAttributes } from '../../workflows/searchAttributes';
import { housingFirst } from '../fixtures/proposals';
import { startStack, type Stack } from '../support/stack';
import { launchChromium, screenshot, signInAs } from './support/browser';

/**
 * The Temporal UI as `npm start` runs it: a dev server whose UI decodes through the
 * API's codec endpoint, on localhost like the pages. An operator signed in to the pages
 * who lets the UI include credentials reads the case's history decrypted; a member of
 * the secretariat doing the same sees only ciphertext.
 */
describe('the Temporal UI through the codec endpoint, in Chromium', () => {
  let temporal: TemporalServer;
  let stack: Stack;
  let browser: Browser;
  let pages = '';
  let ui = '';
  const title = `Bostotte i Gellerup ${Date.now().toString(36)}`;
  let workflowId = '';

  beforeAll(async () => {
    const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
    pages = `http://localhost:${port}`;
    ui = `http://localhost:${uiPort}`;
    temporal = await startTemporal({ port: temporalPort, uiPort, searchAttributes: customSearchAttributes, extraArgs: ['--ui-codec-endpoint', `${pages}/codec`] });
    [stack, browser] = await Promise.all([
      startStack('temporal-ui', { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: 'default', PORT: String(port), PUBLIC_URL: pages, TEMPORAL_UI_URL: ui }),
      launchChromium(),
    ]);
    const created = await (await stack.as('sara.secretariat')).post('/api/proposals', { ...housingFirst, title });
    workflowId = workflowIdFor(created.body.id);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await temporal?.stop();
  });

  /** Signed in to the pages, then at the case's workflow in the Temporal UI, set (as the README says) to include credentials. */
  async function atWorkflow(name: string): Promise<Page> {
    const page = await signInAs(browser, pages, name);
    // A string run in the page: the test itself is compiled without the DOM's types.
    const settings = { overrideRemoteCodecConfiguration: 'true', endpoint: JSON.stringify(`${pages}/codec`), includeCredentials: 'true' };
    await page
      .context()
      .addInitScript(`if (location.origin === ${JSON.stringify(ui)}) for (const [k, v] of Object.entries(${JSON.stringify(settings)})) localStorage.setItem(k, v);`);
    await page.goto(`${ui}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`);
    await page.getByText('proposalLifecycle').first().waitFor();
    return page;
  }

  it("shows an operator the case's input decrypted", async () => {
    const ops = await atWorkflow('IT-drift');
    await ops.getByText(title).first().waitFor({ timeout: 30_000 });
    await screenshot(ops, 'temporal-ui-operator');
  });

  it('shows anyone else only ciphertext', async () => {
    const sara = await atWorkflow('Sara Friis');
    // The codec endpoint refuses her; the UI says so and shows the input as stored, its encoding in base64.
    await sara.locator('#content').getByText('Codec Server could not connect').waitFor({ timeout: 30_000 });
    await sara.getByText(Buffer.from('binary/encrypted').toString('base64')).first().waitFor();
    expect(await sara.getByText(title).count()).toBe(0);
    await screenshot(sara, 'temporal-ui-secretariat');
  });
});
