import type { LifecycleState } from '../domain/lifecycleState';
import type { StageContext } from './stageContext';

/**
 * What a withdrawn proposal still had reserved goes back to free capital: a grant's
 * reservation, or a contract's where a withdrawal was taken while its signing was being
 * booked (histories from before a contract signed by both refused it; they replay this).
 */
export async function releaseReservations(state: LifecycleState, book: StageContext['book'], by: string) {
  const grant = state.grant;
  if (grant && grant.reservedOre > 0) {
    await book('grant.release-on-withdrawal', 'release', grant.reservedOre, 'Tilsagn trukket tilbage', by, grant.grantee);
    for (const t of grant.tranches) if (t.status === 'scheduled' || t.status === 'due') t.status = 'released';
    grant.reservedOre = 0;
  }
  const contract = state.contracting?.contract;
  if (contract?.reservedOre) {
    await book('contract.release-on-withdrawal', 'release', contract.reservedOre, 'Kontrakt trukket tilbage', by, contract.provider);
    contract.reservedOre = 0;
  }
}
