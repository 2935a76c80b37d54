/**
 * The kinds of personal data the system holds, as the records of processing
 * (docs/records-of-processing.md, fortegnelse over behandlingsaktiviteter) describe
 * them. The database schemas mark each field that holds one (store/index.ts), and a
 * test holds the document and the marks to each other.
 */
export const personalDataKinds = [
  'userId', // who a staff member is in the system: the id that names them on every step
  'contact', // a staff member's name and e-mail address
  'roles', // what a staff member may do: roles, department, whether active
  'writtenText', // what people wrote in a case, and the documents made from it
  'counterparty', // names of grantees, bidders, investors, suppliers and complainants
  'accessRecord', // who read which personal data, and when
] as const;
export type PersonalDataKind = (typeof personalDataKinds)[number];
