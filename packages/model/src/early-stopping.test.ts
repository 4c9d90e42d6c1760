import { describe, expect, it } from 'vitest';
import { EarlyStopping } from './early-stopping.js';

describe('EarlyStopping', () => {
  it('stops after `patience` epochs without an improvement larger than minDelta', () => {
    const stopping = new EarlyStopping({ patience: 2, minDelta: 0.1, restoreBestWeights: true });
    expect(stopping.update(1, 1.0)).toEqual({ improved: true, stop: false });
    expect(stopping.update(2, 0.95)).toEqual({ improved: false, stop: false }); // within minDelta
    expect(stopping.update(3, 0.8)).toEqual({ improved: true, stop: false });
    expect(stopping.update(4, 0.8)).toEqual({ improved: false, stop: false });
    expect(stopping.update(5, Number.NaN)).toEqual({ improved: false, stop: true });
    expect(stopping.state).toEqual({ best: 0.8, bestEpoch: 3, wait: 2 });
  });

  it('continues from a saved state', () => {
    const stopping = new EarlyStopping(
      { patience: 3, minDelta: 0, restoreBestWeights: true },
      { best: 0.5, bestEpoch: 4, wait: 2 },
    );
    expect(stopping.update(7, 0.6)).toEqual({ improved: false, stop: true });
  });
});
