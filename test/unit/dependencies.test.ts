import { ServiceError } from '@temporalio/client';
import { outageOf } from '../../api/dependencies';
import { LockNotTaken } from '../../store/serialised';

describe('which dependency an error says is down', () => {
  it('takes a lock not had in time for the database (a write it failed left the lock), so the request is answered 503', () => {
    expect(outageOf(new LockNotTaken('listing:proposals'))).toBe('database');
  });

  it("takes Temporal's answers by their gRPC status: unreachable or overloaded is an outage, a request it cannot take or a caller it does not let in is not", () => {
    const temporalSaid = (code: number) => new ServiceError('Temporal answered', { cause: Object.assign(new Error('grpc'), { code }) });
    expect(outageOf(temporalSaid(14))).toBe('temporal'); // UNAVAILABLE
    expect(outageOf(temporalSaid(8))).toBe('temporal'); // RESOURCE_EXHAUSTED
    expect(outageOf(temporalSaid(4))).toBe('workers'); // DEADLINE_EXCEEDED: no worker answered in time
    expect(outageOf(temporalSaid(9))).toBe('temporal'); // FAILED_PRECONDITION: a workflow whose task keeps failing, a namespace failing over
    // Search attributes never registered, an expired API key or certificate: no retry cures them, so not a 503 for ever.
    expect(outageOf(temporalSaid(3))).toBeUndefined(); // INVALID_ARGUMENT
    expect(outageOf(temporalSaid(7))).toBeUndefined(); // PERMISSION_DENIED
    expect(outageOf(temporalSaid(16))).toBeUndefined(); // UNAUTHENTICATED
  });

  it('takes no other error for an outage', () => {
    expect(outageOf(new Error('the lock listing:proposals was not had in time'))).toBeUndefined();
    expect(outageOf('down')).toBeUndefined();
  });
});
