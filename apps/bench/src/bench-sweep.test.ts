import { describe, expect, it } from 'vitest';
import { layoutLines, parseLayouts, roundOrder, speedUpLines } from './bench-sweep.js';

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

  it('reads layouts as N processes or NxT (processes × threads), each once', () => {
    expect(parseLayouts('1,2,1x2')).toEqual([
      { processes: 1, threads: 1 },
      { processes: 2, threads: 1 },
      { processes: 1, threads: 2 },
    ]);
    expect(() => parseLayouts('1,1x1')).toThrow(/each layout once/);
    expect(() => parseLayouts('1x2x3')).toThrow(/NxT/);
  });

  it('compares N single-thread processes with each threaded layout on as many cores, round by round', () => {
    const runs = [
      { round: 1, processes: 1, threads: 1, trialsPerHour: 100, trialMs: 1000 },
      { round: 1, processes: 2, threads: 1, trialsPerHour: 180, trialMs: 1100 },
      { round: 1, processes: 1, threads: 2, trialsPerHour: 150, trialMs: 640 },
      { round: 2, processes: 1, threads: 2, trialsPerHour: 120, trialMs: 800 },
      { round: 2, processes: 2, threads: 1, trialsPerHour: 180, trialMs: 1100 },
      { round: 2, processes: 1, threads: 1, trialsPerHour: 100, trialMs: 1000 },
    ];
    expect(layoutLines(runs)).toEqual([
      '2 trainer processes against 1 trainer process × 2 threads: median 1.35× the trials/h over 2 round(s) ' +
        '(1.20×, 1.50×); a trial ran 1.56×, 1.25× as fast with 2 threads as with 1',
    ]);
    // The threaded runs stay out of the process speed-up.
    expect(speedUpLines(runs)[0]).toBe(
      'speed-up with 2 trainer processes: median 1.80× over 2 round(s) (1.80×, 1.80×)',
    );
  });
});
