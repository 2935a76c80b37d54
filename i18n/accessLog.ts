import type { ReadKind } from '../domain/accessLog';
import type { Lang } from './format';

/** The access log page's words, Danish and English (beside the other pages' words). */
const da = {
  nav: 'Adgangslog',
  title: 'Adgangslog: hvem læste hvad',
  intro:
    'Hver visning af et forslag, en opgave, fondens regnskab, porteføljen, brugerlisten, udbakken og et rådsmøde, og hver dekryptering af en sags Temporal-historik, registreres her: hvem, hvad og hvornår, aldrig indholdet. Loggen gemmes i den fastsatte periode og slettes derefter.',
  filter: 'Søg i loggen',
  user: 'Hvem',
  anyone: 'Alle',
  case: 'Sag',
  caseHint: 'Sagsnummer, fx SIF-2026-001',
  from: 'Fra og med dag',
  to: 'Til og med dag',
  show: 'Vis',
  kinds: {
    proposal: 'Forslag',
    task: 'Opgave',
    taskList: 'Andres opgaver',
    ledger: 'Fondens regnskab',
    users: 'Brugerlisten',
    outbox: 'Udbakken',
    meeting: 'Rådsmøde',
    report: 'Afrapporteringen',
    roleChanges: 'Rolleændringerne',
    accessLog: 'Adgangsloggen',
    history: 'Temporal-historik, dekrypteret',
    portfolio: 'Porteføljen',
  } satisfies Record<ReadKind, string>,
  via: { api: 'API', pages: 'Siderne', codec: 'Temporal (codec)' } as Record<string, string>,
  caption: (first: number, last: number, total: number) => `Nr. ${first}–${last} af ${total}, nyeste først`,
  none: 'Ingen visninger fundet.',
  at: 'Tidspunkt',
  who: 'Hvem',
  what: 'Hvad',
  through: 'Via',
  route: 'Adresse',
  pages: 'Sider',
  newer: 'Nyere',
  older: 'Ældre',
};
export type AccessLogWords = typeof da;

const en: AccessLogWords = {
  nav: 'Access log',
  title: 'Access log: who read what',
  intro:
    'Every view of a proposal, a task, the fund’s ledger, the portfolio, the user list, the outbox and a council meeting, and every decryption of a case’s Temporal history, is recorded here: who, what and when, never the content. The log is kept for the configured period and deleted after it.',
  filter: 'Search the log',
  user: 'Who',
  anyone: 'Anyone',
  case: 'Case',
  caseHint: 'Case number, e.g. SIF-2026-001',
  from: 'From day',
  to: 'To day (inclusive)',
  show: 'Show',
  kinds: {
    proposal: 'Proposal',
    task: 'Task',
    taskList: 'Others’ tasks',
    ledger: 'The fund’s ledger',
    users: 'The user list',
    outbox: 'The outbox',
    meeting: 'A council meeting',
    report: 'The annual report',
    roleChanges: 'The role changes',
    accessLog: 'The access log',
    history: 'Temporal history, decrypted',
    portfolio: 'The portfolio',
  },
  via: { api: 'API', pages: 'The pages', codec: 'Temporal (codec)' },
  caption: (first, last, total) => `No. ${first}–${last} of ${total}, newest first`,
  none: 'No views found.',
  at: 'When',
  who: 'Who',
  what: 'What',
  through: 'Via',
  route: 'Address',
  pages: 'Pages',
  newer: 'Newer',
  older: 'Older',
};

export function accessLogWords(lang: Lang): AccessLogWords {
  return lang === 'en' ? en : da;
}
