import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyConfig, tinyData, trainUntilKilled, weightValues } from '../test/tiny-model.js';
import { buildModel } from './architectures/architectures.js';
import { backendThreads, initBackend } from './backend/init-backend.js';
import { TrainingAbortedError } from './errors.js';
import { train } from './train.js';

// The study's architecture on the threaded wasm build: XNNPACK splits each conv over the pool, and
// a run with a fixed thread count must still be bit-identical on rerun and on resume.
const THREADS = 2;
const data = tinyData(96, 24);
const config = tinyConfig({ epochs: 2, batchSize: 6 });
const model = () => buildModel('mtl-seed', { imageSize: 96, widthMultiplier: 0.25, seed: 5 });
let dir: string;

beforeAll(async () => {
  await initBackend('wasm', { threads: THREADS });
  dir = await mkdtemp(join(tmpdir(), 'mtl-threaded-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe(`training on wasm with ${THREADS} threads`, () => {
  it('runs on a pool of that size (at most the CPUs)', () => {
    expect(backendThreads()).toBe(Math.min(THREADS, availableParallelism()));
  });

  it('is bit-identical on rerun (weights and history), and resumes exactly from a checkpoint', async () => {
    const whole = model();
    const wholeResult = await train(whole, data, config);
    const rerun = model();
    const rerunResult = await train(rerun, data, config);
    expect(rerunResult.history).toEqual(wholeResult.history);
    expect(weightValues(rerun)).toEqual(weightValues(whole));

    const file = join(dir, 'killed.ckpt');
    const killed = model();
    expect(await trainUntilKilled(killed, data, config, file, 1)).toBeInstanceOf(TrainingAbortedError);
    const resumed = buildModel('mtl-seed', { imageSize: 96, widthMultiplier: 0.25, seed: 6 });
    const resumedResult = await train(resumed, data, config, { checkpointFile: file });
    expect(resumedResult.resumedEpochs).toBe(1);
    expect(resumedResult.history).toEqual(wholeResult.history);
    expect(weightValues(resumed)).toEqual(weightValues(whole));
    for (const m of [whole, rerun, killed, resumed]) m.dispose();
  });
});
