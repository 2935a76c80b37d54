import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ledger } from '../../store/ledger';
import { grantAgreementInput } from '../../domain/grant';
import { balancesOf } from '../../domain/ledger';
import { stateQuery, withdrawUpdate } from '../../workflows/messages';
import { youthAnxietyGroups } from '../fixtures/proposals';
import { actor, approveThroughAgreement, completeOpen, waitForStage } from '../support/drive';
import { eventually } from '../support/eventually';
import { recordHistory } from '../support/histories';
import { startTimeSkippingStack, type TimeSkippingStack } from '../support/timeSkipping';
import { dkk, isoDay } from '../support/units';

/** The direct-financing track after the cooperation agreement: months pass in seconds. */
describe('a direct-financing grant', () => {
  let t: TimeSkippingStack;
  beforeAll(async () => {
    t = await startTimeSkippingStack('grant');
  });
  afterAll(() => t?.stop());

  const grant = (now: number, amounts: [number, number], days: [number, number]) =>
    grantAgreementInput.parse({
      grantee: 'Foreningen Ung i Aarhus',
      amount: String(amounts[0] + amounts[1]),
      tranches: [
        { dueDate: isoDay(now + days[0] * 86_400_000), amount: String(amounts[0]), condition: 'Forløbene er startet på tre skoler' },
        { dueDate: isoDay(now + days[1] * 86_400_000), amount: String(amounts[1]), condition: 'Midtvejsevaluering er modtaget' },
      ],
      conditions: 'Tilskuddet bruges alene til gruppeforløbene.',
    });

  async function books() {
    const entries = await t.store.ledger.find().sort({ seq: 1 }).lean();
    const { reservedByProposal, earmarkedByProposal: _earmarks, ...balances } = await ledger(t.store).balances();
    expect(balancesOf(entries.map((e) => ({ ...e, proposalId: e.proposalId ?? undefined })))).toEqual(balances);
    return { entries, balances, reservedByProposal };
  }

  it('is paid in two tranches on their dates once each condition is confirmed, then closes on the final report', async () => {
    const proposalId = 'SIF-2026-701';
    const handle = await t.startProposal(proposalId, youthAnxietyGroups);
    await approveThroughAgreement(t.store, handle, proposalId);
    await waitForStage(handle, 'GrantAgreement');
    const now = await t.env.currentTimeMs();

    // Not more than the council and the mayor approved (1.2 million).
    await expect(completeOpen(t.store, handle, proposalId, 'grantAgreement', grant(now, [700_000, 600_000], [30, 180]), 'secretariat')).rejects.toThrow(WorkflowUpdateFailedError);
    expect((await books()).balances.reservedOre).toBe(0);

    await completeOpen(t.store, handle, proposalId, 'grantAgreement', grant(now, [700_000, 500_000], [30, 180]), 'secretariat');
    await waitForStage(handle, 'GrantActive');
    expect((await books()).reservedByProposal[proposalId]).toBe(dkk(1_200_000));

    await t.env.sleep('29 days');
    expect(await t.store.tasks.countDocuments({ proposalId, kind: 'trancheConfirmation' })).toBe(0);
    await t.env.sleep('2 days');
    await completeOpen(t.store, handle, proposalId, 'trancheConfirmation', { confirmed: true, note: 'Besøgt skolerne' }, 'secretariat');
    await eventually(async () => expect((await handle.query(stateQuery)).grant!.tranches[0].status).toBe('paid'));
    expect((await books()).balances).toMatchObject({ grantedOre: dkk(700_000), reservedOre: dkk(500_000), freeOre: dkk(40_000_000 - 1_200_000) });

    await t.env.sleep('150 days');
    await completeOpen(t.store, handle, proposalId, 'trancheConfirmation', { confirmed: true }, 'secretariat');
    await completeOpen(
      t.store,
      handle,
      proposalId,
      'grantFinalReport',
      { summary: 'Otte forløb gennemført', resultsAchieved: 'Fraværet faldt fra 18 til 12 dage', documents: [] },
      'secretariat',
    );
    const closure = await handle.result();
    expect(closure).toMatchObject({ stage: 'Closed', reason: { code: 'grantCompleted' }, by: 'sara.secretariat' });

    const { entries, balances } = await books();
    expect(balances).toEqual({ capitalOre: dkk(40_000_000), reservedOre: 0, paidOre: 0, grantedOre: dkk(1_200_000), returnedOre: 0, earmarkedOre: 0, freeOre: dkk(38_800_000) });
    expect(entries.filter((e) => e.proposalId === proposalId).map((e) => [e.kind, e.amountOre / 100, e.counterpart])).toEqual([
      ['earmark', 1_200_000, undefined], // the council's approval, until the grant reserves it
      ['reservation', 1_200_000, 'Foreningen Ung i Aarhus'],
      // Each tranche paid straight from the reservation, never through the free capital.
      ['directGrant', 700_000, 'Foreningen Ung i Aarhus'],
      ['directGrant', 500_000, 'Foreningen Ung i Aarhus'],
    ]);
    const state = await handle.query(stateQuery);
    expect(state.grant!.finalReport).toMatchObject({ by: 'sara.secretariat', resultsAchieved: 'Fraværet faldt fra 18 til 12 dage' });
    await recordHistory(handle, 'direct-grant-paid-from-reservation');
  });

  it('releases what is still reserved when the grant is withdrawn after a withheld tranche', async () => {
    const proposalId = 'SIF-2026-702';
    const handle = await t.startProposal(proposalId, youthAnxietyGroups);
    // Free before the council's approval: withdrawn, the proposal holds nothing any more.
    const before = (await books()).balances.freeOre;
    await approveThroughAgreement(t.store, handle, proposalId);
    const now = await t.env.currentTimeMs();
    // A first tranche dated in the past is due at once.
    await completeOpen(t.store, handle, proposalId, 'grantAgreement', grant(now, [400_000, 800_000], [-10, 90]), 'secretariat');
    await completeOpen(t.store, handle, proposalId, 'trancheConfirmation', { confirmed: false, reason: 'Forløbene er ikke startet' }, 'secretariat');
    await eventually(async () => expect((await handle.query(stateQuery)).grant!.tranches[0].status).toBe('withheld'));
    expect((await books()).reservedByProposal[proposalId]).toBe(dkk(800_000));

    await handle.executeUpdate(withdrawUpdate, { args: [{ actor: actor('sara.secretariat', 'secretariat'), reason: 'Foreningen er opløst' }] });
    expect(await handle.result()).toMatchObject({ stage: 'Withdrawn', reason: { code: 'withdrawn', text: 'Foreningen er opløst' } });
    const { balances, reservedByProposal } = await books();
    expect(reservedByProposal[proposalId]).toBe(0);
    expect(balances.freeOre).toBe(before);
    expect((await handle.query(stateQuery)).grant!.tranches.map((tr) => tr.status)).toEqual(['withheld', 'released']);
  });
});
