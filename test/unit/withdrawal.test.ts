import { stages } from '../../domain/stages';
import { withdrawalRefusal } from '../../domain/withdrawal';

describe('withdrawing a proposal', () => {
  it('is open until the contract is signed, closed after it and once the case has ended', () => {
    const answers = Object.fromEntries(stages.map((stage) => [stage, withdrawalRefusal({ stage })?.code ?? 'allowed']));
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
    expect(withdrawalRefusal({ stage: 'Rejected' })).toEqual({ code: 'alreadyClosed', stage: 'Rejected' });
  });

  it('is closed for a case on its way to a final stage: closing, or rejected by a majority of the council', () => {
    expect(withdrawalRefusal({ stage: 'MayoralApproval', closingAs: 'Refused' })).toEqual({ code: 'alreadyClosed', stage: 'Refused' });
    const round = (choices: ('approve' | 'reject')[]) => ({
      number: 1,
      decisionPaperVersion: 1,
      members: ['anne.chair', 'bo.member', 'cecilie.member'],
      chair: 'anne.chair',
      openedAt: '2027-01-01T10:00:00.000Z',
      ballots: choices.map((choice, i) => ({ kind: 'vote' as const, memberId: ['anne.chair', 'bo.member'][i], choice, at: '2027-01-02T10:00:00.000Z' })),
    });
    const inCouncil = (choices: ('approve' | 'reject')[]) => withdrawalRefusal({ stage: 'CouncilDecision', councilRound: 1, rounds: [round(choices)] });
    expect(inCouncil(['reject'])).toBeUndefined();
    expect(inCouncil(['reject', 'approve'])).toBeUndefined();
    expect(inCouncil(['reject', 'reject'])).toEqual({ code: 'alreadyClosed', stage: 'Rejected' });
    // A majority to approve leaves it open: the mayor has yet to decide.
    expect(inCouncil(['approve', 'approve'])).toBeUndefined();
    // With a member recused, the other two must agree.
    const recused = (choices: ('approve' | 'reject')[]) =>
      withdrawalRefusal({
        stage: 'CouncilDecision',
        councilRound: 1,
        rounds: [{ ...round([]), ballots: [{ kind: 'conflictOfInterest' as const, memberId: 'cecilie.member', at: '2027-01-02T09:00:00.000Z' }, ...round(choices).ballots] }],
      });
    expect(recused(['reject', 'approve'])).toBeUndefined();
    expect(recused(['reject', 'reject'])).toEqual({ code: 'alreadyClosed', stage: 'Rejected' });
  });

  it('is closed from the moment the contract is signed, before the case moves to implementation', () => {
    const contracting = (signers: string[], signedAt?: string) =>
      ({ offers: [], recommendations: [], contract: { signatures: signers.map((by) => ({ by, at: '2027-03-01T09:00:00.000Z' })), ...(signedAt ? { signedAt } : {}) } }) as never;
    expect(withdrawalRefusal({ stage: 'Contracting', contracting: contracting([]) })).toBeUndefined();
    expect(withdrawalRefusal({ stage: 'Contracting', contracting: contracting(['sara.secretariat']) })).toBeUndefined();
    // Both have signed: the fund's reservation of the cap is under way.
    expect(withdrawalRefusal({ stage: 'Contracting', contracting: contracting(['sara.secretariat', 'msb.head']) })).toEqual({ code: 'contractSigned' });
    expect(withdrawalRefusal({ stage: 'Contracting', contracting: contracting(['sara.secretariat', 'msb.head'], '2027-03-01T10:00:00.000Z') })).toEqual({ code: 'contractSigned' });
  });
});
