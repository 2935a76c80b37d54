import { loadConfig } from '../../config';
import { annualReportActivities } from '../../activities/annualReport';
import type { AnnualReport } from '../../domain/annualReport';
import { openStore, type Store } from '../../store';
import { ledger } from '../../store/ledger';
import { testServers, uniqueName } from '../support/servers';
import { dkk } from '../support/units';

/** The annual report's figures read from the fund's books on the embedded database. */
describe("the annual report's fund at year end", () => {
  let store: Store;
  beforeAll(async () => {
    store = openStore(testServers().mongodbUri, uniqueName('report-figures'));
    await store.ready();
  });
  afterAll(async () => {
    await store?.conn.dropDatabase();
    await store?.close();
  });

  it('counts what is dated in the year, also an entry booked after New Year’s entries because its step was retried past midnight', async () => {
    const books = ledger(store);
    await books.open(dkk(40_000_000), '2025-01-01');
    const returned = (key: string, date: string, kroner: number) =>
      books.book({ key, kind: 'savingsReturned', amountOre: dkk(kroner), proposalId: 'SIF-2026-001', date, reason: 'Tilbageført besparelse', by: 'msb.head' });
    // The new year's return is booked first; the old year's last one after it, its step retried past midnight.
    await returned('new-year', '2027-01-02', 1_000_000);
    await returned('old-year', '2026-12-31', 500_000);

    const config = loadConfig({ AUTH_JWT_SECRET: 'report-figures' });
    await annualReportActivities(store, config).draftAnnualReport({
      year: 2026,
      version: 1,
      at: '2027-04-30T06:00:00.000Z',
      by: 'sara.secretariat',
      workflowId: 'annual-report-2026',
    });
    const report = (await store.reports.findById(2026).lean())!.report as AnnualReport;
    expect(report.paymentsOre.savingsReturned).toBe(dkk(500_000));
    expect(report.fundAtYearEnd).toMatchObject({ capitalOre: dkk(40_000_000), returnedOre: dkk(500_000), freeOre: dkk(40_500_000) });
  });
});
