import { seedCommitments } from '../../bench/seedCommitments';
import type { Config } from '../../config';
import { openStore, type Store } from '../../store';
import { recordCommitment, stopCommitment } from '../../store/commitments';
import { ledger } from '../../store/ledger';
import { fundOutlook } from '../../store/outlook';
import type { Commitment } from '../../domain/commitment';
import { testServers, uniqueName } from '../support/servers';

/**
 * The outlook keeps the commitments it read until they change: every change a case's
 * workflow or the operator makes to them shows at once, also to a reader in another
 * process, and a reader that kept them shows no figure older than the change.
 */
describe('the outlook kept between reads', () => {
  let store: Store;
  let other: Store;
  const config = { fund: { startDate: '2025-01-01', outlookYears: 10 } } as Config;
  const expectedTotal = (o: Awaited<ReturnType<typeof fundOutlook>>) => o.without.years.reduce((sum, y) => sum + y.outcomePaymentsOre + y.grantsOre, 0);

  beforeAll(async () => {
    store = openStore(testServers().mongodbUri, uniqueName('outlook-kept'));
    await store.ready();
    other = openStore(testServers().mongodbUri, store.conn.db!.databaseName);
    await other.ready();
    await ledger(store).open(100_000_000_00, '2025-01-01');
  });
  afterAll(async () => {
    await other?.close();
    await store?.conn.dropDatabase();
    await store?.close();
  });

  it('shows each change to the commitments, made here or by another process', async () => {
    const [grant, earmarked] = (await seedCommitments(store, 3, 'KEPT')).slice(1);
    const first = await fundOutlook(config, store);
    expect(await fundOutlook(config, store)).toEqual(first); // kept, and the same
    expect(await fundOutlook(config, other)).toEqual(first);

    // The operator stops a grant in another process: it drops out for both readers.
    await stopCommitment(other, grant);
    const stopped = await fundOutlook(config, store);
    expect(expectedTotal(stopped)).toBeLessThan(expectedTotal(first));
    expect(await fundOutlook(config, other)).toEqual(stopped);

    // An approved case is closed by its workflow: it leaves the outlook too.
    const doc = (await store.commitments.findById(earmarked).lean())!;
    await recordCommitment(other, { proposalId: earmarked, seq: doc.seq + 1, commitment: { ...(doc.commitment as Commitment), stage: 'Closed' } });
    const closed = await fundOutlook(config, store);
    expect(expectedTotal(closed)).toBeLessThan(expectedTotal(stopped));
    // Asked to show the closed case beside the others, it adds nothing: it no longer commits anything.
    expect((await fundOutlook(config, store, earmarked)).with).toBeUndefined();
  });

  it('shows a write whose first try died before marking it, once the retry comes', async () => {
    const [contract] = await seedCommitments(store, 1, 'RETRIED');
    const before = await fundOutlook(config, store);
    const doc = (await store.commitments.findById(contract).lean())!;
    const closing = { proposalId: contract, seq: doc.seq + 1, commitment: { ...(doc.commitment as Commitment), stage: 'Closed' as const } };
    // The first try's write, without its mark (the outlook kept from before cannot know of it).
    await store.commitments.updateOne({ _id: contract }, { $set: { seq: closing.seq, stage: 'Closed', counted: false, commitment: closing.commitment } });
    await recordCommitment(store, closing); // the activity's retry
    expect(expectedTotal(await fundOutlook(config, store))).toBeLessThan(expectedTotal(before));
  });
});
