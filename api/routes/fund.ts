import { pageNumber } from '../params';
import { caseFilter, typedText } from '../../domain/freeText';
import { z } from 'zod';
import { ledger } from '../../store/ledger';
import type { Store } from '../../store';
import { entryKinds } from '../../domain/ledger';
import { actorOf } from '../auth';
import { notFound } from '../problem';
import { route, type AnyRoute } from '../registry';
import { fundReply, ledgerReply, outlookReply } from '../replies/fund';
import type { Config } from '../../config';
import { fundOutlook } from '../../store/outlook';
import { oreFieldsAsDkk } from '../views';
import { recordRead } from '../accessLog';

export const ledgerQuerySchema = z.strictObject({
  kind: z.enum(entryKinds).optional(),
  proposalId: caseFilter().optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  page: pageNumber,
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

const outlookQuerySchema = z.strictObject({ with: typedText().min(1).max(100).optional() });

/** The fund's economy: balances and the books behind them, in DKK. */
export function fundRoutes(config: Config, store: Store): AnyRoute[] {
  const books = ledger(store);

  return [
    route({
      id: 'getFund',
      method: 'get',
      path: '/fund',
      summary: 'The fund: capital, reserved, paid, granted, returned, free (DKK)',
      replies: { 200: { description: 'the balances', schema: fundReply } },
      handle: async (req, res) => {
        actorOf(req);
        const { reservedByProposal, earmarkedByProposal, ...balances } = await books.balances();
        res.json(oreFieldsAsDkk({ ...balances, reservedByProposalOre: reservedByProposal, earmarkedByProposalOre: earmarkedByProposal }));
      },
    }),
    route({
      id: 'getFundOutlook',
      method: 'get',
      path: '/fund/outlook',
      summary: 'Year by year for at least ten years: payments, grants, savings returned, free balance, the year it runs dry; ?with=<proposal> adds a proposal under decision',
      query: outlookQuerySchema,
      replies: { 200: { description: 'the outlook without (and with) the proposal', schema: outlookReply } },
      errors: [404],
      handle: async (req, res, input) => {
        actorOf(req);
        const q = input.query();
        if (q.with && !(await store.proposals.exists({ _id: q.with }))) throw notFound('proposal', q.with);
        const outlook = await fundOutlook(config, store, q.with);
        res.json(oreFieldsAsDkk(outlook));
      },
    }),
    route({
      id: 'getLedger',
      method: 'get',
      path: '/fund/ledger',
      summary: 'The ledger, newest first, filtered and paged',
      query: ledgerQuerySchema,
      replies: { 200: { description: 'a page of entries', schema: ledgerReply } },
      errors: [422],
      handle: async (req, res, input) => {
        const actor = actorOf(req);
        const q = input.query();
        const [{ total, entries }] = await Promise.all([books.entries(q), recordRead(store, req, actor.userId, { what: 'ledger', proposalId: q.proposalId })]);
        res.json({
          page: q.page,
          pageSize: q.pageSize,
          total,
          items: entries.map((e) =>
            oreFieldsAsDkk({
              seq: e.seq,
              key: e._id,
              kind: e.kind,
              amountOre: e.amountOre,
              proposalId: e.proposalId ?? null,
              fromReservation: e.fromReservation,
              counterpart: e.counterpart ?? null,
              date: e.date.toISOString().slice(0, 10),
              reason: e.reason,
              by: e.by,
              freeAfterOre: e.balancesAfter.freeOre,
            }),
          ),
        });
      },
    }),
  ];
}
