import type { Role } from './people';

/** What a read of personal data is a read of, as the access log records it: who read what and when, never what they saw. */
export const readKinds = ['proposal', 'task', 'taskList', 'ledger', 'users', 'outbox', 'meeting', 'report', 'roleChanges', 'accessLog'] as const;
export type ReadKind = (typeof readKinds)[number];

/** Who may look in the access log: IT operations and the data protection officer (databeskyttelsesrådgiveren). */
export const accessLogReaders: Role[] = ['operator', 'dataProtectionOfficer'];
