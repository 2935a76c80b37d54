import { openStore, type Store } from '../../store';
import { proposalListPage } from '../../store/proposalList';
import { testServers, uniqueName } from '../support/servers';

/**
 * The list of all proposals reads a page by its numbers rather than by sorting every
 * proposal: numbering must give each proposal one place, newest first, while proposals
 * are created and the list is read at the same time, on the embedded FerretDB.
 */
describe('the list of proposals', () => {
  let store: Store;
  beforeAll(async () => {
    store = openStore(testServers().mongodbUri, uniqueName('proposal-list'));
    await store.ready();
  });
  afterAll(async () => {
    await store?.conn.dropDatabase();
    await store?.close();
  });

  const create = (n: number, at: Date) =>
    store.proposals.create({ _id: `SIF-2026-${String(n).padStart(3, '0')}`, workflowId: `w${n}`, content: { title: `P${n}` }, stage: 'Motivation', createdAt: at });

  it('gives each of 60 proposals created while 6 readers read one place, newest first, with the total', async () => {
    // Proposals stored before the list was kept are numbered by the first read.
    await create(1, new Date('2026-01-01T00:00:00Z'));
    await store.proposals.updateOne({ _id: 'SIF-2026-001' }, { $unset: { listed: 1 } });

    const base = Date.parse('2026-02-01T00:00:00Z');
    const reads: Promise<unknown>[] = [];
    const writes = Array.from({ length: 59 }, (_, i) => i + 2).map(async (n) => {
      await create(n, new Date(base + n * 1000));
      if (n % 10 === 0) reads.push(proposalListPage(store, 1, 7));
    });
    const readers = Array.from({ length: 6 }, () => proposalListPage(store, 2, 7));
    await Promise.all([...writes, ...readers]);
    await Promise.all(reads);

    const { total } = await proposalListPage(store, 1, 7);
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(total / 7); page++) {
      const { docs } = await proposalListPage(store, page, 7);
      expect(docs.length).toBe(page < Math.ceil(total / 7) ? 7 : total - 7 * (page - 1));
      seen.push(...docs.map((d) => d._id));
    }
    expect(total).toBe(60);
    expect(new Set(seen).size).toBe(60);
    const ordinals = (await store.proposals.find({}, { ordinal: 1 }).lean()).map((d) => d.ordinal).sort((a, b) => a! - b!);
    expect(ordinals).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    // The ones numbered in one read are in the order they were created; the newest of all comes first.
    expect(seen[0]).toBe((await store.proposals.findOne({ ordinal: 60 }).lean())!._id);
    expect(seen[seen.length - 1]).toBe('SIF-2026-001');
  });

  it('answers a page past the end with no proposals and the total', async () => {
    const r = await proposalListPage(store, 100, 50);
    expect(r).toEqual({ total: 60, docs: [] });
  });
});
