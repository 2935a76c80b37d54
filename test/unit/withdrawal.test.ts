import { stages } from '../../domain/stages';
import { withdrawalRefusal } from '../../domain/withdrawal';

describe('withdrawing a proposal', () => {
  it('is open until the contract is signed, closed after it and once the case has ended', () => {
    const answers = Object.fromEntries(stages.map((stage) => [stage, withdrawalRefusal(stage)?.code ?? 'allowed']));
    expect(answers).toEqual({
      Motivation: 'allowed',
      CouncilDecision: 'allowed',
      MayoralApproval: 'allowed',
      CooperationAgreement: 'allowed',
      AwaitingProcurement: 'allowed',
      Procurement: 'allowed',
      Contracting: 'allowed',
      // A grant is withdrawn with its reservation released; a signed contract binds the fund.
      AwaitingGrant: 'allowed',
      GrantAgreement: 'allowed',
      GrantActive: 'allowed',
      Implementation: 'contractSigned',
      Closed: 'alreadyClosed',
      Rejected: 'alreadyClosed',
      Refused: 'alreadyClosed',
      Withdrawn: 'alreadyClosed',
      Cancelled: 'alreadyClosed',
      StoppedByOperator: 'alreadyClosed',
    });
  });

  it('names the stage a closed case ended in', () => {
    expect(withdrawalRefusal('Rejected')).toEqual({ code: 'alreadyClosed', stage: 'Rejected' });
  });
});
