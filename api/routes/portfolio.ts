import type { Request, Response } from 'express';
import { z } from 'zod';
import { portfolioReaders } from '../../domain/accessPolicy';
import type { PortfolioRow } from '../../domain/portfolio';
import type { Store } from '../../store';
import { portfolio } from '../../store/results';
import { requireRole } from '../auth';
import { recordRead } from '../accessLog';
import { dict, langs, type Lang } from '../../i18n';
import { portfolioCsv } from '../pages/portfolioCsv';
import { named, route, type AnyRoute } from '../registry';
import { portfolioRowView, portfolioSchema } from '../resultsView';

export const portfolioCsvQuerySchema = z.strictObject({ lang: z.enum(langs).default('da') });

/** The portfolio, its read on the access log beside it: it names every provider and grantee, and a sole trader is a person. */
export async function readPortfolio(store: Store, req: Request, userId: string): Promise<PortfolioRow[]> {
  const [rows] = await Promise.all([portfolio(store), recordRead(store, req, userId, { what: 'portfolio' })]);
  return rows;
}

/** Every contract and grant with its results: as JSON, or as CSV for a spreadsheet. */
export function portfolioRoutes(store: Store): AnyRoute[] {
  return [
    route({
      id: 'getPortfolio',
      method: 'get',
      path: '/portfolio',
      summary:
        'Every contract and grant the fund has reserved money for: stage, effect so far against the targets, paid against the cap, savings returned, what comes due next; next due first (secretariat, council, mayor)',
      replies: { 200: { description: 'the portfolio', schema: named('Portfolio', portfolioSchema) } },
      errors: [403],
      handle: async (req, res) => {
        const actor = requireRole(req, ...portfolioReaders);
        const rows = await readPortfolio(store, req, actor.userId);
        res.json({ generatedAt: new Date().toISOString(), items: rows.map(portfolioRowView) });
      },
    }),
    route({
      id: 'getPortfolioCsv',
      method: 'get',
      path: '/portfolio.csv',
      summary:
        "The portfolio as CSV: UTF-8 with BOM, CRLF, a header row; Danish (default) with ';' and decimal comma, English with ',' and decimal point (secretariat, council, mayor)",
      query: portfolioCsvQuerySchema,
      replies: { 200: { description: 'the CSV file', type: 'text/csv', schema: z.string() } },
      errors: [403],
      handle: async (req, res, input) => {
        const actor = requireRole(req, ...portfolioReaders);
        const { lang } = input.query();
        const rows = await readPortfolio(store, req, actor.userId);
        sendPortfolioCsv(res, lang, rows);
      },
    }),
  ];
}

/** The export as a download named by the day, e.g. `portefoelje-2026-05-01.csv`. */
export function sendPortfolioCsv(res: Response, lang: Lang, rows: PortfolioRow[]) {
  const file = `${dict(lang).portfolio.file}-${new Date().toISOString().slice(0, 10)}.csv`;
  res.type('text/csv; charset=utf-8').attachment(file).send(portfolioCsv(lang, rows));
}
