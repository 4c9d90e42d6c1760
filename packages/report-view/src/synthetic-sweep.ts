import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArtifactLayout } from '@repo/contracts/records';
import { COLOURS, SHAPES } from '@repo/dataset';
import { evaluateHeads, RUN_RECORD_FORMAT, RUN_RECORD_VERSION, samplePredictions } from '@repo/metrics';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { buildReportView } from './build-report-view.js';
import { summariseReportView } from './report-summary.js';
import { writeReportSummary } from './report-summary-files.js';
import { readRunSource, writeReportView } from './sweep-files.js';

export interface SyntheticSweepOptions {
  sweepId: string;
  /** Finished trials to write (every one completed). */
  trials: number;
  /** Seeds per configuration. Default 3. */
  seeds?: number;
  /** Test samples each run is scored on. Default 800. */
  testSamples?: number;
  /** Epochs of each run's history. Default 30. */
  epochs?: number;
  /** Seeds the synthetic figures. Default 1. */
  seed?: number;
}

const HISTORY_METRICS = [
  'loss',
  'position_loss',
  'shape_loss',
  'colour_loss',
  'shape_acc',
  'colour_acc',
  'position_mae',
];

/**
 * Writes a finished synthetic sweep as the workers and the reporter would (every trial's run.json and
 * predictions.json, then report.json and the report summary) for benchmarks and scale tests: a random
 * search over arch, learning rate, width and dropout, `seeds` seeds per configuration, with position
 * error driven by arch and learning rate so the study's statistics have something to find.
 */
export async function writeSyntheticSweep(
  layout: ArtifactLayout,
  options: SyntheticSweepOptions,
): Promise<void> {
  const { sweepId, trials, seeds = 3, testSamples = 800, epochs = 30 } = options;
  const generator = xoroshiro128plus(options.seed ?? 1);
  const random = () => uniformFloat64(generator);
  const configs: Record<string, unknown>[] = [];
  for (let i = 0; i * seeds < trials; i++) {
    configs.push({
      arch: random() < 0.5 ? 'mtl-seed' : 'branches-seed',
      learningRate: 10 ** (-4 + 2 * random()),
      widthMultiplier: random() < 0.5 ? 0.5 : 1,
      dropout: Math.round(random() * 5) / 10,
      batchSize: 16,
    });
  }
  const trialIds: string[] = [];
  for (let t = 0; t < trials; t++) {
    const config = configs[Math.floor(t / seeds)]!;
    const seed = t % seeds;
    const trialId = `t${String(t).padStart(5, '0')}`;
    trialIds.push(trialId);
    const lr = config.learningRate as number;
    const centre = (config.arch === 'mtl-seed' ? 3 : 3.6) + 2 * Math.abs(Math.log10(lr) + 3) + random();
    const positions = Array.from({ length: testSamples * 2 }, () => random() * 128);
    const labels = (classes: number) =>
      Array.from({ length: testSamples }, () => Math.floor(random() * classes));
    const shapeError = 0.01 + random() * 0.03;
    const noisy = (truth: number[], classes: number, rate: number) =>
      truth.map((value) => (random() < rate ? (value + 1) % classes : value));
    const shapes = labels(SHAPES.length);
    const colours = labels(COLOURS.length);
    const heads = {
      imageSize: 128,
      position: { true: positions, pred: positions.map((value) => value + (random() - 0.5) * 4 * centre) },
      shape: { true: shapes, pred: noisy(shapes, SHAPES.length, shapeError), labels: SHAPES },
      colour: { true: colours, pred: noisy(colours, COLOURS.length, shapeError / 4), labels: COLOURS },
    };
    const record = {
      format: RUN_RECORD_FORMAT,
      version: RUN_RECORD_VERSION,
      runId: `${sweepId}.${trialId}`,
      sweepId,
      config,
      seed,
      dataset: { id: 'a'.repeat(64), sha256: 'b'.repeat(64) },
      backend: 'wasm',
      packages: { '@tensorflow/tfjs-core': '4.22.0' },
      startedAt: '2026-01-01T00:00:00.000Z',
      endedAt: new Date(Date.parse('2026-01-01T00:00:00.000Z') + (60 + 60 * random()) * 1000).toISOString(),
      status: 'completed',
      history: Array.from({ length: epochs }, (_, e) => ({
        epoch: e + 1,
        train: Object.fromEntries(HISTORY_METRICS.map((key) => [key, random() / (e + 1)])),
        val: Object.fromEntries(HISTORY_METRICS.map((key) => [key, random() / (e + 1)])),
      })),
      test: evaluateHeads(heads),
      modelPath: `sweeps/${sweepId}/trials/${trialId}/model`,
      parameters: Math.round(
        (config.arch === 'mtl-seed' ? 191_747 : 232_000) * (config.widthMultiplier as number) ** 2,
      ),
    };
    const dir = layout.trialDir(sweepId, trialId);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'run.json'), JSON.stringify(record));
    await writeFile(join(dir, 'predictions.json'), JSON.stringify(samplePredictions(heads)));
  }
  const runs = [];
  for (const trialId of trialIds) runs.push(await readRunSource(layout, sweepId, trialId));
  const view = buildReportView({ sweepId, name: `synthetic ${trials}`, trials, runs });
  await writeReportView(layout, view);
  await writeReportSummary(layout, {
    ...summariseReportView(view, { state: 'completed' }),
    samples: { imageSize: 0, images: [] },
  });
}
