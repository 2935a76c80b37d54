import type { ProposalInput } from '../domain/proposal';

// The real cases as bodies: the API's docs show them, and the tests send them.

/** Modelled on Aarhus' Housing First case for young homeless people: 23 million DKK, measured over four years. */
export const housingFirst: ProposalInput = {
  title: 'Housing First for unge hjemløse',
  summary: 'Egen bolig og intensiv bostøtte (ICM) til unge hjemløse 18-24 år, så de bliver i boligen og kommer i uddannelse eller job.',
  welfareArea: 'homelessness',
  fundingTrack: 'outcomeBased',
  responsibleDepartment: 'MSB',
  targetGroup: {
    description: 'Unge hjemløse 18-24 år med komplekse støttebehov',
    estimatedSize: 120,
    inclusionCriteria: ['18-24 år', 'registreret hjemløs i mindst 3 måneder', 'bopæl i Aarhus Kommune'],
  },
  outcomes: [
    {
      metric: 'Andel i egen bolig',
      unit: '%',
      baseline: 20,
      target: 75,
      howMeasured: 'registerdata fra boliganvisningen',
      measuredAtMonths: [12, 18, 24, 36, 48],
    },
    {
      metric: 'Andel i uddannelse eller job',
      unit: '%',
      baseline: 10,
      target: 40,
      howMeasured: 'DREAM-registeret',
      measuredAtMonths: [24, 36, 48],
    },
  ],
  motivation: {
    rationale: 'Housing First har i danske og internationale forsøg vist høj boligfastholdelse og færre dyre akutindsatser.',
    evidence: [
      { kind: 'research', citation: 'Benjaminsen, L. (2016). Hjemløshedsstrategiens resultater. VIVE.', url: 'https://www.vive.dk/' },
      { kind: 'evaluation', citation: 'Evaluering af Housing First i Danmark, Socialstyrelsen 2013' },
    ],
  },
  businessCase: {
    totalCost: '26500000.00',
    requestedFromFund: '23000000.00',
    expectedSavings: [
      { department: 'MSB', year: 1, amount: '2500000.00' },
      { department: 'MSB', year: 2, amount: '6000000.00' },
      { department: 'MSO', year: 3, amount: '4200000.50' },
    ],
  },
};

/** A draft with only what a first note needs. */
export const earlyDraft: ProposalInput = {
  title: 'Tidlig indsats for unge med angst',
  summary: 'Gruppeforløb i skolen for unge med begyndende angst.',
  welfareArea: 'mentalHealth',
  fundingTrack: 'directFinancing',
  responsibleDepartment: 'MBU',
};

/** A small innovative initiative on the direct-financing track. */
export const youthAnxietyGroups: ProposalInput = {
  ...earlyDraft,
  targetGroup: { description: 'Elever i 7.-9. klasse med begyndende angst', estimatedSize: 200, inclusionCriteria: ['henvist af skolens trivselsteam'] },
  outcomes: [{ metric: 'Fravær', unit: 'dage pr. elev pr. år', baseline: 18, target: 10, howMeasured: 'skolernes fraværsregistrering', measuredAtMonths: [12] }],
  motivation: {
    rationale: 'Tidlige gruppeforløb (Cool Kids) reducerer angst og fravær.',
    evidence: [{ kind: 'research', citation: 'Arendt m.fl. (2016), Cool Kids i skolen, Aarhus Universitet' }],
  },
  businessCase: {
    totalCost: '1500000',
    requestedFromFund: '1200000',
    expectedSavings: [{ department: 'MBU', year: 2, amount: '400000' }],
    whyNotInExistingBudget: 'Skolernes budgetter dækker undervisning, ikke behandling; PPR har ventelister og ingen midler til gruppeforløb.',
  },
};

/** Each body the docs show, by the operation that takes it: the real cases, Housing First and a direct grant. */
export const proposalExamples = {
  housingFirst: { summary: 'Housing First for young homeless people (outcome-based, 23 million DKK)', value: housingFirst },
  directGrant: { summary: 'Group courses for young people with anxiety (a direct grant, 1.2 million DKK)', value: youthAnxietyGroups },
  earlyDraft: { summary: 'A first draft: only what identifies it', value: earlyDraft },
};

export const withdrawalExamples = { withdraw: { summary: 'Withdrawn by the secretariat', value: { reason: 'Afdelingen finansierer indsatsen inden for egen ramme' } } };

export const procurementExamples = {
  decideProcedure: {
    // Judged at 23 million (the larger of the estimate and the amount approved), above the light regime's threshold:
    // the thresholds propose an EU tender, and a direct award stands only on a legal ground the council approves.
    summary: 'Housing First: a direct award against the proposed EU tender, on the legal ground that only one provider can deliver',
    value: {
      action: 'decideProcedure',
      serviceKind: 'social',
      estimatedValue: '23000000',
      procedure: 'directAward',
      rationale: 'Kun én økonomisk aktør kan levere ydelsen: det validerede forløb er leverandørens eneret',
    },
  },
  recommendDirectAward: {
    summary: 'Housing First: the one provider with a validated programme, recommended to the council',
    value: {
      action: 'recommendDirectAward',
      supplier: 'Boligsocialt Netværk',
      price: '22000000',
      reasons: 'Leverandøren driver allerede indsatsen i kommunen',
      rationale: 'Eneste leverandør med et valideret forløb',
    },
  },
};

export const contractingExamples = {
  registerInvestorOffer: {
    summary: "Housing First: an investor's offer",
    value: { action: 'registerInvestorOffer', investor: 'Den Sociale Kapitalfond', amountCommitted: '2900000', conditions: 'Tilbagebetaling af resultatbetalinger' },
  },
  recommendInvestor: {
    summary: 'Housing First: the one offer, recommended to the council',
    value: { action: 'recommendInvestor', offerId: 'offer-1', comparison: 'Ét tilbud modtaget; vilkårene svarer til fondens', rationale: 'Eneste tilbud' },
  },
  proposeContract: {
    summary: 'Housing First: the outcome contract, paid per citizen housed beyond the 20 % who would be anyway',
    value: {
      action: 'proposeContract',
      startDate: '2027-01-01',
      measurementMonths: [12, 24],
      // 120 young people: 24 (the baseline's 20 %) would find a home anyway, 90 are the target's 75 %; the fund pays for the 66 between.
      rateCard: [{ metric: 'Andel i egen bolig', unit: 'borgere i egen bolig ud over udgangspunktet', pricePerUnit: '20000', targetUnits: 66, maxPayment: '1320000' }],
      totalCap: '2900000',
      payee: 'investor',
    },
  },
};

export const taskExamples = {
  councilVote: { summary: "A council member's vote", value: { decision: 'approve', comment: 'Et godt forslag' } },
  councilAttestation: { summary: "The chair's attestation", value: { attested: true, withinMunicipalLaw: true, withinCityCouncilPriorities: true } },
  mayoralApproval: { summary: "The mayor's approval", value: { decision: 'approve' } },
  cooperationAgreement: {
    summary: "Housing First: the department's agreement, 30 % of the savings to the fund",
    value: { savingsShare: { kind: 'percentage', basisPoints: 3000 }, conditions: 'Efter revision' },
  },
  grantAgreement: {
    summary: 'A direct grant: the agreement, paid in two tranches',
    value: {
      grantee: 'Foreningen Ung i Aarhus',
      amount: '1200000.00',
      tranches: [
        { dueDate: '2027-02-01', amount: '700000.00', condition: 'Forløbene er startet på tre skoler' },
        { dueDate: '2028-06-01', amount: '500000.00', condition: 'Midtvejsevaluering er modtaget' },
      ],
      conditions: 'Tilskuddet bruges til gruppeforløb; ubrugte midler betales tilbage.',
    },
  },
  trancheConfirmation: { summary: "A direct grant: a tranche's condition met", value: { confirmed: true, note: 'Besøgt skolerne' } },
  reportApproval: { summary: "A council member approves the year's report", value: { decision: 'approve' } },
};
