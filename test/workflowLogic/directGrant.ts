import { youthAnxietyGroups } from '../fixtures/proposals';
import { day, dkk, isoDay } from '../support/units';
import { actor } from '../support/drive';
import { refusal, refusalCode, soon, type ProposalCase, type WorkflowLogic } from '../support/workflowLogic';
import { claimTaskUpdate, reassignTaskUpdate, releaseTaskUpdate } from '../../workflows/messages';
import { maxHandovers } from '../../workflows/taskPool';
import { maxReassignments } from '../../workflows/taskReassignment';
import { refusingReservations } from '../support/stubActivities';

/** The direct-financing track after the cooperation agreement (1.2 million DKK approved), months skipped in seconds. */
export function directGrantTests(logic: () => WorkflowLogic) {
  describe('a direct grant (stubbed activities)', () => {
    async function atGrantAgreement(): Promise<ProposalCase> {
      const c = await logic().startProposal(youthAnxietyGroups);
      await c.approveThroughAgreement();
      await c.waitForStage('GrantAgreement');
      return c;
    }

    /** A grant agreement as the API takes it (DKK), its tranches `days` from now. */
    const grant = (now: number, amounts: number[], days: number[]) => ({
      grantee: 'Foreningen Ung i Aarhus',
      amount: String(amounts.reduce((a, b) => a + b, 0)),
      tranches: amounts.map((amount, i) => ({ dueDate: isoDay(now + days[i] * day), amount: String(amount), condition: `Betingelse ${i + 1}` })),
      conditions: 'Tilskuddet bruges alene til gruppeforløbene.',
    });

    it("bounds a pooled task's claims, releases and moves by role changes, and one a role change puts back in the pool can still be claimed", async () => {
      const c = await atGrantAgreement();
      const task = await c.openTask('grantAgreement');
      const [sara, jonas] = [actor('sara.secretariat', 'secretariat'), actor('jonas.secretariat', 'secretariat')];
      const claim = (by: typeof sara, from: string | null) => c.handle.executeUpdate(claimTaskUpdate, { args: [{ actor: by, taskId: task.id, from }] });
      const release = (by: typeof sara) => c.handle.executeUpdate(releaseTaskUpdate, { args: [{ actor: by, taskId: task.id }] });
      // Sara holds it as it opened: release and claim until the bound leaves her holding it.
      for (let n = 0; n < maxHandovers; n += 2) {
        await release(sara);
        await claim(sara, null);
      }
      expect(await refusalCode(release(sara))).toBe('handoversExhausted');
      expect(await refusalCode(claim(jonas, 'sara.secretariat'))).toBe('handoversExhausted');
      // Sara leaves the secretariat: the task goes back to its pool, and someone still in it takes it and answers.
      const admin = actor('hr.admin', 'administrator');
      const lost = { code: 'roleLost' as const, userId: 'sara.secretariat', role: 'secretariat' as const };
      const reassign = (from: string) => c.handle.executeUpdate(reassignTaskUpdate, { args: [{ actor: admin, taskId: task.id, from, reason: { ...lost, userId: from } }] });
      expect(await reassign('sara.secretariat')).toEqual({ assignee: null });
      expect(await claim(jonas, null)).toEqual({ assignee: 'jonas.secretariat' });
      // Role changes move it a bounded number of times too.
      for (let n = 1; n < maxReassignments; n++) {
        await reassign('jonas.secretariat');
        await claim(jonas, null);
      }
      expect(await refusalCode(reassign('jonas.secretariat'))).toBe('reassignmentsExhausted');
      const now = await logic().env.currentTimeMs();
      await c.complete('grantAgreement', grant(now, [1_200_000], [30]), { assignee: 'jonas.secretariat' });
      await c.waitForStage('GrantActive');
    });

    it('pays a confirmed tranche on its date, withholds one whose condition failed, and closes on the final report', async () => {
      const c = await atGrantAgreement();
      const now = await logic().env.currentTimeMs();
      // Not more than the council and the mayor approved.
      expect(await refusal(c.complete('grantAgreement', grant(now, [700_000, 600_000], [30, 180])))).toBe('Conflict');
      expect(c.world.bookingsOf(c.proposalId)).toEqual([['earmark', dkk(1_200_000)]]);

      await c.complete('grantAgreement', grant(now, [700_000, 500_000], [30, 180]));
      await c.waitForStage('GrantActive');
      // The grant's reservation takes the council's earmark over.
      expect(c.world.bookingsOf(c.proposalId)).toEqual([
        ['earmark', dkk(1_200_000)],
        ['reservation', dkk(1_200_000)],
      ]);
      expect(c.world.ledger.at(-1)).toMatchObject({ counterpart: 'Foreningen Ung i Aarhus', key: `${c.proposalId}.grantAgreement.reservation`, fromEarmarkOre: dkk(1_200_000) });
      expect(c.world.earmarkedFor(c.proposalId)).toBe(0);

      await logic().env.sleep('29 days');
      expect(c.world.tasksOf('trancheConfirmation')).toEqual([]);
      await logic().env.sleep('2 days');
      await c.complete('trancheConfirmation', { confirmed: true, note: 'Besøgt skolerne' });
      await soon(() => expect(c.world.bookingsOf(c.proposalId)).toContainEqual(['directGrant', dkk(700_000)]));

      await logic().env.sleep('150 days');
      await c.complete('trancheConfirmation', { confirmed: false, reason: 'Midtvejsevalueringen mangler' });
      // For the fund's outlook, as recorded: the withheld tranche is no longer expected, though nothing was paid.
      await c.openTask('grantFinalReport');
      const { recorded, live } = await c.outlookFlows(youthAnxietyGroups, isoDay(await logic().env.currentTimeMs()));
      expect(recorded).toEqual({ stage: 'GrantActive', flows: [] });
      expect(live).toEqual(recorded);
      await c.complete('grantFinalReport', { summary: 'Fire forløb gennemført', resultsAchieved: 'Fraværet faldt', documents: [] });
      expect(await c.handle.result()).toMatchObject({ stage: 'Closed', by: 'sara.secretariat' });

      // Each tranche leaves the reservation: the confirmed one paid from it, the withheld one back to free capital.
      expect(c.world.bookingsOf(c.proposalId)).toEqual([
        ['earmark', dkk(1_200_000)],
        ['reservation', dkk(1_200_000)],
        ['directGrant', dkk(700_000)],
        ['release', dkk(500_000)],
      ]);
      expect(c.world.ledger.find((e) => e.kind === 'directGrant')).toMatchObject({ key: `${c.proposalId}.tranche.1.payment`, fromReservation: true });
      expect(c.world.reservedFor(c.proposalId)).toBe(0);
      const { grant: g } = await c.state();
      expect(g!.tranches.map((t) => t.status)).toEqual(['paid', 'withheld']);
      expect(g!.finalReport).toMatchObject({ by: 'sara.secretariat', resultsAchieved: 'Fraværet faldt' });
    });

    it("pays a confirmed tranche from the grant's reservation, whatever other cases take of the free capital meanwhile", async () => {
      // Before each of this grant's bookings for a tranche, another case takes every krone of free capital.
      const c = await logic().startProposal(youthAnxietyGroups, {
        overrides: (world, fakes) => ({
          async bookLedger(r) {
            const { freeOre } = world.balances();
            if (r.key.includes('.tranche.') && freeOre > 0) {
              world.book({ key: `other.${r.key}`, kind: 'earmark', amountOre: freeOre, proposalId: 'OTHER', date: r.date, reason: 'Anden sag', by: 'jonas.secretariat' });
            }
            return fakes.bookLedger(r);
          },
        }),
      });
      await c.approveThroughAgreement();
      await c.waitForStage('GrantAgreement');
      const now = await logic().env.currentTimeMs();
      await c.complete('grantAgreement', grant(now, [1_200_000], [30]));
      await c.waitForStage('GrantActive');
      const grantedBefore = c.world.balances().grantedOre;
      await logic().env.sleep('31 days');
      await c.complete('trancheConfirmation', { confirmed: true });
      await c.openTask('grantFinalReport');
      // Paid, as the case says: the grantee's money never passed through the free capital another case could take.
      expect((await c.state()).grant!.tranches.map((t) => t.status)).toEqual(['paid']);
      expect(c.world.bookingsOf(c.proposalId).slice(-1)).toEqual([['directGrant', dkk(1_200_000)]]);
      expect(c.world.balances().grantedOre - grantedBefore).toBe(dkk(1_200_000));
      expect(c.world.reservedFor(c.proposalId)).toBe(0);
    });

    it("gives the tranche and the final report to who is in the secretariat when they open, the case's creator while she is", async () => {
      const c = await atGrantAgreement();
      const now = await logic().env.currentTimeMs();
      await c.complete('grantAgreement', grant(now, [1_200_000], [30]), { assignee: 'sara.secretariat' });
      // Sara leaves the secretariat before the tranche is due.
      c.world.secretariat = ['jonas.secretariat'];
      await logic().env.sleep('31 days');
      await c.complete('trancheConfirmation', { confirmed: true }, { assignee: 'jonas.secretariat' });
      await c.complete('grantFinalReport', { summary: 'Fire forløb gennemført', resultsAchieved: 'Fraværet faldt', documents: [] }, { assignee: 'jonas.secretariat' });
      expect(await c.handle.result()).toMatchObject({ stage: 'Closed', by: 'jonas.secretariat' });
    });

    it('asks for a new grant agreement when the fund refuses the reservation of an approval without an earmark', async () => {
      // Approved before earmarks existed: the approval holds no money in the ledger, so the reservation needs free capital.
      const c = await logic().startProposal(youthAnxietyGroups, { overrides: { earmarkApproval: async () => ({ booked: true }) } });
      await c.approveThroughAgreement();
      await c.waitForStage('GrantAgreement');
      // Meanwhile another case has taken all but 500,000 DKK of the free capital.
      const { freeOre } = c.world.balances();
      expect(
        c.world.book({
          key: 'other.contract',
          kind: 'reservation',
          amountOre: freeOre - dkk(500_000),
          proposalId: 'OTHER',
          date: '2026-01-01',
          reason: 'Anden sag',
          by: 'jonas.secretariat',
        }),
      ).toMatchObject({ booked: true });
      const now = await logic().env.currentTimeMs();

      const first = await c.complete('grantAgreement', grant(now, [1_200_000], [30]));
      await soon(() => expect(c.world.notified('grantRefusedByFund').map((n) => n.to.users)).toEqual([['sara.secretariat']]));
      const second = await c.openTask('grantAgreement');
      expect(second.id).not.toBe(first.id);
      expect((await c.state()).stage).toBe('GrantAgreement');
      expect(c.world.bookingsOf(c.proposalId)).toEqual([]);
      expect(c.world.called('bookLedger')).toMatchObject([{ kind: 'reservation', amountOre: dkk(1_200_000), proposalId: c.proposalId }]);

      await c.complete('grantAgreement', grant(now, [400_000], [30]));
      await c.waitForStage('GrantActive');
      expect(c.world.bookingsOf(c.proposalId)).toEqual([['reservation', dkk(400_000)]]);
      expect((await c.state()).grant).toMatchObject({ amountOre: dkk(400_000), reservedOre: dkk(400_000) });
    });

    it('asks for no new grant agreement once the fund has refused 20, and the case can still be withdrawn', async () => {
      const c = await logic().startProposal(youthAnxietyGroups, { overrides: refusingReservations() });
      await c.approveThroughAgreement();
      await c.waitForStage('GrantAgreement');
      const now = await logic().env.currentTimeMs();
      for (let i = 1; i <= 20; i++) {
        if (i === 20) {
          // Jonas takes the last one from Sara (a pooled task) and sets it.
          const last = await c.openTask('grantAgreement');
          await c.handle.executeUpdate(claimTaskUpdate, { args: [{ actor: actor('jonas.secretariat', 'secretariat'), taskId: last.id, from: 'sara.secretariat' }] });
        }
        await c.complete('grantAgreement', grant(now, [1_200_000], [30]), i === 20 ? { assignee: 'jonas.secretariat' } : {});
        await soon(() => expect(c.world.notified('grantRefusedByFund')).toHaveLength(i));
      }
      expect(c.world.notified('grantRefusedByFund').map((n) => n.reason)).toEqual([...Array(19).fill(undefined), { code: 'fundRefusalsExhausted', refusals: 20 }]);
      // To the secretary, or the secretariat when they have left it; and on the case's timeline.
      // Who set the last agreement hears of its refusal.
      expect(c.world.notified('grantRefusedByFund').at(-1)!.to).toEqual({ users: ['jonas.secretariat'], otherwise: 'secretariat' });
      expect(c.world.events.filter((e) => e.type === 'fundRefusalsExhausted').map((e) => e.details)).toEqual([{ refusals: 20 }]);
      await logic().env.sleep('1 day');
      expect(c.world.tasksOf('grantAgreement').map((t) => t.status)).toEqual(Array(20).fill('completed'));
      expect((await c.state()).stage).toBe('GrantAgreement');
      await c.withdraw('Fonden kan ikke dække tilsagnet');
      expect(await c.handle.result()).toMatchObject({ stage: 'Withdrawn' });
    });

    it('releases what is still reserved when the grant is withdrawn after a paid tranche', async () => {
      const c = await atGrantAgreement();
      const now = await logic().env.currentTimeMs();
      // A tranche dated in the past is due at once.
      await c.complete('grantAgreement', grant(now, [400_000, 800_000], [-10, 90]));
      await c.complete('trancheConfirmation', { confirmed: true });
      await soon(() => expect(c.world.bookingsOf(c.proposalId)).toContainEqual(['directGrant', dkk(400_000)]));
      // The outlook expects the second tranche only, in its year.
      const today = isoDay(await logic().env.currentTimeMs());
      const expected = await c.outlookFlows(youthAnxietyGroups, today);
      expect(expected.recorded).toEqual(expected.live);
      expect(expected.recorded!.flows.map((f) => f.amountOre)).toEqual([dkk(800_000)]);
      await c.withdraw('Foreningen er opløst');
      expect(await c.handle.result()).toMatchObject({ stage: 'Withdrawn', reason: { code: 'withdrawn', text: 'Foreningen er opløst' } });
      expect(c.world.bookingsOf(c.proposalId)).toEqual([
        ['earmark', dkk(1_200_000)],
        ['reservation', dkk(1_200_000)],
        ['directGrant', dkk(400_000)],
        ['release', dkk(800_000)],
      ]);
      expect(c.world.reservedFor(c.proposalId)).toBe(0);
      expect((await c.state()).grant!.tranches.map((t) => t.status)).toEqual(['paid', 'released']);
      expect(c.world.commitments.get(c.proposalId)!.commitment.stage).toBe('Withdrawn');
    });

    it('gives the earmark back when withdrawn before the grant is agreed', async () => {
      const c = await atGrantAgreement();
      await c.withdraw('Ansøgeren har fået andet tilskud');
      expect(await c.handle.result()).toMatchObject({ stage: 'Withdrawn' });
      expect(c.world.bookingsOf(c.proposalId)).toEqual([
        ['earmark', dkk(1_200_000)],
        ['earmarkRelease', dkk(1_200_000)],
      ]);
      expect(c.world.balances()).toMatchObject({ earmarkedOre: 0, freeOre: dkk(40_000_000) });
      expect(c.world.tasksOf('grantAgreement').map((t) => t.status)).toEqual(['cancelled']);
    });
  });
}
