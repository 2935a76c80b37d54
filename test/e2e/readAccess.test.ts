import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { housingFirst } from '../fixtures/proposals';
import { answerThroughApi } from '../support/drive';
import { eventually } from '../support/eventually';
import { expectValidOcds } from '../support/ocds';
import { pageVisitor } from '../support/pageVisitor';
import { startStack, type HttpResult, type Stack } from '../support/stack';
import { startTimeSkippingServer } from '../support/timeSkipping';
import { day } from '../support/units';

/**
 * Sealed bids and council ballots, read by every role through every route while one
 * case passes each stage: a council round open and decided, a tender's bid window
 * open and closed, and the award. The whole system runs on Temporal's time-skipping
 * server, so the bid window closes in seconds; each stage is reached once and then
 * read by everybody, over the API, the pages and the Open Contracting export.
 */
const readers = {
  secretariat: 'sara.secretariat',
  chair: 'anne.chair',
  member: 'bo.member',
  otherMember: 'cecilie.member',
  mayor: 'mayor',
  department: 'msb.head',
  operator: 'ops',
} as const;
type Reader = keyof typeof readers;
const everyone = Object.keys(readers) as Reader[];

type Route = 'api' | 'voteTask' | 'ocds' | 'page' | 'procurementPage' | 'votePage';
type Stage = 'roundOpen' | 'roundDecided' | 'windowOpen' | 'windowClosed' | 'awarded';
type Secret = 'annesBallot' | 'bosBallot' | 'bidders' | 'prices' | 'bidsArrived' | 'scores';

/** Who may open each route at all: Bo's vote (his task) in the API, Cecilie's vote page, the procurement page. */
const access: Record<Route, readonly Reader[]> = {
  api: everyone,
  ocds: everyone,
  page: everyone,
  voteTask: ['member', 'secretariat', 'operator'],
  votePage: ['otherMember', 'secretariat', 'operator'],
  procurementPage: ['secretariat', 'chair', 'member', 'otherMember', 'operator'],
};

/** Where each secret would show, if the reader may see it. */
const carriedBy: Record<Secret, readonly Route[]> = {
  annesBallot: ['api', 'page', 'votePage'],
  bosBallot: ['api', 'voteTask', 'page', 'votePage'],
  bidders: ['api', 'procurementPage', 'ocds'],
  prices: ['api', 'procurementPage'],
  bidsArrived: ['api', 'page', 'procurementPage'],
  scores: ['api', 'procurementPage'],
};

/** The policy as a table: in each stage, who sees each secret. */
const sees: Record<Stage, Partial<Record<Secret, readonly Reader[]>>> = {
  // During the round a ballot is its voter's; the chair and the secretariat see progress, not choices.
  roundOpen: { annesBallot: ['chair'], bosBallot: ['member'] },
  roundDecided: { annesBallot: everyone, bosBallot: everyone },
  // While the window is open nobody sees who bid or at what price; only the secretariat sees that bids came.
  windowOpen: { bidders: [], prices: [], bidsArrived: ['secretariat'] },
  // Once it closes the bids are open; the scores stay with the secretariat (the evaluators) until the award.
  windowClosed: { bidders: everyone, prices: everyone, scores: ['secretariat'] },
  awarded: { bidders: everyone, prices: everyone, scores: everyone },
};

const comments = { anne: 'Anne godkender med forbehold om baseline', bo: 'Bo afviser, målgruppen er for bred', cecilie: 'Cecilie godkender' };
const bids = [
  { bidder: 'Tilbudsgiver Alfa ApS', price: '21987654.32', shown: '21.987.654,32', ore: '2198765432' },
  { bidder: 'Tilbudsgiver Beta', price: '20876543.21', shown: '20.876.543,21', ore: '2087654321' },
];

interface Reading {
  status: number;
  text: string;
  retryAfter?: string | null;
  body?: HttpResult['body'];
}

const timelineHas = (r: Reading, type: string, withInput = false) =>
  (r.body?.timeline ?? []).some((e: { type: string; details?: { input?: unknown } }) => e.type === type && (!withInput || e.details?.input !== undefined));

/** Whether a reading shows the secret. */
const shows: Record<Secret, (route: Route, r: Reading) => boolean> = {
  annesBallot: (_, r) => r.text.includes(comments.anne),
  bosBallot: (_, r) => r.text.includes(comments.bo),
  bidders: (_, r) => bids.some((b) => r.text.includes(b.bidder)),
  prices: (_, r) => bids.some((b) => [b.price, b.shown, b.ore].some((p) => r.text.includes(p))),
  bidsArrived: (route, r) =>
    route === 'api'
      ? (r.body?.procurement?.bidArrivals?.length ?? 0) > 0 || timelineHas(r, 'procurement.registerBid')
      : route === 'page'
        ? r.text.includes('Tilbud registreret')
        : r.text.includes('Modtagne tilbud, forseglede (2)'),
  scores: (route, r) =>
    route === 'api'
      ? (r.body?.procurement?.evaluations?.length ?? 0) > 0 || timelineHas(r, 'procurement.evaluate', true)
      : /Rangering(en ved tildelingen| efter pointene)/.test(r.text),
};

describe('who reads sealed bids and council ballots, by role, route and stage', () => {
  let env: TestWorkflowEnvironment;
  let stack: Stack;
  let id = '';
  const votes: Record<string, string> = {};
  let people: Record<Reader, { api: Awaited<ReturnType<Stack['as']>>; pages: Awaited<ReturnType<typeof pageVisitor>> }>;

  beforeAll(async () => {
    env = await startTimeSkippingServer();
    stack = await startStack('read-access', { TEMPORAL_ADDRESS: env.address });
    people = Object.fromEntries(
      await Promise.all(everyone.map(async (r) => [r, { api: await stack.as(readers[r]), pages: await pageVisitor(stack.api.url, readers[r]) }] as const)),
    ) as typeof people;
  });
  afterAll(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  const sara = () => people.secretariat.api;

  /** The open task of a kind, once the workflow has opened it. */
  const openTask = (kind: string) =>
    eventually(async () => {
      const { body } = await sara().get(`/api/tasks?assignee=anyone&status=open&proposalId=${id}`);
      const task = body.items.find((t: { kind: string }) => t.kind === kind);
      expect(task).toBeDefined();
      return task as { id: string; assignee: string };
    });

  async function complete(userId: string, taskId: string, input: unknown) {
    const res = await (await stack.as(userId)).post(`/api/tasks/${encodeURIComponent(taskId)}/complete`, input);
    expect(res.status).toBe(200);
  }

  const procure = async (input: unknown) => {
    const res = await sara().post(`/api/proposals/${id}/procurement`, input);
    expect(res.status).toBe(200);
    return res;
  };

  /** Every route, as every reader. */
  async function readAll(): Promise<Record<Reader, Record<Route, Reading>>> {
    const json = (res: HttpResult): Reading => ({ status: res.status, body: res.body, text: JSON.stringify(res.body) });
    return Object.fromEntries(
      await Promise.all(
        everyone.map(async (reader) => {
          const { api, pages } = people[reader];
          const [proposal, voteTask, ocds, page, procurementPage, votePage] = await Promise.all([
            api.get(`/api/proposals/${id}`).then(json),
            api.get(`/api/tasks/${encodeURIComponent(votes['bo.member'])}`).then(json),
            api.get(`/api/proposals/${id}/ocds`).then(json),
            pages.get(`/proposals/${id}`),
            pages.get(`/proposals/${id}/procurement`),
            pages.get(`/tasks/${encodeURIComponent(votes['cecilie.member'])}`),
          ]);
          return [reader, { api: proposal, voteTask, ocds, page, procurementPage, votePage }] as const;
        }),
      ),
    ) as Record<Reader, Record<Route, Reading>>;
  }

  /** Reads everything as everybody and holds it to the table; returns the readings for the stage's own checks. */
  async function holdsToTable(stage: Stage) {
    const read = await readAll();
    const found: string[] = [];
    const wanted: string[] = [];
    for (const reader of everyone) {
      for (const route of Object.keys(access) as Route[]) {
        const reading = read[reader][route];
        const may = access[route].includes(reader);
        expect([reader, route, reading.status]).toEqual([reader, route, may ? 200 : 403]);
        if (!may) continue;
        for (const [secret, who] of Object.entries(sees[stage]) as [Secret, Reader[]][]) {
          if (!carriedBy[secret].includes(route)) continue;
          if (shows[secret](route, reading)) found.push(`${reader} ${route} ${secret}`);
          if (who.includes(reader)) wanted.push(`${reader} ${route} ${secret}`);
        }
      }
    }
    expect(found.sort()).toEqual(wanted.sort());
    return read;
  }

  it('reaches a council round in which two of three have voted', async () => {
    const created = await sara().post('/api/proposals', housingFirst);
    id = created.body.id;
    expect((await sara().post(`/api/proposals/${id}/submit`)).status).toBe(200);
    const open = await eventually(async () => {
      const { body } = await sara().get(`/api/tasks?assignee=anyone&status=open&proposalId=${id}`);
      expect(body.items).toHaveLength(3);
      return body.items as { id: string; assignee: string }[];
    });
    for (const t of open) votes[t.assignee] = t.id;
    await complete('anne.chair', votes['anne.chair'], { decision: 'approve', comment: comments.anne });
    await complete('bo.member', votes['bo.member'], { decision: 'reject', comment: comments.bo });
  });

  it('lists no task of a meeting to its holder once they may no longer read meetings, as the task itself is refused them', async () => {
    // A secretary recorded a meeting again, then moved to a department: the correction task she completed is still hers.
    const taskId = 'M-20261201-a1b2c3.minutesCorrection.1';
    const at = new Date();
    await stack.store.tasks.create({
      _id: taskId,
      proposalId: 'M-20261201-a1b2c3',
      kind: 'minutesCorrection',
      title: 'Rådsmøde: ret referatet',
      assignee: 'msb.head',
      role: 'secretariat',
      status: 'completed',
      dueAt: at,
      completedAt: at,
      completedBy: 'msb.head',
      overdue: false,
    });
    try {
      const head = await stack.as('msb.head');
      expect((await head.get(`/api/tasks/${encodeURIComponent(taskId)}`)).status).toBe(403);
      const listed = await head.get('/api/tasks?assignee=me&status=completed');
      expect(listed.status).toBe(200);
      expect(listed.body.items.map((t: { id: string }) => t.id)).not.toContain(taskId);
      expect(listed.body.total).toBe(listed.body.items.length);
    } finally {
      await stack.store.tasks.deleteOne({ _id: taskId });
    }
  });

  it("shows a person named like one of the task list's words their own tasks only", async () => {
    // No one can be given such a name any longer; a record from before the rule keeps its own list to itself.
    const admin = await stack.as('hr.admin');
    const named = await admin.post('/api/users', { id: 'anyone', name: 'Anne Nyvang', email: 'anyone@example.dk', roles: ['dataProtectionOfficer'] });
    expect(named.status).toBe(400);
    expect(named.body.errors).toEqual([expect.objectContaining({ field: 'id', code: 'userIdReserved' })]);
    await stack.store.users.create({ _id: 'anyone', name: 'Anne Nyvang', email: 'anyone@example.dk', roles: ['dataProtectionOfficer'], active: true });
    try {
      const asked = await (await stack.as('anyone')).get('/api/tasks?status=open');
      expect(asked.status).toBe(200);
      expect(asked.body).toMatchObject({ total: 0, items: [] });
      expect((await (await stack.as('anyone')).get('/api/tasks?assignee=anyone')).status).toBe(403);
    } finally {
      await stack.store.users.deleteOne({ _id: 'anyone' });
    }
  });

  it('while the round is open, shows each ballot to its voter only, and to the others that it was given', async () => {
    const read = await holdsToTable('roundOpen');
    for (const reader of everyone) {
      const ballots = read[reader].api.body.rounds[0].ballots as { memberId: string; choice?: string; withheld?: boolean }[];
      expect(ballots.map((b) => b.memberId)).toEqual(['anne.chair', 'bo.member']);
      expect(ballots.map((b) => b.choice ?? null)).toEqual([reader === 'chair' ? 'approve' : null, reader === 'member' ? 'reject' : null]);
    }
    // Cecilie, about to vote, sees on her own vote page that both have voted, not how.
    expect(read.otherMember.votePage.text.match(/har stemt; stemmen vises, når rådet har besluttet/g)).toHaveLength(2);
    expect(read.secretariat.voteTask.body).toMatchObject({ status: 'completed', input: null, withheld: true });
    expect(read.member.voteTask.body.input).toEqual({ decision: 'reject', comment: comments.bo });
  });

  it('once the round is decided, shows every ballot to all', async () => {
    await complete('cecilie.member', votes['cecilie.member'], { decision: 'approve', comment: comments.cecilie });
    await openTask('councilAttestation');
    const read = await holdsToTable('roundDecided');
    expect(read.mayor.api.body.rounds[0]).toMatchObject({ result: 'approve', ballots: [{ choice: 'approve' }, { choice: 'reject' }, { choice: 'approve' }] });
  });

  it('takes the approved proposal to a published tender with two bids', async () => {
    await complete('anne.chair', (await openTask('councilAttestation')).id, { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true });
    await complete('mayor', (await openTask('mayoralApproval')).id, { decision: 'approve' });
    await complete('msb.head', (await openTask('cooperationAgreement')).id, { savingsShare: { kind: 'percentage', basisPoints: 3000 }, conditions: 'Efter revision' });
    await eventually(async () => expect((await sara().get(`/api/proposals/${id}`)).body.stage).toBe('Procurement'));
    await procure({ action: 'decideProcedure', serviceKind: 'social', estimatedValue: '23000000', procedure: 'euTender' });
    await procure({
      action: 'prepareTender',
      title: 'Housing First-indsats for unge hjemløse',
      description: 'Bostøtte efter ICM-metoden til 120 unge over fire år.',
      awardCriteria: [
        { name: 'Pris', weight: 40 },
        { name: 'Kvalitet', weight: 60 },
      ],
      estimatedValue: '23000000',
      deadline: new Date(Date.now() + 40 * day).toISOString(),
    });
    await procure({ action: 'publishTender' });
    for (const b of bids) {
      const res = await procure({ action: 'registerBid', bidder: b.bidder, price: b.price });
      // Not even the answer to the one who registered it opens the bid.
      expect(JSON.stringify(res.body)).not.toContain(b.bidder);
      expect(res.body.procurement).toMatchObject({ bids: [], bidsSealed: true });
    }
  });

  it('while the bid window is open, shows nobody who bid or at what price, and only the secretariat that bids came', async () => {
    const read = await holdsToTable('windowOpen');
    expect(read.secretariat.api.body.procurement).toMatchObject({ bids: [], bidsSealed: true });
    expect(read.secretariat.api.body.procurement.bidArrivals).toHaveLength(2);
    expect(read.chair.api.body.procurement).toMatchObject({ bids: [], bidsSealed: true });
    expect(read.chair.api.body.procurement.bidArrivals).toBeUndefined();
    expect(read.member.procurementPage.text).toContain('Tilbuddene er forseglede, til tilbudsfristen udløber');
    // The mayor and the departments read the published record, not the working one.
    expect(read.mayor.api.body.procurement).toBeNull();
    for (const reader of everyone) expect(expectValidOcds(read[reader].ocds.body).tender).toMatchObject({ status: 'active' });
    expect(read.secretariat.ocds.body.releases[0].tender).not.toHaveProperty('tenderers');
  });

  it('once the window has closed, shows the bids to all and the scores to the secretariat only', async () => {
    await env.sleep(41 * day);
    await eventually(async () => expect((await sara().get(`/api/proposals/${id}`)).body.procurement.tender.closedAt).toBeDefined());
    const scores = (perBid: number[][]) => ({
      action: 'evaluate',
      scores: perBid.flatMap((s, i) => [
        { bidId: `bid-1.${i + 1}`, criterion: 'Pris', score: s[0] },
        { bidId: `bid-1.${i + 1}`, criterion: 'Kvalitet', score: s[1] },
      ]),
    });
    await procure(
      scores([
        [7, 9],
        [9, 6],
      ]),
    );
    const jonas = await stack.as('jonas.secretariat');
    expect(
      (
        await jonas.post(
          `/api/proposals/${id}/procurement`,
          scores([
            [8, 8],
            [8, 7],
          ]),
        )
      ).status,
    ).toBe(200);
    const read = await holdsToTable('windowClosed');
    expect(read.chair.api.body.procurement).toMatchObject({ bidsSealed: false, scoresWithheld: true, evaluations: [] });
    expect(read.chair.procurementPage.text).toContain('Bedømmernes point vises, når kontrakten er tildelt.');
    for (const reader of everyone) expect(expectValidOcds(read[reader].ocds.body).tender.tenderers.map((t: { name: string }) => t.name)).toEqual(bids.map((b) => b.bidder));
  });

  it('once the contract is awarded, shows the scores to all', async () => {
    await procure({ action: 'recommendAward', bidId: 'bid-1.1', reasons: 'Bedste tilbud' });
    // With the council the ranking's totals are read, the scores still the secretariat's.
    await eventually(async () => expect((await stack.store.tasks.countDocuments({ proposalId: id, kind: 'awardDecision', status: 'open' })).valueOf()).toBe(3));
    const withCouncil = (await (await stack.as('bo.member')).get(`/api/proposals/${id}`)).body.procurement;
    expect(withCouncil).toMatchObject({ scoresWithheld: true, evaluations: [] });
    expect(withCouncil.ranking[0]).toMatchObject({ bidId: 'bid-1.1', rank: 1 });
    for (let i = 0; i < 2; i++) await answerThroughApi(stack, id, 'awardDecision', { decision: 'approve' });
    await eventually(async () => expect((await stack.store.events.countDocuments({ proposalId: id, type: 'procurement.award' })).valueOf()).toBe(1));
    const read = await holdsToTable('awarded');
    expect(read.operator.api.body.liveUnavailable).toBeNull();
    expect(read.operator.api.body.procurement.evaluations).toHaveLength(2);
  });
});
