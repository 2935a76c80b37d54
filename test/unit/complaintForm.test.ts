import { procurementForms } from '../../api/pages/procurementForms';
import type { LifecycleState } from '../../domain/lifecycleState';

const at = '2027-01-01T10:00:00.000Z';
const hour = 3_600_000;
/** An award ending its standstill `endsInMs` from now (standing, or held by one complaint still open). */
const awarded = (endsInMs: number, stands = false) =>
  ({
    stage: 'Procurement',
    procurement: {
      round: 1,
      procedure: 'euTender',
      bids: [],
      evaluations: [],
      recommendations: [],
      earlierRounds: [],
      complaints: [{ number: 1, complainant: 'Fonden Ny Start', summary: 'Prisen', by: 'sara.secretariat', at }],
      award: {
        bidId: 'bid-1.1',
        supplier: 'Bostøtte Aarhus A/S',
        priceOre: 100,
        by: 'sara.secretariat',
        at,
        recommendation: 1,
        standstillEndsAt: new Date(Date.now() + endsInMs).toISOString(),
        stands,
      },
    },
  }) as unknown as LifecycleState;

describe('the complaint form of an award', () => {
  it('is offered until the award stands: past the end, while a complaint holds it, one lodged in time may still be recorded', () => {
    expect(procurementForms.recordComplaint.offered(awarded(hour))).toBe(true);
    expect(procurementForms.recordComplaint.offered(awarded(-hour))).toBe(true);
    expect(procurementForms.recordComplaint.offered(awarded(-hour, true))).toBe(false);
    // The open complaint is still answered after the end.
    expect(procurementForms.resolveComplaint.offered(awarded(-hour))).toBe(true);
  });
});
