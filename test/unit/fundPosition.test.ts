import { positionOf } from '../../store/fund';

/** What the council may still approve, beside approvals the ledger never earmarked. */
describe('the fund position a council decision sees', () => {
  const approved = (id: string, requestedOre: number) => ({ _id: id, content: { businessCase: { requestedFromFund: requestedOre } } });

  it('keeps free what an approval from before earmarks will still reserve', () => {
    const position = positionOf({ capitalOre: 40_000_000_00, freeOre: 30_000_000_00 }, [approved('SIF-2020-0001', 5_000_000_00)]);
    expect(position).toEqual({ capitalOre: 40_000_000_00, freeOre: 30_000_000_00, committedOre: 5_000_000_00, availableOre: 25_000_000_00 });
  });

  it('counts nothing for an approval whose earmark or reservation was given back while its stage had not yet moved on', () => {
    const balances = {
      capitalOre: 40_000_000_00,
      freeOre: 30_000_000_00,
      earmarkedOre: 0,
      earmarkedByProposal: { 'SIF-2026-0001': 0, 'SIF-2026-0002': 0 },
      reservedByProposal: { 'SIF-2026-0002': 0 },
    };
    const position = positionOf(balances, [approved('SIF-2026-0001', 5_000_000_00), approved('SIF-2026-0002', 2_000_000_00)]);
    expect(position).toMatchObject({ committedOre: 0, availableOre: 30_000_000_00 });
  });
});
