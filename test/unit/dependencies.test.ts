import { outageOf } from '../../api/dependencies';
import { LockNotTaken } from '../../store/serialised';

describe('which dependency an error says is down', () => {
  it('takes a lock not had in time for the database (a write it failed left the lock), so the request is answered 503', () => {
    expect(outageOf(new LockNotTaken('listing:proposals'))).toBe('database');
  });

  it('takes no other error for an outage', () => {
    expect(outageOf(new Error('the lock listing:proposals was not had in time'))).toBeUndefined();
    expect(outageOf('down')).toBeUndefined();
  });
});
