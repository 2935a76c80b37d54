import type { ProcurementView } from '../../domain/accessPolicy';
import type { ContractingState } from '../../domain/contract';
import { awardStatus, contractStatus, tenderStatus } from '../../domain/ocds';
import { cvrNumber, nameSlug } from '../../domain/organisation';
import type { Stage } from '../../domain/stages';

const procurement = (p: Partial<ProcurementView>): ProcurementView => ({
  round: 1,
  bids: [],
  recommendations: [],
  evaluations: [],
  complaints: [],
  earlierRounds: [],
  bidsSealed: false,
  scoresWithheld: false,
  ...p,
});
const tender = { title: 'HF', description: 'HF', documents: [], awardCriteria: [], estimatedValueOre: 1, deadline: '2027-01-01T00:00:00Z', preparedBy: 'sara' };
const award = (stands: boolean) => ({ supplier: 'Fonden Ny Start', priceOre: 1, by: 'sara', at: '2026-01-01T00:00:00Z', recommendation: 1, stands });
const contract = (signedAt?: string): NonNullable<ContractingState['contract']> => ({
  provider: 'Fonden Ny Start',
  investor: 'Den Sociale Kapitalfond',
  startDate: '2027-01-01',
  measurementMonths: [12],
  rateCard: [],
  totalCapOre: 1,
  payee: 'investor',
  proposedBy: 'sara',
  signatures: [],
  ...(signedAt ? { signedAt } : {}),
});

describe('the OCDS tender status over the case’s life', () => {
  it.each<[string, Stage, string, Partial<ProcurementView>]>([
    ['no procedure yet', 'Procurement', 'planning', {}],
    ['procedure decided', 'Procurement', 'planned', { procedure: 'euTender' }],
    ['tender prepared, not published', 'Procurement', 'planned', { procedure: 'euTender', tender }],
    ['bid window open', 'Procurement', 'active', { procedure: 'euTender', tender: { ...tender, publishedAt: '2026-01-01T00:00:00Z' } }],
    ['in standstill', 'Procurement', 'active', { procedure: 'euTender', tender: { ...tender, publishedAt: 'x', closedAt: 'y' }, award: award(false) }],
    ['award stands', 'Contracting', 'complete', { procedure: 'euTender', tender: { ...tender, publishedAt: 'x', closedAt: 'y' }, award: award(true) }],
    ['closed after its contract', 'Closed', 'complete', { procedure: 'euTender', award: award(true) }],
    ['withdrawn with the window open', 'Withdrawn', 'cancelled', { procedure: 'euTender', tender: { ...tender, publishedAt: 'x' } }],
    ['withdrawn before publication', 'Withdrawn', 'withdrawn', { procedure: 'euTender', tender }],
    ['stopped by an operator after publication', 'StoppedByOperator', 'cancelled', { procedure: 'euTender', tender: { ...tender, publishedAt: 'x' } }],
    ['withdrawn after the award stood', 'Withdrawn', 'complete', { procedure: 'euTender', award: award(true) }],
    ['cancelled after its bids', 'Cancelled', 'unsuccessful', { procedure: 'euTender', tender: { ...tender, publishedAt: 'x', closedAt: 'y' } }],
    ['cancelled before publication', 'Cancelled', 'cancelled', { procedure: 'euTender', tender }],
  ])('%s (%s): %s', (_what, stage, status, p) => {
    expect(tenderStatus(stage, procurement(p))).toBe(status);
  });
});

describe('the OCDS award and contract statuses', () => {
  it('an award is pending in its standstill, active once it stands, cancelled when the case ends before a signed contract', () => {
    expect(awardStatus('Procurement', award(false), undefined)).toBe('pending');
    expect(awardStatus('Contracting', award(true), contract())).toBe('active');
    expect(awardStatus('Withdrawn', award(true), contract())).toBe('cancelled');
    expect(awardStatus('Closed', award(true), contract('2027-01-01T00:00:00Z'))).toBe('active');
  });

  it('a contract is pending until signed, active while it runs, terminated when closed, cancelled if it ended unsigned', () => {
    expect(contractStatus('Contracting', contract())).toBe('pending');
    expect(contractStatus('Implementation', contract('2027-01-01T00:00:00Z'))).toBe('active');
    expect(contractStatus('Closed', contract('2027-01-01T00:00:00Z'))).toBe('terminated');
    expect(contractStatus('StoppedByOperator', contract('2027-01-01T00:00:00Z'))).toBe('terminated');
    expect(contractStatus('Withdrawn', contract())).toBe('cancelled');
  });
});

describe('organisation identifiers', () => {
  it('keeps Danish letters in a name’s id, so names that differ only in them differ', () => {
    expect(nameSlug('Ærø Bostøtte ApS')).toBe('ærø-bostøtte-aps');
    expect(nameSlug('Fonden Å-huset')).toBe('fonden-å-huset');
    expect(nameSlug('Aero Bostotte ApS')).not.toBe(nameSlug('Ærø Bostøtte ApS'));
    // A composed and a decomposed å are one letter.
    expect(nameSlug('A\u030Arhus')).toBe(nameSlug('\u00C5rhus'));
  });

  it('takes a CVR number of eight digits only', () => {
    expect(cvrNumber.safeParse('55133018').success).toBe(true);
    for (const bad of ['5513301', '551330189', '05133018', 'DK55133018', '5513 3018']) expect(cvrNumber.safeParse(bad).success).toBe(false);
  });
});
