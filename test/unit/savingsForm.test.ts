import { savingsConfirmation } from '../../api/pages/taskForms/outcome';
import type { FormContext } from '../../api/pages/taskForms/form';
import type { LifecycleState } from '../../domain/lifecycleState';

/** The department's savings form says what is owed at this point, as the workflow reckons it (domain/payout.ts, savingsShareThrough). */
describe('the savings confirmation form', () => {
  const state = (returnedOre: number) =>
    ({
      cooperationAgreement: {
        savingsShare: { kind: 'amounts', perYear: [1, 2, 3].map((year) => ({ year, amount: [20_000_000, 30_000_000, 50_000_000][year - 1] })) },
        conditions: 'Efter revision',
      },
      implementation: { measurements: [{ months: 36, dueAt: '2030-01-01' }], paidOre: 0, paidPerMetricOre: {}, reservedOre: 0, returnedOre, returnedPerYearOre: {} },
    }) as unknown as LifecycleState;
  const shown = (returnedOre: number) => String(savingsConfirmation.context!({ lang: 'da', state: state(returnedOre) } as FormContext));

  it('owes every agreed yearly amount up to the point, less what earlier points returned', () => {
    expect(shown(0)).toContain('1.000.000,00 kr.: de aftalte beløb for år 1–3');
    expect(shown(45_000_000)).toContain('550.000,00 kr.: de aftalte beløb for år 1–3');
  });
});
