import { describe, expect, it } from 'vitest';
import type { ParameterSpace } from './parameter-space.js';
import { createRng } from './rng.js';
import { samplePoint } from './sample.js';
import { type Observation, suggest } from './tpe.js';
import type { ParameterPoint } from './trial-config.js';

const space: ParameterSpace = [
  { name: 'arch', distribution: { kind: 'choice', values: ['a', 'b', 'c'] } },
  { name: 'learningRate', distribution: { kind: 'log-uniform', min: 1e-5, max: 1 } },
  { name: 'dropout', distribution: { kind: 'uniform', min: 0, max: 1 } },
  { name: 'epochs', distribution: { kind: 'int-uniform', min: 1, max: 50 } },
  { name: 'batchSize', distribution: { kind: 'constant', value: 16 } },
];

/** Synthetic objective (lower is better), optimum at arch b, learning rate 1e-3, dropout 0.7, 20 epochs. */
function objective(point: ParameterPoint): number {
  const lr = Math.log10(point.learningRate as number) + 3;
  const dropout = (point.dropout as number) - 0.7;
  const epochs = ((point.epochs as number) - 20) / 10;
  return lr * lr + 4 * dropout * dropout + epochs * epochs + (point.arch === 'b' ? 0 : 1);
}

/** A sequential search of `count` configurations; `tpe` false draws every one at random. */
function search(seed: number, count: number, tpe: boolean): Observation[] {
  const observations: Observation[] = [];
  for (let k = 0; k < count; k++) {
    const rng = createRng(seed, k);
    const point = tpe ? suggest(space, observations, rng, { startup: 10 }) : samplePoint(space, rng);
    observations.push({ point, value: objective(point) });
  }
  return observations;
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

describe('suggest (TPE)', () => {
  it('concentrates later suggestions near the optimum far better than random search (8 seeds)', () => {
    const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
    const late = (observations: Observation[]) => mean(observations.slice(20).map((o) => o.value));
    const tpe = seeds.map((seed) => late(search(seed, 40, true)));
    const random = seeds.map((seed) => late(search(seed, 40, false)));
    expect(mean(tpe)).toBeLessThan(0.5 * mean(random));
    expect(tpe.filter((value, i) => value < (random[i] as number)).length).toBeGreaterThanOrEqual(7);
    const bestTpe = seeds.map((seed) => Math.min(...search(seed, 40, true).map((o) => o.value)));
    const bestRandom = seeds.map((seed) => Math.min(...search(seed, 40, false).map((o) => o.value)));
    expect(mean(bestTpe)).toBeLessThan(mean(bestRandom));
  });

  it('prefers the good choice: most late suggestions pick arch b', () => {
    const late = search(3, 40, true).slice(20);
    expect(late.filter((o) => o.point.arch === 'b').length).toBeGreaterThanOrEqual(14);
  });

  it('draws at random during start-up, stays inside every range, keeps constants', () => {
    const observations = search(9, 30, true);
    expect(observations.slice(0, 10).map((o) => o.point)).toEqual(
      Array.from({ length: 10 }, (_, k) => samplePoint(space, createRng(9, k))),
    );
    for (const { point } of observations) {
      expect(point.learningRate).toBeGreaterThanOrEqual(1e-5);
      expect(point.learningRate).toBeLessThanOrEqual(1);
      expect(point.dropout).toBeGreaterThanOrEqual(0);
      expect(point.dropout).toBeLessThanOrEqual(1);
      expect(Number.isInteger(point.epochs)).toBe(true);
      expect(point.epochs).toBeGreaterThanOrEqual(1);
      expect(point.epochs).toBeLessThanOrEqual(50);
      expect(point.batchSize).toBe(16);
    }
  });

  it('is deterministic, follows direction, and ranks a diverged (NaN) trial worst', () => {
    const observations = search(4, 15, true);
    expect(suggest(space, observations, createRng(4, 15))).toEqual(
      suggest(space, observations, createRng(4, 15)),
    );
    const maximise = observations.map((o) => ({ ...o, value: -o.value }));
    expect(suggest(space, maximise, createRng(4, 15), { direction: 'maximize' })).toEqual(
      suggest(space, observations, createRng(4, 15)),
    );
    const diverged = observations.map((o, i) => (i === 0 ? { ...o, value: Number.NaN } : o));
    const worst = observations.map((o, i) => (i === 0 ? { ...o, value: Number.POSITIVE_INFINITY } : o));
    expect(suggest(space, diverged, createRng(4, 15))).toEqual(suggest(space, worst, createRng(4, 15)));
  });
});
