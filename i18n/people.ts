export const da = {
  roleChanges: {
    nav: 'Rolleændringer',
    title: 'Ændringer af roller',
    intro:
      'Hver ændring af en persons roller, afdeling, eller om personen er aktiv, og af en e-mailadresse (uden adresserne): hvem der gjorde det, hvornår, og hvordan det var før og efter. Kun administratoren (IT og HR) ændrer roller, og aldrig sine egne.',
    caption: (first: number, last: number, total: number) => `Nr. ${first}–${last} af ${total}, nyeste først`,
    none: 'Ingen ændringer endnu.',
    at: 'Tidspunkt',
    person: 'Person',
    by: 'Ændret af',
    before: 'Før',
    after: 'Efter',
    created: 'Oprettet',
    configuration: 'Konfigurationen (people.json)',
    noRoles: 'ingen roller',
    inactive: 'ikke aktiv',
    emailChanged: 'e-mailadresse ændret',
    pages: 'Sider',
    newer: 'Nyere',
    older: 'Ældre',
  },
};

export const en: typeof da = {
  roleChanges: {
    nav: 'Role changes',
    title: 'Changes of roles',
    intro:
      "Every change of a person's roles, department, or whether they are active, and of an e-mail address (without the addresses): who made it, when, and how it was before and after. Only the administrator (IT and HR) changes roles, and never their own.",
    caption: (first, last, total) => `${first}–${last} of ${total}, newest first`,
    none: 'No changes yet.',
    at: 'When',
    person: 'Person',
    by: 'Changed by',
    before: 'Before',
    after: 'After',
    created: 'Created',
    configuration: 'The configuration (people.json)',
    noRoles: 'no roles',
    inactive: 'not active',
    emailChanged: 'e-mail address changed',
    pages: 'Pages',
    newer: 'Newer',
    older: 'Older',
  },
};
