import type { Request } from 'express';
import { investorDecision } from '../../api/pages/taskForms/selection';
import type { FormContext } from '../../api/pages/taskForms/form';
import type { LifecycleState } from '../../domain/lifecycleState';
import type { Role } from '../../domain/people';

/**
 * A council member's investor decision shows every offer beside the recommendation, as the
 * access policy lets a member read them; a holder of the task who has left the council since
 * (the task not yet moved) reads the offers no more than the API would show them.
 */
describe("the investor decision's task page", () => {
  const state = {
    contracting: {
      offers: [
        { id: 'offer-1', investor: 'Den Sociale Kapitalfond', amountCommittedOre: 290_000_000, conditions: 'Tilbagebetaling af resultatbetalinger' },
        { id: 'offer-2', investor: 'Nordic Impact Invest', amountCommittedOre: 250_000_000, conditions: 'Afkast 7 %' },
      ],
      recommendations: [{ number: 1, offerId: 'offer-1', comparison: 'Den første binder mest', rationale: 'Højeste tilsagn', by: 'sara.secretariat', at: '2027-01-01T00:00:00Z' }],
    },
  } as unknown as LifecycleState;
  const contextFor = (roles: Role[]) =>
    String(
      investorDecision.context!({
        req: {} as Request,
        lang: 'da',
        reader: { userId: 'bo.member', roles },
        values: {},
        errors: {},
        action: '/x',
        state,
        nameOf: (id: string) => id,
      } as unknown as FormContext),
    );

  it('shows a member the offers and the comparison, and a former member nothing of them', () => {
    const member = contextFor(['councilMember']);
    expect(member).toContain('Nordic Impact Invest');
    expect(member).toContain('Den første binder mest');
    const former = contextFor(['department']);
    expect(former).not.toContain('Nordic Impact Invest');
    expect(former).not.toContain('Den første binder mest');
  });
});
