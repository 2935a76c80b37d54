/**
 * The data volumes of issue #14's table, put in place once per run. Where a measure only
 * reads, documents go into the database in bulk (through the driver, as a migration would).
 * The outlook's cases are seeded by bench/seedCommitments.ts.
 */
import { housingFirst } from '../test/fixtures/proposals';
import { proposalSchema } from '../domain/proposal';
import { workflowIdFor } from '../workflows/input';
import { listBucketOf, proposalListPage } from '../store/proposalList';
import type { Store } from '../store';
import { filedUnder } from '../store/accessLog';
import { markChanged } from '../store/changeMarks';
import type { BenchStack } from './stack';

const batch = 1_000;
const day = 86_400_000;
/** Cases of an earlier year, so they never meet the case numbers the API gives this year. */
const seededYear = new Date().getUTCFullYear() - 1;
export const seededProposalId = (i: number) => `SIF-${seededYear}-${String(i + 1).padStart(5, '0')}`;

/**
 * A database that grew to a volume over years has statistics to plan by; one filled in
 * seconds has only what it last counted until autovacuum comes round, a minute or more
 * later. Meanwhile the embedded database planned from the few hundred proposals the
 * earlier measures had made: the list's check for unnumbered proposals scanned all
 * 10,000 (70–190 ms a read) instead of using its index (1 ms). `compact` has the
 * database take stock now (FerretDB: VACUUM ANALYZE of the collection's table).
 */
export async function takeStock(store: Store, ...models: { collection: { collectionName: string } }[]) {
  for (const model of models) await store.conn.db!.command({ compact: model.collection.collectionName });
}

async function inBatches(total: number, insert: (from: number, to: number) => Promise<unknown>) {
  for (let from = 0; from < total; from += batch) await insert(from, Math.min(total, from + batch));
}

/**
 * `total` tasks over the seeded proposals, most of them finished long ago as in a fund
 * some years old; `openForUser` of them open and held by `userId`, the rest spread over
 * the council. One in 50 is the secretariat's pooled case work (a tranche to confirm),
 * 2,000 in all: one in 20 of those still open, 100 (a task a running case, more cases than
 * the fund will run at once), and one in 5 of the open ones held by nobody, in the pool.
 * Counts what is there already, so a second call adds nothing.
 */
export async function seedTasks(stack: BenchStack, total: number, userId: string, openForUser: number) {
  const have = await stack.store.tasks.countDocuments({ _id: { $regex: '^bench-task-' } });
  const holders = ['anne.chair', 'bo.member', 'cecilie.member', 'mayor', 'msb.head'];
  const now = Date.now();
  await inBatches(total - have, (from, to) =>
    stack.store.tasks.collection.insertMany(
      Array.from({ length: to - from }, (_, k) => {
        const i = have + from + k;
        const mine = i < openForUser;
        const pooled = i % 50 === 45;
        const open = mine || (pooled ? i % 1_000 === 45 : i % 20 === 0);
        return {
          _id: `bench-task-${i}`,
          proposalId: seededProposalId(i % 10_000),
          kind: pooled ? 'trancheConfirmation' : 'councilVote',
          title: pooled ? 'Rate' : 'Stemme',
          assignee: mine ? userId : pooled && i % 5_000 === 45 ? null : holders[i % holders.length],
          role: pooled ? 'secretariat' : 'councilMember',
          dueAt: new Date(now + ((i % 30) - 10) * day),
          status: open ? 'open' : 'completed',
          overdue: false,
          openedAt: new Date(now - (i % 1000) * day),
          ...(open ? {} : { completedBy: holders[i % holders.length], completedAt: new Date(now - (i % 900) * day), input: { decision: 'approve' } }),
        };
      }) as never[],
    ),
  );
  await takeStock(stack.store, stack.store.tasks);
}

/**
 * `total` proposals of last year, decided, withdrawn or closed, as the read model holds them
 * once the list has numbered them. They have no workflows (the lists read the database), so
 * none is left open: the worker's reconciler would take an open one for a case whose
 * workflow an operator deleted and stop it, thousands at once beside the reads measured.
 * Numbered here, after
 * the proposals already listed: left to the list's first read, 10,000 would be numbered
 * twenty at a time, each batch a scan of the unnumbered ones.
 */
export async function seedProposals(stack: BenchStack, total: number) {
  const have = await stack.store.proposals.countDocuments({ _id: { $regex: `^SIF-${seededYear}-` } });
  const listed = (await proposalListPage(stack.store, 1, 1)).total;
  const content = proposalSchema.parse(housingFirst);
  const stages = ['Rejected', 'Withdrawn', 'Closed', 'Refused'];
  const start = Date.UTC(seededYear, 0, 1);
  await inBatches(total - have, (from, to) =>
    stack.store.proposals.collection.insertMany(
      Array.from({ length: to - from }, (_, k) => {
        const i = have + from + k;
        const at = new Date(start + i * 3_000_000);
        const _id = seededProposalId(i);
        const ordinal = listed + from + k + 1;
        return {
          _id,
          listed: true,
          ordinal,
          listBucket: listBucketOf(ordinal),
          workflowId: workflowIdFor(_id),
          content: { ...content, title: `${content.title} (${i})` },
          stage: stages[i % stages.length],
          stageSeq: 10,
          revision: 0,
          createdBy: 'sara.secretariat',
          createdAt: at,
          updatedAt: at,
        };
      }) as never[],
    ),
  );
  await stack.store.listing.updateOne({ _id: 'proposals' }, { $set: { count: listed + total - have } }, { upsert: true });
  await takeStock(stack.store, stack.store.proposals);
}

/**
 * `total` reads in the access log, evenly over the last `days` days up to now, by the council,
 * the secretariat and the mayor, each filed under its hour as `accessLog(store).record` files
 * it, with the hours' documents, each hour that is over with its count as the first look
 * keeps it. Counts what is there already, so a second call adds nothing.
 */
export async function seedAccessLog(stack: BenchStack, total: number, days: number) {
  const have = await stack.store.accessLog.countDocuments({ _id: { $regex: '^bench-read-' } });
  const readers = ['anne.chair', 'bo.member', 'cecilie.member', 'mayor', 'sara.secretariat'];
  const now = Date.now();
  const spacing = (days * day) / total;
  await inBatches(total - have, (from, to) =>
    stack.store.accessLog.collection.insertMany(
      Array.from({ length: to - from }, (_, k) => {
        const i = have + from + k;
        const at = new Date(now - i * spacing);
        return {
          _id: `bench-read-${i}`,
          at,
          day: filedUnder(at),
          userId: readers[i % readers.length],
          what: 'proposal',
          proposalId: seededProposalId(i % 10_000),
          via: 'pages',
          route: 'GET /proposals/:id',
        } as never;
      }),
    ),
  );
  const counts = new Map<string, number>();
  for (let i = 0; i < total; i++) {
    const filing = filedUnder(new Date(now - i * spacing));
    counts.set(filing, (counts.get(filing) ?? 0) + 1);
  }
  const thisHour = filedUnder(new Date());
  await stack.store.accessLogDays.bulkWrite(
    [...counts].map(([_id, count]) => ({
      updateOne: { filter: { _id }, update: { $setOnInsert: { _id, ...(_id < thisHour ? { total: count } : {}) } }, upsert: true },
    })),
  );
  await markChanged(stack.store, 'accessLogDays');
  await takeStock(stack.store, stack.store.accessLog, stack.store.accessLogDays);
}
