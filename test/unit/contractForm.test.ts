import type { Request } from 'express';
import { contractingForms } from '../../api/pages/contractingForms';
import type { StepContext } from '../../api/pages/stepForm';
import type { LifecycleState } from '../../domain/lifecycleState';

/** The contract form starts from terms the workflow takes: paid to the investor, the cap within the chosen offer's repayment cap. */
describe('the contract form', () => {
  const drawn = (repaymentCapOre?: number) => {
    const state = {
      procurement: { award: { priceOre: 2_200_000_000 } },
      contracting: {
        offers: [{ id: 'offer-1', investor: 'Nordic Impact Invest', repaymentCapOre }],
        recommendations: [{ number: 1, offerId: 'offer-1', council: { result: 'approved' } }],
      },
    } as unknown as LifecycleState;
    const html = String(
      contractingForms.proposeContract.render({
        req: {} as Request,
        lang: 'da',
        state,
        proposal: { outcomes: [{ metric: 'Andel i egen bolig' }] },
        errors: {},
        action: '/x',
      } as unknown as StepContext),
    );
    return /name="proposeContract\.totalCap" type="text" value="([^"]*)"/.exec(html)?.[1];
  };

  it('proposes the award price as the cap, or the repayment cap of the offer the council chose where that is lower', () => {
    expect(drawn()).toBe('22000000,00');
    expect(drawn(1_800_000_000)).toBe('18000000,00');
  });
});
