import mongoose from 'mongoose';
import { describeError } from '../../domain/logText';
import { logWithoutPersonalData } from '../../worker/runtimeLog';

/** A driver's error as it reaches a log: the documents it was writing hang on it. */
function failedWrite() {
  const err = new Error('E11000 duplicate key error collection: sif.outbox index: _id_ dup key: { _id: "SIF-2026-001.taskCreated.bo.member" }');
  err.name = 'MongoBulkWriteError';
  return Object.assign(err, {
    code: 11000,
    writeErrors: [{ op: { to: 'bo.lind@example.dk', toName: 'Bo Lind', body: 'Housing First for unge hjemløse: stem senest fredag' } }],
  });
}

describe('errors as the logs hold them', () => {
  it("keep an error's kind, code, message and frames, and none of the documents on it", () => {
    const text = describeError(failedWrite());
    expect(text).toMatch(/^MongoBulkWriteError \[11000\]: E11000 duplicate key error .*"SIF-2026-001\.taskCreated\.bo\.member/);
    expect(text).toMatch(/\n\s+at /);
    for (const personal of ['bo.lind@example.dk', 'Bo Lind', 'Housing First']) expect(text).not.toContain(personal);
  });

  it('mask e-mail addresses, CPR-like numbers and the values a validator quotes', () => {
    const mail = new Error("Can't send mail - all recipients were rejected: 550 5.1.1 <anne.holm@example.dk>: Recipient address rejected");
    expect(describeError(mail)).toContain('550 5.1.1 <<e-mail>>: Recipient address rejected');
    const cast = new mongoose.Error.CastError('Number', 'Sara Friis', 'amountOre');
    expect(describeError(cast)).toContain('Cast to Number failed for value "…"');
    expect(describeError(cast)).not.toContain('Sara Friis');
    expect(describeError('no proposal 010190-1234')).toBe('no proposal <number>');
    expect(describeError('no proposal 010190 1234 or 010190/1234')).toBe('no proposal <number> or <number>');
  });

  it('follow the causes', () => {
    const text = describeError(new Error('the outbox could not be read', { cause: failedWrite() }));
    expect(text).toContain('caused by MongoBulkWriteError [11000]');
    expect(text).not.toContain('bo.lind@example.dk');
  });

  it("describe the errors in the Temporal SDK's log lines the same way", () => {
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    try {
      logWithoutPersonalData({
        level: 'WARN',
        message: 'Activity failed',
        timestampNanos: 1_700_000_000_000_000_000n,
        meta: { error: failedWrite(), workflowId: 'proposal-SIF-2026-001' },
      });
    } finally {
      spy.mockRestore();
    }
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^2023-11-14T22:13:20\.000Z \[WARN\] Activity failed .*workflowId: 'proposal-SIF-2026-001'/s);
    expect(written[0]).toContain('MongoBulkWriteError [11000]');
    expect(written[0]).not.toContain('bo.lind@example.dk');
  });
});
