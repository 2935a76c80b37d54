import { composeMessage, type MessageFacts } from '../../activities/messages';

const refused = (event: MessageFacts['event'], reason?: MessageFacts['reason']): MessageFacts => ({
  event,
  title: 'Housing First i Aarhus',
  link: 'http://localhost:3000/proposals/SIF-2026-001',
  reason,
});
const exhausted = { code: 'fundRefusalsExhausted' as const, refusals: 20 };

describe("the fund's refusal of a grant or a contract, as mailed", () => {
  it('asks for a new one, until the last the fund takes, which says the proposal can be withdrawn', () => {
    expect(composeMessage(refused('grantRefusedByFund')).body).toContain('Fastlæg et nyt tilsagn.');
    const lastGrant = composeMessage(refused('grantRefusedByFund', exhausted)).body;
    expect(lastGrant).toContain('Fonden har nu afvist 20 tilsagn');
    expect(lastGrant).not.toContain('Fastlæg et nyt tilsagn');

    expect(composeMessage(refused('contractRefusedByFund'), 'en').body).toContain('Propose a new contract.');
    const lastContract = composeMessage(refused('contractRefusedByFund', exhausted), 'en').body;
    expect(lastContract).toContain('refused 20 contracts for this proposal and takes no more; the proposal can be withdrawn');
    expect(lastContract).not.toContain('Propose a new contract');
  });
});
