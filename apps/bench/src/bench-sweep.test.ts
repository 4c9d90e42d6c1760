import { describe, expect, it } from 'vitest';
import { roundOrder, speedUpLines } from './bench-sweep.js';

describe('mtl-bench sweep rounds', () => {
  it('alternates the order of the process counts from one round to the next', () => {
    expect(roundOrder([1, 2], 1)).toEqual([1, 2]);
    expect(roundOrder([1, 2], 2)).toEqual([2, 1]);
    expect(roundOrder([1, 2, 4], 3)).toEqual([1, 2, 4]);
  });

  it('divides each run by the one-process run of its own round, reports the median and what trial slowdowns leave', () => {
    const runs = [
      { round: 1, processes: 1, trialsPerHour: 100, trialMs: 1000 },
      { round: 1, processes: 2, trialsPerHour: 170, trialMs: 1100 },
      { round: 2, processes: 2, trialsPerHour: 400, trialMs: 500 },
      { round: 2, processes: 1, trialsPerHour: 200, trialMs: 500 },
      { round: 3, processes: 1, trialsPerHour: 50, trialMs: 2000 },
      { round: 3, processes: 2, trialsPerHour: 90, trialMs: 2000 },
    ];
    expect(speedUpLines(runs)).toEqual([
      'speed-up with 2 trainer processes: median 1.80× over 3 round(s) (1.70×, 2.00×, 1.80×)',
      '  a trial took 1.10×, 1.00×, 1.00× as long as with 1 process, which leaves at most 1.82×, 2.00×, 2.00×; ' +
        'the pipeline kept 94 %, 100 %, 90 % of it',
    ]);
  });

  it('reports no speed-up without a one-process run to compare with', () => {
    expect(speedUpLines([{ round: 1, processes: 2, trialsPerHour: 90, trialMs: 1000 }])).toEqual([]);
  });
});
