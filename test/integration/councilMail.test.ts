import { housingFirst } from '../fixtures/proposals';
import { eventually } from '../support/eventually';
import { pageVisitor } from '../support/pageVisitor';
import { startStack, type Stack } from '../support/stack';

/**
 * Issue 18.7 on the real dev server, FerretDB and an SMTP peer: when the council's
 * approval is void because the fund cannot cover the proposal, the secretariat and the
 * members who approved are told what happened and why; the mayor is told that a member
 * did not vote. Each in their own language.
 */
describe('the council decision, said in Danish and English, with the reason', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('council-mail');
    // Bo reads English; everybody else Danish, as seeded.
    expect((await (await stack.as('hr.admin')).put('/api/users/bo.member', { language: 'en' })).body.language).toBe('en');
  });
  afterAll(() => stack?.stop());

  async function submitted(requested: string) {
    const sara = await stack.as('sara.secretariat');
    const proposal = { ...housingFirst, businessCase: { ...housingFirst.businessCase!, totalCost: requested, requestedFromFund: requested } };
    const { body } = await sara.post('/api/proposals', proposal);
    expect((await sara.post(`/api/proposals/${body.id}/submit`)).status).toBe(200);
    return body.id as string;
  }
  const openTask = (query: Record<string, string>) =>
    eventually(async () => {
      const task = await stack.store.tasks.findOne({ ...query, status: 'open' }).lean();
      if (!task) throw new Error(`no open task ${JSON.stringify(query)}`);
      return task;
    });
  async function complete(proposalId: string, userId: string, kind: string, input: unknown) {
    const task = await openTask({ proposalId, assignee: userId, kind });
    expect((await (await stack.as(userId)).post(`/api/tasks/${encodeURIComponent(task._id)}/complete`, input)).status).toBe(200);
    return task;
  }

  it('tells the secretariat and each approving member that the approval is void because the fund cannot cover it', async () => {
    const id = await submitted('45000000');
    await complete(id, 'anne.chair', 'councilVote', { decision: 'approve' });
    await complete(id, 'bo.member', 'councilVote', { decision: 'approve', comment: 'A strong case' });

    const secretariat = await stack.smtp.waitFor('sara.friis@example.dk', /^Rådets godkendelse bortfaldt, fonden kan ikke dække forslaget: Housing First/);
    expect(secretariat.text).toMatch(/fonden har [\d.]+,\d\d kr\. fri, og forslaget søger 45\.000\.000,00 kr\./);
    expect(secretariat.text).toContain('Rådets bemærkninger: A strong case');
    const anne = await stack.smtp.waitFor('anne.holm@example.dk', /^Din godkendelse bortfaldt/);
    expect(anne.text).toMatch(/Du stemte for «Housing First for unge hjemløse».*forslaget søger 45\.000\.000,00 kr\./s);
    const bo = await stack.smtp.waitFor('bo.lind@example.dk', /^Your approval is void, the fund cannot cover the proposal/);
    expect(bo.text).toMatch(/You voted for .* the proposal asks DKK 45,000,000\.00/s);
    // Cecilie did not vote, so she approved nothing.
    expect(await stack.store.outbox.countDocuments({ proposalId: id, event: 'councilApprovalVoid' })).toBe(2);
    expect(await stack.store.outbox.countDocuments({ proposalId: id, event: 'councilApprovalVoid', userId: 'cecilie.member' })).toBe(0);
  });

  it('tells the mayor, in the mail and on the task, that a member did not vote', async () => {
    const id = await submitted('2000000');
    await complete(id, 'anne.chair', 'councilVote', { decision: 'approve' });
    await complete(id, 'cecilie.member', 'councilVote', { decision: 'approve' });
    await complete(id, 'anne.chair', 'councilAttestation', { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true });
    const mayorsMail = await stack.smtp.waitFor('borgmester@example.dk', /^Ny opgave: Housing First/);
    expect(mayorsMail.text).toContain('Bemærk: Bo Lind stemte ikke; rådet besluttede uden denne stemme.');

    const task = await openTask({ proposalId: id, kind: 'mayoralApproval' });
    const mayor = await pageVisitor(stack.api.url, 'mayor');
    const page = await mayor.get(`/tasks/${encodeURIComponent(task._id)}`);
    expect(page.text).toContain('Bo Lind stemte ikke; rådet besluttede uden denne stemme.');
  });
});
