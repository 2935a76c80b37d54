import { ledger, type Ledger, type LedgerRequest } from '../../store/ledger';
import { openStore, type Store } from '../../store';
import { balancesOf, type EntryKind } from '../../domain/ledger';
import { testServers, uniqueName } from '../support/servers';
import { dkk } from '../support/units';
import { earmark, releaseEarmark, releaseHeld } from '../../store/fund';

/** The fund's books on FerretDB: no transactions, yet never booked twice and never below zero. */
describe('the fund ledger', () => {
  let store: Store;
  let books: Ledger;
  let n = 0;
  const booking = (kind: EntryKind, kroner: number, extra: Partial<LedgerRequest> = {}): LedgerRequest => ({
    key: `test.${kind}.${++n}`,
    kind,
    amountOre: dkk(kroner),
    date: '2026-03-01',
    reason: 'test',
    by: 'sara.secretariat',
    ...extra,
  });

  beforeAll(async () => {
    store = openStore(testServers().mongodbUri, uniqueName('ledger'));
    await store.ready();
    books = ledger(store);
  });
  afterAll(async () => {
    await store?.conn.dropDatabase();
    await store?.close();
  });

  async function expectBooksToAddUp() {
    const entries = await store.ledger.find().sort({ seq: 1 }).lean();
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1)); // an unbroken chain
    const { reservedByProposal, earmarkedByProposal: _earmarks, ...balances } = await books.balances();
    expect(balancesOf(entries.map((e) => ({ ...e, proposalId: e.proposalId ?? undefined })))).toEqual(balances);
    const reservedPerProposal = Object.values(reservedByProposal).reduce((a, b) => a + b, 0);
    expect(reservedPerProposal).toBe(balances.reservedOre);
    expect(balances.freeOre).toBeGreaterThanOrEqual(0);
  }

  it('opens with the configured capital once, however often the system starts', async () => {
    await books.open(dkk(40_000_000), '2025-01-01');
    await books.open(dkk(40_000_000), '2025-01-01');
    expect(await books.balances()).toMatchObject({ capitalOre: dkk(40_000_000), freeOre: dkk(40_000_000) });
    expect(await store.ledger.countDocuments({ kind: 'capital' })).toBe(1);
    // A setting changed since does not keep the system from starting: the books stand, and the log says so.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await books.open(dkk(45_000_000), '2025-01-01');
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('the fund was opened with 40000000.00 DKK'));
    } finally {
      warn.mockRestore();
    }
    expect(await books.balances()).toMatchObject({ capitalOre: dkk(40_000_000), freeOre: dkk(40_000_000) });
  });

  it('reserves once per key, and refuses a reservation the fund cannot cover, writing nothing to the balances', async () => {
    const housing = booking('reservation', 23_000_000, { key: 'proposal-SIF-2026-001.reservation', proposalId: 'SIF-2026-001' });
    await books.book(housing);
    await books.book(housing); // a retried step
    expect(await books.balances()).toMatchObject({ reservedOre: dkk(23_000_000), freeOre: dkk(17_000_000) });

    const tooMuch = booking('reservation', 20_000_000, { proposalId: 'SIF-2026-002' });
    await expect(books.book(tooMuch)).rejects.toThrow('the fund has 17000000.00 DKK free; reservation of 20000000.00 DKK would take it below zero');
    await expect(books.book(tooMuch)).rejects.toThrow(/17000000.00 DKK free/); // the same answer on retry
    expect(await books.balances()).toMatchObject({ reservedOre: dkk(23_000_000), freeOre: dkk(17_000_000) });
    expect(await store.ledger.findById(tooMuch.key).lean()).toBeNull();
    await expectBooksToAddUp();
  });

  it('pays outcomes from the reservation, never beyond it, and releases the rest', async () => {
    const proposalId = 'SIF-2026-001';
    await books.book(booking('outcomePayment', 5_000_000, { proposalId, fromReservation: true, counterpart: 'Investor A/S' }));
    expect(await books.balances()).toMatchObject({ reservedOre: dkk(18_000_000), paidOre: dkk(5_000_000), freeOre: dkk(17_000_000) });
    await expect(books.book(booking('outcomePayment', 18_000_001, { proposalId, fromReservation: true }))).rejects.toThrow(
      'SIF-2026-001 has 18000000.00 DKK reserved; outcomePayment of 18000001.00 DKK exceeds it',
    );
    await books.book(booking('release', 18_000_000, { proposalId }));
    await books.book(booking('savingsReturned', 2_000_000, { proposalId, counterpart: 'MSB' }));
    await books.book(booking('directGrant', 1_000_000, { proposalId: 'SIF-2026-003', counterpart: 'Foreningen Ung' }));
    expect(await books.balances()).toMatchObject({
      capitalOre: dkk(40_000_000),
      reservedOre: 0,
      paidOre: dkk(5_000_000),
      returnedOre: dkk(2_000_000),
      grantedOre: dkk(1_000_000),
      freeOre: dkk(36_000_000),
    });
    await expectBooksToAddUp();
  });

  it('books a step retried concurrently with itself exactly once', async () => {
    const req = booking('directGrant', 500_000, { proposalId: 'SIF-2026-004' });
    const results = await Promise.all([books.book(req), books.book(req), books.book(req)]);
    expect(new Set(results.map((e) => e.seq)).size).toBe(1);
    expect((await books.balances()).freeOre).toBe(dkk(35_500_000));
    await expectBooksToAddUp();
  });

  it('never lets concurrent reservations take the free balance below zero', async () => {
    const requests = Array.from({ length: 10 }, (_, i) => booking('reservation', 5_000_000, { proposalId: `SIF-2027-0${i}` }));
    const results = await Promise.allSettled(requests.map((r) => books.book(r)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(7);
    expect((await books.balances()).freeOre).toBe(dkk(500_000));
    await expectBooksToAddUp();
  });

  it('lets one of two simultaneous earmarks take money only one can have, turns it into the reservation, and gives it back once', async () => {
    const { freeOre: free, reservedOre: reserved } = await books.balances();
    const asks = ['SIF-2028-001', 'SIF-2028-002'].map((proposalId) => ({
      key: `${proposalId}.r1.earmark`,
      proposalId,
      amountOre: free - dkk(1_000),
      date: '2026-03-01',
      reason: 'test',
      by: 'council',
    }));
    const answers = await Promise.all(asks.map((a) => earmark(store, a)));
    expect(answers.filter((a) => a.booked)).toHaveLength(1);
    expect(answers.find((a) => !a.booked)).toEqual({ booked: false, availableOre: dkk(1_000) });
    const winner = asks[answers.findIndex((a) => a.booked)].proposalId;
    expect(await books.balances()).toMatchObject({ earmarkedOre: free - dkk(1_000), freeOre: dkk(1_000) });

    // The contract's cap is below the approval: the earmark becomes the reservation, the rest is free again.
    await books.book(booking('reservation', 100_000, { proposalId: winner }));
    expect(await books.balances()).toMatchObject({ earmarkedOre: 0, reservedOre: reserved + dkk(100_000), freeOre: free - dkk(100_000) });
    await releaseEarmark(store, { key: `${winner}.earmark.release`, proposalId: winner, date: '2026-03-01', reason: 'test', by: 'system' });
    expect(await store.ledger.exists({ _id: `${winner}.earmark.release` })).toBeNull(); // nothing left to give back

    const other = 'SIF-2028-003';
    await earmark(store, { key: `${other}.r1.earmark`, proposalId: other, amountOre: dkk(1_000), date: '2026-03-01', reason: 'test', by: 'council' });
    const release = { key: `${other}.earmark.release`, proposalId: other, date: '2026-03-01', reason: 'test', by: 'system' };
    await Promise.all([releaseEarmark(store, release), releaseEarmark(store, release)]);
    expect(await store.ledger.countDocuments({ kind: 'earmarkRelease' })).toBe(1);
    expect(await books.balances()).toMatchObject({ earmarkedOre: 0, freeOre: free - dkk(100_000) });
    await expectBooksToAddUp();
  });

  it('keeps one chain when two processes book in turns and at once, and pages it newest first', async () => {
    // A second process on the same database: each finds the head the other moved.
    const other = openStore(testServers().mongodbUri, store.conn.db!.databaseName);
    await other.ready();
    try {
      const theirs = ledger(other);
      for (let i = 0; i < 5; i++) {
        const mine = await books.book(booking('savingsReturned', 10));
        const next = await theirs.book(booking('savingsReturned', 10));
        expect(next.seq).toBe(mine.seq + 1);
      }
      await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? books : theirs).book(booking('savingsReturned', 10))));
      // Many bookings behind: the other process's next booking still lands on the head.
      for (let i = 0; i < 9; i++) await books.book(booking('savingsReturned', 10));
      expect(await theirs.balances()).toEqual(await books.balances());
      await expectBooksToAddUp();

      const all = await store.ledger.find().sort({ seq: -1 }).lean();
      const [first, second] = await Promise.all([theirs.entries({ page: 1, pageSize: 20 }), theirs.entries({ page: 2, pageSize: 20 })]);
      expect(first.total).toBe(all.length);
      expect([...first.entries, ...second.entries].map((e) => e._id)).toEqual(all.slice(0, 40).map((e) => e._id));
      const last = Math.ceil(all.length / 20);
      expect((await books.entries({ page: last, pageSize: 20 })).entries.map((e) => e.seq)).toEqual(all.slice((last - 1) * 20).map((e) => e.seq));
      expect((await books.entries({ page: last + 1, pageSize: 20 })).entries).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('pages the chain from the rows kept beside it, and keeps the row of an entry that has none as it reads it', async () => {
    for (let i = 0; i < 30; i++) await books.book(booking('savingsReturned', 10));
    const all = await store.ledger.find({}, { seq: 1 }).sort({ seq: -1 }).lean();
    // Each booking kept its row: what a page shows, not the maps by case every entry carries.
    const row = await store.ledgerRows.findById(all[0]._id).lean();
    expect(row).not.toHaveProperty('reservedByProposalAfter');
    expect(row).toMatchObject({ seq: all[0].seq, block: Math.floor((all[0].seq - 1) / 25), kind: 'savingsReturned', balancesAfter: { freeOre: expect.any(Number) } });
    // As an upgrade finds the entries booked before rows were kept (or a booking whose process died before its row).
    await store.ledgerRows.deleteMany({});
    const page = await books.entries({ page: 2, pageSize: 25 });
    expect(page.total).toBe(all.length);
    expect(page.entries.map((e) => e.seq)).toEqual(all.slice(25, 50).map((e) => e.seq));
    expect(page.entries[0]).not.toHaveProperty('reservedByProposalAfter');
    expect(Object.keys(page.entries[0].balancesAfter)).toEqual(['freeOre']);
    const kept = await store.ledgerRows.find({}, { seq: 1 }).lean();
    expect(kept.map((r) => r.seq).sort((a, b) => b - a)).toEqual(all.slice(25, 50).map((e) => e.seq));
    // Read again, from the rows alone, the same.
    expect((await books.entries({ page: 2, pageSize: 25 })).entries).toEqual(page.entries);
  });

  it('refuses a key reused for another booking', async () => {
    const req = booking('savingsReturned', 100);
    await books.book(req);
    await expect(books.book({ ...req, amountOre: dkk(999) })).rejects.toThrow(/already used for another booking/);
  });

  it("gives back a stopped case's reservation once when attempts of the step run at once, and each says what was given back", async () => {
    for (const proposalId of ['SIF-2026-081', 'SIF-2026-082', 'SIF-2026-083']) {
      await books.book(booking('reservation', 100_000, { proposalId }));
      const step = { key: `${proposalId}.stopped`, proposalId, date: '2026-03-02', reason: 'Sagen blev stoppet', by: 'sara.secretariat' };
      // A local attempt that ran past its time and the server's attempt after it, and a retry beside them.
      const results = await Promise.all([releaseHeld(store, step), releaseHeld(store, step), releaseHeld(store, step), releaseHeld(store, step)]);
      expect(results).toEqual(Array(4).fill({ reservedOre: dkk(100_000), earmarkedOre: 0 }));
      expect(await store.ledger.countDocuments({ proposalId, kind: 'release' })).toBe(1);
    }
    await expectBooksToAddUp();
  });
});
