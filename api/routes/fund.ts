import { Router } from 'express';
import { z } from 'zod';
import { ledger } from '../../store/ledger';
import type { Store } from '../../store';
import { entryKinds } from '../../domain/ledger';
import { actorOf } from '../auth';
import { notFound, parseBody } from '../problem';
import type { Config } from '../../config';
import { fundOutlook } from '../../store/outlook';
import { oreFieldsAsDkk } from '../views';
import { recordRead } from '../accessLog';

export const ledgerQuerySchema = z.strictObject({
  kind: z.enum(entryKinds).optional(),
  proposalId: z.string().max(100).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** The fund's economy: balances and the books behind them, in DKK. */
export function fundRoutes(config: Config, store: Store) {
  const router = Router();
  const books = ledger(store);

  router.get('/fund', async (req, res) => {
    actorOf(req);
    const { reservedByProposal, earmarkedByProposal, ...balances } = await books.balances();
    res.json(oreFieldsAsDkk({ ...balances, reservedByProposalOre: reservedByProposal, earmarkedByProposalOre: earmarkedByProposal }));
  });

  router.get('/fund/outlook', async (req, res) => {
    actorOf(req);
    const q = parseBody(z.strictObject({ with: z.string().min(1).max(100).optional() }), req.query);
    if (q.with && !(await store.proposals.exists({ _id: q.with }))) throw notFound('proposal', q.with);
    const outlook = await fundOutlook(config, store, q.with);
    res.json(oreFieldsAsDkk(outlook));
  });

  router.get('/fund/ledger', async (req, res) => {
    const actor = actorOf(req);
    const q = parseBody(ledgerQuerySchema, req.query);
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
  });

  return router;
}
