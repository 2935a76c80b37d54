import { contractingForms } from '../../api/pages/contractingForms';
import { waitingFor } from '../../api/pages/procurementView';
import type { ContractingState } from '../../domain/contract';
import type { LifecycleState } from '../../domain/lifecycleState';

const at = '2027-01-01T10:00:00.000Z';
const approvedInvestor: ContractingState = {
  offers: [{ id: 'offer-1', investor: 'Den Sociale Kapitalfond', amountCommittedOre: 100, conditions: 'Afdrag', by: 'sara.secretariat', at }],
  recommendations: [
    {
      number: 1,
      offerId: 'offer-1',
      comparison: 'Eneste',
      rationale: 'Dækker',
      by: 'sara.secretariat',
      at,
      council: { members: [], openedAt: at, answers: [], result: 'approved', decidedAt: at },
    },
  ],
};
const inContracting = (refusedByFund?: number) => ({ stage: 'Contracting', contracting: { ...approvedInvestor, refusedByFund } }) as unknown as LifecycleState;

describe('the procurement page once the fund has refused as many contracts as it takes', () => {
  it('offers no new contract, and says the proposal can be withdrawn', () => {
    expect(contractingForms.proposeContract.offered(inContracting(19))).toBe(true);
    expect(waitingFor('da', inContracting(19), (id) => id)).toBeUndefined();
    expect(contractingForms.proposeContract.offered(inContracting(20))).toBe(false);
    expect(waitingFor('en', inContracting(20), (id) => id)).toBe('The fund has refused 20 contracts for want of free capital and takes no more. The proposal can be withdrawn.');
  });
});
