import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyConfig, tinyData, trainUntilKilled, weightValues } from '../test/tiny-model.js';
import { SINGLE_TASK_ARCHITECTURES } from './architectures/architecture-names.js';
import { buildModel } from './architectures/architectures.js';
import { initBackend } from './backend/init-backend.js';
import { TrainingAbortedError, TrialConfigError } from './errors.js';
import { fineTune } from './fine-tune.js';
import { METRIC_NAMES } from './history.js';
import { predict } from './predict.js';
import { train } from './train.js';

// The single-task baselines (a quarter of their width, a few images) through the training loop on the
// backend training uses here: one head's loss, one head's metrics, nothing recorded for the others.
const data = tinyData(128, 12);
const build = (arch: string, seed = 1) => buildModel(arch, { imageSize: 128, widthMultiplier: 0.25, seed });
let dir: string;

beforeAll(async () => {
  await initBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'mtl-stl-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.each(Object.entries(SINGLE_TASK_ARCHITECTURES))('%s', (arch, head) => {
  it(`trains on the ${head} loss alone and records only its metrics, no conflict, no other head's weight`, async () => {
    const model = build(arch);
    const untouched = weightValues(model);
    const before = tf.memory().numTensors;
    // Weights of absent heads are ignored; the present head's counts.
    const config = tinyConfig({
      epochs: 1,
      batchSize: 4,
      taskConflict: true,
      lossWeighting: { kind: 'static', weights: { position: 1, shape: 1, colour: 1, [head]: 2 } },
    });
    const [entry] = (await train(model, data, config)).history;
    expect(tf.memory().numTensors).toBe(before);
    const names = METRIC_NAMES.filter((name) => name === 'loss' || name.startsWith(`${head}_`));
    for (const split of [entry!.train, entry!.val]) {
      expect(Object.keys(split).sort()).toEqual([...names].sort());
      for (const name of names) expect(Number.isFinite(split[name])).toBe(true);
    }
    // The objective is the one head's loss times its weight (to float32 rounding of the batch means).
    expect(entry!.train.loss).toBeCloseTo(2 * entry!.train[`${head}_loss`]!, 4);
    expect(entry!.lossWeights).toEqual({ [head]: 2 });
    expect(entry!.taskConflict).toBeUndefined();
    expect(weightValues(model)).not.toEqual(untouched);
    model.dispose();
  });

  it(`predicts its ${head} head only: the other heads' fields are absent, not zeros`, () => {
    const model = build(arch);
    const fields = {
      position: ['positions'],
      shape: ['shapeProbs', 'shapes'],
      colour: ['colourProbs', 'colours'],
    };
    const out = predict(model, data.test);
    expect(Object.keys(out).sort()).toEqual([...fields[head]].sort());
    const per = { position: 2, shape: 3, colour: 6 }[head];
    expect(out[fields[head][0] as keyof typeof out]?.length).toBe(per * data.test.count);
    model.dispose();
  });

  it('refuses fine-tuning and a weighting that balances heads, naming the field', async () => {
    const model = build(arch);
    // fineTune refuses before it starts (synchronously), train once it has begun: accept both.
    const refused = async (run: () => Promise<unknown>, field: string) => {
      const error = await Promise.resolve()
        .then(run)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TrialConfigError);
      expect((error as TrialConfigError).field).toBe(field);
    };
    await refused(() => fineTune(model, data, tinyConfig({ fineTune: { epochs: 1 } })), 'fineTune');
    for (const kind of ['uncertainty', 'dwa', 'gradnorm'] as const) {
      await refused(
        () => train(model, data, tinyConfig({ epochs: 1, lossWeighting: { kind } })),
        'lossWeighting.kind',
      );
    }
    await refused(
      () =>
        train(
          model,
          data,
          tinyConfig({
            epochs: 1,
            lossWeighting: { kind: 'static', weights: { position: 1, shape: 1, colour: 1, [head]: 0 } },
          }),
        ),
      `lossWeighting.weights.${head}`,
    );
    model.dispose();
  });
});

describe('stl-shape resumes exactly', () => {
  it('a killed run resumed from its checkpoint ends bit-identical to an uninterrupted one', async () => {
    const config = tinyConfig({ epochs: 3, batchSize: 4 });
    const whole = build('stl-shape');
    const wholeResult = await train(whole, data, config);

    const file = join(dir, 'killed.ckpt');
    const first = build('stl-shape');
    expect(await trainUntilKilled(first, data, config, file, 2)).toBeInstanceOf(TrainingAbortedError);
    first.dispose();

    const second = build('stl-shape', 99); // another initialisation: the checkpoint must overwrite it
    const resumed = await train(second, data, config, { checkpointFile: file });
    expect(resumed.resumedEpochs).toBe(2);
    expect(resumed.history).toEqual(wholeResult.history);
    expect(weightValues(second)).toEqual(weightValues(whole));
    whole.dispose();
    second.dispose();
  });
});
