import type { Role } from './people';

/** What a read of personal data is a read of, as the access log records it: who read what and when, never what they saw. */
export const readKinds = ['proposal', 'task', 'taskList', 'ledger', 'users', 'outbox', 'meeting', 'report', 'roleChanges', 'accessLog', 'history', 'portfolio'] as const;
export type ReadKind = (typeof readKinds)[number];

/** Where a read came through: the API, the pages, or the codec endpoint that decrypts workflow histories for the Temporal UI and CLI. */
export const readChannels = ['api', 'pages', 'codec'] as const;
export type ReadChannel = (typeof readChannels)[number];

/** Who may look in the access log: IT operations and the data protection officer (databeskyttelsesrådgiveren). */
export const accessLogReaders: Role[] = ['operator', 'dataProtectionOfficer'];
