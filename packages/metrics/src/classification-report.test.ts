import { describe, expect, it } from 'vitest';
import { classificationReport, reportFromConfusion } from './classification-report.js';
import { MetricsInputError } from './errors.js';

// Hand-computed, and the same as scikit-learn 1.2.1 `classification_report(..., labels=[0, 1, 2, 3],
// zero_division=0 or 1)` gives. Labels a, b, c, d; d never occurs (no true samples, no predictions).
//   true: a a a b b c c c      confusion (rows true): a [2 1 0 0]  b [0 1 1 0]  c [1 0 2 0]  d [0 0 0 0]
//   pred: a b a b c c c a      predicted per class:  a 3, b 2, c 3, d 0; support 3, 2, 3, 0
const labels = ['a', 'b', 'c', 'd'];
const yTrue = [0, 0, 0, 1, 1, 2, 2, 2];
const yPred = [0, 1, 0, 1, 2, 2, 2, 0];

describe('classificationReport', () => {
  it('matches the scikit-learn definitions on a fixture with an empty class', () => {
    const report = classificationReport(yTrue, yPred, labels);
    expect(report.confusion).toEqual([
      [2, 1, 0, 0],
      [0, 1, 1, 0],
      [1, 0, 2, 0],
      [0, 0, 0, 0],
    ]);
    const rows = report.perClass.map(({ label, precision, recall, f1, support }) => [
      label,
      precision,
      recall,
      f1,
      support,
    ]);
    expect(rows).toEqual([
      ['a', 2 / 3, 2 / 3, 2 / 3, 3],
      ['b', 0.5, 0.5, 0.5, 2],
      ['c', 2 / 3, 2 / 3, 2 / 3, 3],
      ['d', 0, 0, 0, 0],
    ]);
    expect(report.accuracy).toBe(5 / 8);
    // macro: the empty class counts as 0 → (2/3 + 1/2 + 2/3 + 0) / 4 = 11/24
    expect(report.macro.precision).toBeCloseTo(11 / 24, 12);
    expect(report.macro.recall).toBeCloseTo(11 / 24, 12);
    expect(report.macro.f1).toBeCloseTo(11 / 24, 12);
    expect(report.macro.support).toBe(8);
    // weighted by support: (3·2/3 + 2·1/2 + 3·2/3 + 0) / 8 = 5/8
    expect(report.weighted).toEqual({ precision: 5 / 8, recall: 5 / 8, f1: 5 / 8, support: 8 });
  });

  it('uses zeroDivision = 1 for the empty class (macro changes, weighted does not)', () => {
    const report = classificationReport(yTrue, yPred, labels, { zeroDivision: 1 });
    expect(report.perClass[3]).toEqual({ label: 'd', precision: 1, recall: 1, f1: 1, support: 0 });
    expect(report.macro.f1).toBeCloseTo(17 / 24, 12);
    expect(report.weighted.f1).toBeCloseTo(5 / 8, 12);
  });

  it('skips NaN in the averages when zeroDivision is NaN', () => {
    const report = classificationReport(yTrue, yPred, labels, { zeroDivision: Number.NaN });
    expect(report.perClass[3]!.precision).toBeNaN();
    expect(report.macro.precision).toBeCloseTo(11 / 18, 12);
    expect(report.weighted.precision).toBeCloseTo(5 / 8, 12);
  });

  // A class with support but never predicted: precision is a zero division, F1 = 2·tp / (true + pred) = 0.
  it('keeps F1 at 0 (not zeroDivision) for a class that has samples but no predictions', () => {
    const never = classificationReport([0, 0, 1, 1], [0, 0, 0, 0], ['x', 'y'], { zeroDivision: 1 });
    expect(never.perClass[0]).toEqual({ label: 'x', precision: 0.5, recall: 1, f1: 2 / 3, support: 2 });
    expect(never.perClass[1]).toEqual({ label: 'y', precision: 1, recall: 0, f1: 0, support: 2 });
    expect(never.macro.precision).toBe(0.75);
    expect(never.macro.f1).toBeCloseTo(1 / 3, 12);
    const zero = classificationReport([0, 0, 1, 1], [0, 0, 0, 0], ['x', 'y']);
    expect(zero.macro.precision).toBe(0.25);
    expect(zero.weighted).toEqual({ precision: 0.25, recall: 0.5, f1: 1 / 3, support: 4 });
    const nan = classificationReport([0, 0, 1, 1], [0, 0, 0, 0], ['x', 'y'], { zeroDivision: Number.NaN });
    expect(nan.macro.precision).toBe(0.5);
    expect(nan.weighted.precision).toBe(0.5);
  });

  it('gives zeroDivision for every ratio of an empty split', () => {
    const report = classificationReport([], [], ['x', 'y']);
    expect(report.accuracy).toBe(0);
    expect(report.macro).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(report.weighted).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(classificationReport([], [], ['x'], { zeroDivision: 1 }).weighted.f1).toBe(1);
  });

  it('rejects a confusion matrix of the wrong size and an unknown zeroDivision', () => {
    expect(() => reportFromConfusion([[1, 0]], ['x', 'y'])).toThrow(MetricsInputError);
    expect(() => classificationReport([0], [0], ['x'], { zeroDivision: 0.5 })).toThrow(/0, 1 or NaN/);
  });
});
