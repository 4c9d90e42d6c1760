import { readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { openDataset } from '@repo/dataset';
import { type Evaluation, type RunRecord, renderConfusionMatrix } from '@repo/metrics';
import {
  backendThreads,
  countParams,
  type EpochProgress,
  type HistoryEntry,
  initBackend,
  parseTrialConfig,
  type TrainResult,
  TrialConfigError,
  type TrialSetup,
} from '@repo/model';
import { runTrial, TrialDir, type TrialPhase } from '@repo/trial-runner';
import { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { readEnv } from '../env.js';
import { UsageError } from '../errors.js';
import { intOption, numberOption } from '../options.js';

interface TrainOptions {
  data: string;
  out: string;
  config?: string;
  arch?: string;
  width?: number;
  epochs?: number;
  batch?: number;
  lr?: number;
  patience?: number;
  lrPlateau?: number;
  seed?: number;
  fineTune?: boolean;
  fineTuneLr?: number;
  fineTuneEpochs?: number;
  threads: number;
}

/** `mtl train`: one trial, locally, without Redis: train on train, early-stop on val, evaluate on test. */
export function trainCommand(): Command {
  return new Command('train')
    .requiredOption('--data <dir>', 'dataset directory (from `mtl generate`)')
    .requiredOption('--out <dir>', 'run directory; rerunning resumes from its last epoch checkpoint')
    .option('--config <file>', 'trial config (YAML or JSON, flat: arch, learningRate, batchSize, …)')
    .option('--arch <name>', 'architecture (default mtl-seed)')
    .option('--width <x>', 'width multiplier', numberOption(0, 8))
    .option('--epochs <n>', 'most epochs', intOption(1))
    .option('--batch <n>', 'batch size', intOption(1))
    .option('--lr <x>', 'Adam learning rate', numberOption(0))
    .option('--patience <n>', 'early-stopping patience in epochs', intOption(0))
    .option(
      '--lr-plateau <n>',
      'halve the learning rate after n epochs without a lower validation loss',
      intOption(1),
    )
    .option('--seed <n>', 'seed of initialisation, shuffles and dropout', intOption(0, 0xffff_ffff))
    .option('--fine-tune', 'then fine-tune the position head on the training split')
    .option('--fine-tune-lr <x>', 'fine-tuning learning rate (implies --fine-tune)', numberOption(0))
    .option('--fine-tune-epochs <n>', 'most fine-tuning epochs (implies --fine-tune)', intOption(1))
    .option(
      '--threads <n>',
      'threads one training computes with on wasm (results are reproducible for a given n)',
      intOption(1),
      availableParallelism(),
    )
    .action(async (options: TrainOptions) => {
      const out = resolve(options.out);
      const dir = new TrialDir(out);
      if (await dir.recorded())
        throw new UsageError(
          `--out ${out} already holds a finished run (${dir.runFile}); choose a new directory`,
        );
      const config = await trialConfig(options);
      const dataset = await openDataset(resolve(options.data));
      const setup = parseSetup(config, dataset.manifest.imageSize, options.seed);
      const backend = await initBackend(readEnv().MTL_BACKEND, { threads: options.threads });
      const threads = backendThreads();
      await dir.create();
      const controller = new AbortController();
      const abort = () => controller.abort();
      process.once('SIGINT', abort);
      process.once('SIGTERM', abort);
      try {
        const { trained, tuned, evaluation } = await runTrial(
          {
            runId: basename(out),
            // YAML's core schema and the flags give JSON values; the run record's schema checks them again.
            // The seed is recorded beside the config, as the trainer records a sweep's trials.
            config: withoutSeed(config) as RunRecord['config'],
            setup,
            dataset,
            dir,
            root: out,
            backend,
            startedAt: await runStart(dir),
          },
          {
            signal: controller.signal,
            onStart: (model, data) =>
              log(
                `training ${setup.arch} (${countParams(model).toLocaleString('en-US')} params) on ${backend}` +
                  `${threads === undefined ? '' : ` (${threads} thread${threads === 1 ? '' : 's'})`}: ` +
                  `${data.train} train, ${data.val} val images of ${dataset.manifest.imageSize} px\n`,
              ),
            onEpoch: epochLogger(),
          },
        );
        if (trained.resumedEpochs > 0) log(`(train resumed after epoch ${trained.resumedEpochs})\n`);
        await writeFile(join(out, 'confusion.txt'), confusionText(evaluation));
        process.stdout.write(runSummary(setup.arch, trained, tuned, evaluation, out));
      } finally {
        process.off('SIGINT', abort);
        process.off('SIGTERM', abort);
      }
    });
}

/** When the run first started: kept beside its checkpoints so a resumed run records its true start. */
async function runStart(dir: TrialDir): Promise<Date> {
  const file = join(dirname(dir.trainCheckpoint), 'started-at');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== undefined && !Number.isNaN(Date.parse(existing.trim()))) return new Date(existing.trim());
  const now = new Date();
  await writeFile(file, now.toISOString());
  return now;
}

/** The classification heads the model has; stl-position has none, and its file says so. */
function confusionText(evaluation: Evaluation): string {
  const heads = (['shape', 'colour'] as const).flatMap((head) => {
    const report = evaluation[head];
    return report
      ? [`${head} (test split)\n${renderConfusionMatrix(report.confusion, report.labels)}\n`]
      : [];
  });
  return heads.length > 0 ? heads.join('\n') : 'no classification head (test split): no confusion matrix\n';
}

function runSummary(
  arch: string,
  trained: TrainResult,
  tuned: TrainResult | undefined,
  evaluation: Evaluation,
  out: string,
): string {
  const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
  const stop = trained.stoppedEarly ? ', early stop' : '';
  const fine = tuned ? `; fine-tuned ${tuned.history.length} epochs (best ${tuned.bestEpoch})` : '';
  const { position: p, shape, colour } = evaluation;
  // Only the heads the model has: a single-task baseline's line names its one head.
  const figures = [
    ...(shape ? [`shape ${pct(shape.accuracy)}`] : []),
    ...(colour ? [`colour ${pct(colour.accuracy)}`] : []),
    ...(p
      ? [
          `position MAE ${p.maePx.mean.toFixed(2)} px (x ${p.maePx.x.toFixed(2)}, y ${p.maePx.y.toFixed(2)}; ` +
            `Euclidean median ${p.euclideanPx.median.toFixed(2)} px, p90 ${p.euclideanPx.p90.toFixed(2)} px)`,
        ]
      : []),
  ];
  const images = (shape ?? colour)?.macro.support ?? p?.count;
  return (
    `${arch}: best epoch ${trained.bestEpoch} of ${trained.history.length}${stop}${fine}\n` +
    `test (${images} images): ${figures.join(', ')}\n` +
    `run written to ${out}\n`
  );
}

/** The flat trial config: the file's keys, overridden by flags. */
async function trialConfig(options: TrainOptions): Promise<Record<string, unknown>> {
  const fromFile = options.config === undefined ? {} : await readConfigFile(resolve(options.config));
  const config: Record<string, unknown> = { arch: 'mtl-seed', ...fromFile };
  const set = (key: string, value: unknown) => {
    if (value !== undefined) config[key] = value;
  };
  set('arch', options.arch);
  set('widthMultiplier', options.width);
  set('epochs', options.epochs);
  set('batchSize', options.batch);
  set('learningRate', options.lr);
  if (options.patience !== undefined) {
    config.earlyStopping = { ...asObject(config.earlyStopping), patience: options.patience };
  }
  if (options.lrPlateau !== undefined) {
    config.reduceLrOnPlateau = { ...asObject(config.reduceLrOnPlateau), patience: options.lrPlateau };
  }
  if (options.fineTune || options.fineTuneLr !== undefined || options.fineTuneEpochs !== undefined) {
    const fine = { ...asObject(config.fineTune) };
    if (options.fineTuneLr !== undefined) fine.learningRate = options.fineTuneLr;
    if (options.fineTuneEpochs !== undefined) fine.epochs = options.fineTuneEpochs;
    config.fineTune = fine;
  }
  return config;
}

async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--config ${file}: cannot read (${(error as NodeJS.ErrnoException).code})`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new UsageError(`--config ${file}: not valid YAML: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`--config ${file}: expected a mapping of hyperparameters`);
  }
  return parsed as Record<string, unknown>;
}

function withoutSeed(config: Record<string, unknown>): Record<string, unknown> {
  const { seed: _seed, ...rest } = config;
  return rest;
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function parseSetup(config: Record<string, unknown>, imageSize: number, seed?: number): TrialSetup {
  try {
    return parseTrialConfig(config, seed === undefined ? { imageSize } : { imageSize, seed });
  } catch (error) {
    if (error instanceof TrialConfigError) throw new UsageError(`invalid trial config: ${error.message}`);
    throw error;
  }
}

function epochLogger() {
  let started = performance.now();
  return (phase: TrialPhase, entry: HistoryEntry, progress: EpochProgress) => {
    const seconds = (performance.now() - started) / 1000;
    started = performance.now();
    log(
      `${phase} epoch ${entry.epoch}/${progress.epochs}  loss ${fmt(entry.train.loss)} val ${fmt(entry.val.loss)}` +
        `  val ${summary(entry.val)}  best ${progress.bestEpoch}  lr ${progress.learningRate.toExponential(1)}` +
        `  ${seconds.toFixed(1)} s\n`,
    );
  };
}

/** An epoch's validation figures of the heads the model has (a single-task epoch has one). */
function summary(metrics: Record<string, number>): string {
  const pct = (v: number) => `${(v * 100).toFixed(2)} %`;
  const { shape_acc: shape, colour_acc: colour, position_mae: position } = metrics;
  return [
    ...(shape === undefined ? [] : [`shape ${pct(shape)}`]),
    ...(colour === undefined ? [] : [`colour ${pct(colour)}`]),
    ...(position === undefined ? [] : [`position MAE ${fmt(position, 2)} px`]),
  ].join(', ');
}

function fmt(value: number | undefined, digits = 4): string {
  return (value ?? Number.NaN).toFixed(digits);
}

function log(text: string): void {
  process.stderr.write(text);
}
