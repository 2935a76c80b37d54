import { Router, type Response } from 'express';
import { z } from 'zod';
import { portfolioReaders } from '../../domain/accessPolicy';
import type { PortfolioRow } from '../../domain/portfolio';
import type { Store } from '../../store';
import { portfolio } from '../../store/results';
import { requireRole } from '../auth';
import { dict, langs, type Lang } from '../pages/i18n';
import { portfolioCsv } from '../pages/portfolioCsv';
import { parseBody } from '../problem';
import { portfolioRowView } from '../resultsView';

/** Who reads the portfolio and its export: those who run the fund and decide on it. */

export const portfolioCsvQuerySchema = z.strictObject({ lang: z.enum(langs).default('da') });

/** Every contract and grant with its results: as JSON, or as CSV for a spreadsheet. */
export function portfolioRoutes(store: Store) {
  const router = Router();

  router.get('/portfolio', async (req, res) => {
    requireRole(req, ...portfolioReaders);
    parseBody(z.strictObject({}), req.query);
    const rows = await portfolio(store);
    res.json({ generatedAt: new Date().toISOString(), items: rows.map(portfolioRowView) });
  });

  router.get('/portfolio.csv', async (req, res) => {
    requireRole(req, ...portfolioReaders);
    const { lang } = parseBody(portfolioCsvQuerySchema, req.query);
    sendPortfolioCsv(res, lang, await portfolio(store));
  });

  return router;
}

/** The export as a download named by the day, e.g. `portefoelje-2026-05-01.csv`. */
export function sendPortfolioCsv(res: Response, lang: Lang, rows: PortfolioRow[]) {
  const file = `${dict(lang).portfolio.file}-${new Date().toISOString().slice(0, 10)}.csv`;
  res.type('text/csv; charset=utf-8').attachment(file).send(portfolioCsv(lang, rows));
}
