import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ArtifactLayout } from '@repo/contracts';
import {
  COLOURS,
  datasetId,
  datasetSpecSchema,
  openDataset,
  SHAPES,
  type SplitData,
  writeDataset,
} from '@repo/dataset';
import {
  type CompletedRunRecord,
  evaluateHeads,
  type HeadsInput,
  RUN_RECORD_FORMAT,
  RUN_RECORD_VERSION,
  samplePredictions,
} from '@repo/metrics';
import { buildReportView } from '../build-report-view.js';
import { loadSampleImages } from '../load-sweep-view.js';
import { summariseReportView } from '../report-summary.js';
import { writeReportSummary } from '../report-summary-files.js';
import { readRunSource, writeReportView } from '../sweep-files.js';

/** One fixture trial: how far off its positions are, and which test samples it misclassifies. */
export interface FixtureTrial {
  trialId: string;
  config: CompletedRunRecord['config'];
  seed: number;
  /** Every prediction is off by (dx, dy) pixels. */
  offset: [number, number];
  /** Test sample indices whose shape is predicted as the next class. */
  wrongShapes: number[];
  /** Test sample indices whose colour is predicted as the next class. */
  wrongColours: number[];
  /** Records task conflict after each epoch (position and shape pull apart, then agree). */
  taskConflict?: boolean;
}

/** A name that must be escaped everywhere it shows. */
export const HOSTILE_NAME = `<script>alert("x")</script> & 'friends'`;

export const FIXTURE_TRIALS: FixtureTrial[] = [
  {
    trialId: 't000',
    config: { arch: 'mtl-seed', learningRate: 0.001 },
    seed: 0,
    offset: [1, 2],
    wrongShapes: [],
    wrongColours: [],
  },
  {
    trialId: 't001',
    config: { arch: 'mtl-seed', learningRate: 0.001 },
    seed: 1,
    offset: [3, 0],
    wrongShapes: [0],
    wrongColours: [],
  },
  {
    trialId: 't002',
    config: { arch: 'mtl-seed', learningRate: 0.01 },
    seed: 0,
    offset: [4, 3],
    wrongShapes: [],
    wrongColours: [1, 2],
  },
];

export interface SweepFixture {
  layout: ArtifactLayout;
  sweepId: string;
  datasetId: string;
  /** The dataset's test split: the truth every run is scored against. */
  test: SplitData;
  /** Each trial's scoring input (truth and its predictions) and run record. */
  runs: { trial: FixtureTrial; heads: Required<HeadsInput>; record: CompletedRunRecord }[];
  failed: { trialId: string; reason: string };
}

/**
 * Writes a small finished sweep into `root` as the workers would: a 32×32 dataset with 12 test images,
 * three completed trials (run.json, predictions.json), one failed one, and report.json.
 */
export async function writeSweepFixture(root: string, sweepId = 'fixture-sweep'): Promise<SweepFixture> {
  const layout = new ArtifactLayout(root);
  const spec = datasetSpecSchema.parse({ imageSize: 32, samples: 4, test: 12, seed: 7 });
  const id = datasetId(spec);
  await writeDataset(spec, layout.datasetDir(id));
  const test = await (await openDataset(layout.datasetDir(id))).readSplit('test');
  const runs = [];
  for (const trial of FIXTURE_TRIALS) {
    const heads = scoringInput(test, trial);
    const record = runRecord(sweepId, id, trial, heads);
    const dir = layout.trialDir(sweepId, trial.trialId);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'run.json'), JSON.stringify(record));
    await writeFile(join(dir, 'predictions.json'), JSON.stringify(samplePredictions(heads)));
    runs.push({ trial, heads, record });
  }
  const failed = { trialId: 't003', reason: 'TrialConfigError: <b>bad</b> width' };
  await mkdir(layout.trialDir(sweepId, failed.trialId), { recursive: true });
  // As the reporter writes it when the sweep ends.
  await writeReportView(
    layout,
    buildReportView({
      sweepId,
      name: HOSTILE_NAME,
      datasetId: id,
      trials: 4,
      runs: await Promise.all(runs.map(({ trial }) => readRunSource(layout, sweepId, trial.trialId))),
      failed: [failed],
      generatedAt: new Date('2026-01-01T00:10:00.000Z'),
    }),
  );
  return { layout, sweepId, datasetId: id, test, runs, failed };
}

/**
 * The study's shape: two architectures × three seeds on one dataset. mtl-seed is about 1 px better on
 * position for every seed (a difference the verdict must find); both classify alike (one it must not).
 */
export const STUDY_TRIALS: FixtureTrial[] = [0, 1, 2].flatMap((seed) => [
  {
    trialId: `mtl-${seed}`,
    config: { arch: 'mtl-seed', learningRate: 0.001 },
    seed,
    offset: [1 + seed * 0.25, 1],
    wrongShapes: [seed],
    wrongColours: [],
    taskConflict: true,
  },
  {
    trialId: `branches-${seed}`,
    config: { arch: 'branches-seed', learningRate: 0.001 },
    seed,
    offset: [2 + seed * 0.4, 2.25],
    wrongShapes: [seed + 1],
    wrongColours: [],
  },
]);

/**
 * The three single-task baselines for the same seeds: `stl-position` about 1.25 px worse than mtl-seed
 * on every seed (sharing helps), `stl-shape` wrong on the same samples (no difference), `stl-colour`
 * wrong on two samples where mtl-seed is wrong on none (sharing helps).
 */
export const SINGLE_TASK_TRIALS: (FixtureTrial & { head: 'position' | 'shape' | 'colour' })[] = [
  0, 1, 2,
].flatMap((seed) => [
  {
    trialId: `stl-position-${seed}`,
    head: 'position' as const,
    config: { arch: 'stl-position', learningRate: 0.001 },
    seed,
    offset: [2 + seed * 0.3, 2.5] as [number, number],
    wrongShapes: [],
    wrongColours: [],
  },
  {
    trialId: `stl-shape-${seed}`,
    head: 'shape' as const,
    config: { arch: 'stl-shape', learningRate: 0.001 },
    seed,
    offset: [0, 0] as [number, number],
    wrongShapes: [seed],
    wrongColours: [],
  },
  {
    trialId: `stl-colour-${seed}`,
    head: 'colour' as const,
    config: { arch: 'stl-colour', learningRate: 0.001 },
    seed,
    offset: [0, 0] as [number, number],
    wrongShapes: [],
    wrongColours: [seed, seed + 3],
  },
]);

/** Parameters of each fixture architecture (mtl-seed's backbone with one head for the baselines). */
const FIXTURE_PARAMETERS: Record<string, number> = {
  'mtl-seed': 191_747,
  'branches-seed': 232_000,
  'stl-position': 191_182,
  'stl-shape': 155_155,
  'stl-colour': 155_170,
};

/**
 * Writes a finished two-architecture study (`STUDY_TRIALS`) as the workers and the reporter would:
 * run records, predictions, report.json and the report summary beside it. With `singleTask`, the
 * sweep also holds `SINGLE_TASK_TRIALS`, each scored on its one head.
 */
export async function writeStudyFixture(
  root: string,
  sweepId = 'study-sweep',
  options: { singleTask?: boolean } = {},
): Promise<SweepFixture> {
  const layout = new ArtifactLayout(root);
  const spec = datasetSpecSchema.parse({ imageSize: 32, samples: 4, test: 12, seed: 7 });
  const id = datasetId(spec);
  await writeDataset(spec, layout.datasetDir(id));
  const test = await (await openDataset(layout.datasetDir(id))).readSplit('test');
  const runs = [];
  const trials = [...STUDY_TRIALS, ...(options.singleTask ? SINGLE_TASK_TRIALS : [])];
  for (const trial of trials) {
    const all = scoringInput(test, trial);
    const head = 'head' in trial ? (trial.head as keyof HeadsInput) : undefined;
    const heads = head === undefined ? all : { imageSize: all.imageSize, [head]: all[head] };
    const record = {
      ...runRecord(sweepId, id, trial, heads),
      parameters: FIXTURE_PARAMETERS[String(trial.config.arch)]!,
    };
    const dir = layout.trialDir(sweepId, trial.trialId);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'run.json'), JSON.stringify(record));
    await writeFile(join(dir, 'predictions.json'), JSON.stringify(samplePredictions(heads)));
    runs.push({ trial, heads: all, record });
  }
  const view = buildReportView({
    sweepId,
    name: 'seed study',
    datasetId: id,
    trials: trials.length,
    runs: await Promise.all(runs.map(({ trial }) => readRunSource(layout, sweepId, trial.trialId))),
  });
  await writeReportView(layout, view);
  await writeReportSummary(layout, {
    ...summariseReportView(view),
    samples: await loadSampleImages(layout, view),
  });
  return { layout, sweepId, datasetId: id, test, runs, failed: { trialId: '', reason: '' } };
}

function scoringInput(test: SplitData, trial: FixtureTrial): Required<HeadsInput> {
  const next = (values: Uint8Array, wrong: number[], classes: number) =>
    Array.from(values, (value, i) => (wrong.includes(i) ? (value + 1) % classes : value));
  return {
    imageSize: test.imageSize,
    position: {
      true: Array.from(test.positions),
      pred: Array.from(test.positions, (value, i) => value + trial.offset[i % 2]!),
    },
    shape: {
      true: Array.from(test.shapes),
      pred: next(test.shapes, trial.wrongShapes, SHAPES.length),
      labels: SHAPES,
    },
    colour: {
      true: Array.from(test.colours),
      pred: next(test.colours, trial.wrongColours, COLOURS.length),
      labels: COLOURS,
    },
  };
}

function runRecord(
  sweepId: string,
  dataset: string,
  trial: FixtureTrial,
  heads: HeadsInput,
): CompletedRunRecord {
  const present = (['position', 'shape', 'colour'] as const).filter((head) => heads[head] !== undefined);
  const losses = (scale: number) =>
    Object.fromEntries([
      ['loss', scale * present.length],
      ...present.map((head) => [`${head}_loss`, scale]),
    ]) as Record<string, number>;
  // Position and shape pull apart at first, then agree; the seed shifts it.
  const conflict = (n: number) =>
    trial.taskConflict
      ? { taskConflict: { 'position-shape': (n - 2) * 0.1 + trial.seed * 0.01, 'shape-colour': 0.5 } }
      : {};
  const epoch = (n: number) => ({ epoch: n, train: losses(1 / n), val: losses(1.1 / n), ...conflict(n) });
  return {
    format: RUN_RECORD_FORMAT,
    version: RUN_RECORD_VERSION,
    runId: `${sweepId}.${trial.trialId}`,
    sweepId,
    config: trial.config,
    seed: trial.seed,
    dataset: { id: dataset, sha256: '0'.repeat(64) },
    backend: 'cpu',
    packages: {},
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:01:00.000Z',
    status: 'completed',
    history: [epoch(1), epoch(2), epoch(3)],
    test: evaluateHeads(heads),
    modelPath: `sweeps/${sweepId}/trials/${trial.trialId}/model`,
  };
}
