import { describe, expect, it } from 'vitest';
import { failureCode, failureReason, PayloadError, SweepCancelledError } from './errors.js';

describe('failure reasons', () => {
  it('carry the error name through BullMQ, and give back its stable code', () => {
    const stopped = new SweepCancelledError('sw', '; stopped after epoch 3');
    expect(stopped.code).toBe('ERR_SWEEP_CANCELLED');
    const reason = failureReason(stopped);
    expect(reason).toBe('SweepCancelledError: sweep sw was cancelled; stopped after epoch 3');
    expect(failureCode(reason)).toBe(SweepCancelledError.code);
  });

  it('give no code for other failures, text that merely mentions a cancel, or none', () => {
    expect(failureCode(failureReason(new PayloadError('job 1', 'config', 'bad')))).toBeUndefined();
    expect(failureCode('TrialConfigError: the SweepCancelledError field is unknown')).toBeUndefined();
    expect(failureCode('SweepCancelledErrors: no')).toBeUndefined();
    expect(failureCode(undefined)).toBeUndefined();
  });
});
