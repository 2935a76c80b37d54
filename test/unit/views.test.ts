import { oreFieldsAsDkk, taskInputView } from '../../api/views';
import { cooperationAgreementInput } from '../../domain/cooperationAgreement';

describe('what the API shows', () => {
  it('shows øre fields as DKK under their plain names, however deep', () => {
    expect(oreFieldsAsDkk({ capitalOre: 4_000_000_000, nested: [{ paidOre: 5 }], byDepartmentOre: { MSB: 150 }, count: 3 })).toEqual({
      capital: '40000000.00',
      nested: [{ paid: '0.05' }],
      byDepartment: { MSB: '1.50' },
      count: 3,
    });
  });

  it('shows agreed amounts per year as DKK again', () => {
    const decoded = cooperationAgreementInput.parse({
      savingsShare: { kind: 'amounts', perYear: [{ year: 2, amount: '1250000.5' }] },
      conditions: 'Efter revision',
    });
    expect(decoded.savingsShare).toEqual({ kind: 'amounts', perYear: [{ year: 2, amount: 125_000_050 }] });
    expect(taskInputView('cooperationAgreement', decoded)).toEqual({
      savingsShare: { kind: 'amounts', perYear: [{ year: 2, amount: '1250000.50' }] },
      conditions: 'Efter revision',
    });
  });
});
