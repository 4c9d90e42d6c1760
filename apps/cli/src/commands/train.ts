import { createHash } from 'node:crypto';
import { access, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { COLOURS, MANIFEST_FILE, openDataset, SHAPES } from '@repo/dataset';
import {
  type Evaluation,
  evaluateHeads,
  parseRunRecord,
  RUN_RECORD_FORMAT,
  RUN_RECORD_VERSION,
  renderConfusionMatrix,
} from '@repo/metrics';
import {
  buildModel,
  countParams,
  type EpochProgress,
  fineTune,
  type HistoryEntry,
  initBackend,
  parseTrialConfig,
  predict,
  runtimeVersions,
  saveModel,
  type TrainResult,
  TrialConfigError,
  type TrialSetup,
  train,
} from '@repo/model';
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
}

/** Files of a run directory. */
export const RUN_FILES = {
  model: 'model',
  run: 'run.json',
  history: 'history.json',
  confusion: 'confusion.txt',
  checkpoints: 'checkpoint',
} as const;

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
    .action(async (options: TrainOptions) => {
      const out = resolve(options.out);
      await refuseFinishedRun(out);
      const config = await trialConfig(options);
      const dataset = await openDataset(resolve(options.data));
      const setup = parseSetup(config, dataset.manifest.imageSize, options.seed);
      const backend = await initBackend(readEnv().MTL_BACKEND);
      await mkdir(join(out, RUN_FILES.checkpoints), { recursive: true });
      const startedAt = await runStart(out);
      const data = { train: await dataset.readSplit('train'), val: await dataset.readSplit('val') };
      const model = buildModel(setup.arch, setup.architecture);
      log(
        `training ${setup.arch} (${countParams(model).toLocaleString('en-US')} params) on ${backend}: ` +
          `${data.train.count} train, ${data.val.count} val images of ${dataset.manifest.imageSize} px\n`,
      );
      const controller = new AbortController();
      const abort = () => controller.abort();
      process.once('SIGINT', abort);
      process.once('SIGTERM', abort);
      try {
        const trained = await train(model, data, setup.train, {
          checkpointFile: join(out, RUN_FILES.checkpoints, 'train.ckpt'),
          signal: controller.signal,
          onEpoch: epochLogger('train'),
        });
        if (trained.resumedEpochs > 0) log(`(train resumed after epoch ${trained.resumedEpochs})\n`);
        const tuned = setup.train.fineTune
          ? await fineTune(model, data, setup.train, {
              checkpointFile: join(out, RUN_FILES.checkpoints, 'fine-tune.ckpt'),
              signal: controller.signal,
              onEpoch: epochLogger('fine-tune'),
            })
          : undefined;
        await saveModel(model, join(out, RUN_FILES.model));
        // The test split is read only now: it never feeds training, early stopping or fine-tuning.
        const test = await dataset.readSplit('test');
        const prediction = predict(model, test);
        const evaluation = evaluateHeads({
          imageSize: test.imageSize,
          position: { true: test.positions, pred: prediction.positions },
          shape: { true: test.shapes, pred: prediction.shapes, labels: SHAPES },
          colour: { true: test.colours, pred: prediction.colours, labels: COLOURS },
        });
        const record = parseRunRecord(
          {
            format: RUN_RECORD_FORMAT,
            version: RUN_RECORD_VERSION,
            runId: basename(out),
            config: { ...config, seed: setup.train.seed },
            seed: setup.train.seed,
            dataset: {
              id: dataset.manifest.datasetId,
              sha256: await sha256File(join(dataset.dir, MANIFEST_FILE)),
            },
            backend,
            packages: runtimeVersions(),
            startedAt,
            history: trained.history,
            ...(tuned ? { fineTuneHistory: tuned.history } : {}),
            status: 'completed',
            endedAt: new Date().toISOString(),
            test: evaluation,
            modelPath: RUN_FILES.model,
            parameters: countParams(model),
          },
          join(out, RUN_FILES.run),
        );
        await writeJson(join(out, RUN_FILES.history), { train: trained.history, fineTune: tuned?.history });
        await writeFile(join(out, RUN_FILES.confusion), confusionText(evaluation));
        await writeJson(join(out, RUN_FILES.run), record);
        await rm(join(out, RUN_FILES.checkpoints), { recursive: true, force: true });
        process.stdout.write(runSummary(setup.arch, trained, tuned, evaluation, out));
      } finally {
        process.off('SIGINT', abort);
        process.off('SIGTERM', abort);
        model.dispose();
      }
    });
}

/** When the run first started: kept beside its checkpoints so a resumed run reports its true start. */
async function runStart(out: string): Promise<string> {
  const file = join(out, RUN_FILES.checkpoints, 'started-at');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing !== undefined && !Number.isNaN(Date.parse(existing.trim()))) return existing.trim();
  const now = new Date().toISOString();
  await writeFile(file, now);
  return now;
}

async function sha256File(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

function confusionText(evaluation: Evaluation): string {
  return (
    `shape (test split)\n${renderConfusionMatrix(evaluation.shape.confusion, evaluation.shape.labels)}\n\n` +
    `colour (test split)\n${renderConfusionMatrix(evaluation.colour.confusion, evaluation.colour.labels)}\n`
  );
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
  const p = evaluation.position;
  return (
    `${arch}: best epoch ${trained.bestEpoch} of ${trained.history.length}${stop}${fine}\n` +
    `test (${p.count} images): shape ${pct(evaluation.shape.accuracy)}, colour ${pct(evaluation.colour.accuracy)}, ` +
    `position MAE ${p.maePx.mean.toFixed(2)} px (x ${p.maePx.x.toFixed(2)}, y ${p.maePx.y.toFixed(2)}; ` +
    `Euclidean median ${p.euclideanPx.median.toFixed(2)} px, p90 ${p.euclideanPx.p90.toFixed(2)} px)\n` +
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

/** A finished run is never overwritten; an unfinished one (checkpoint only) is resumed. */
async function refuseFinishedRun(out: string): Promise<void> {
  const runFile = join(out, RUN_FILES.run);
  const exists = await access(runFile).then(
    () => true,
    () => false,
  );
  if (exists)
    throw new UsageError(`--out ${out} already holds a finished run (${runFile}); choose a new directory`);
}

function epochLogger(phase: string) {
  let started = performance.now();
  return (entry: HistoryEntry, progress: EpochProgress) => {
    const seconds = (performance.now() - started) / 1000;
    started = performance.now();
    log(
      `${phase} epoch ${entry.epoch}/${progress.epochs}  loss ${fmt(entry.train.loss)} val ${fmt(entry.val.loss)}` +
        `  val ${summary(entry.val)}  best ${progress.bestEpoch}  lr ${progress.learningRate.toExponential(1)}` +
        `  ${seconds.toFixed(1)} s\n`,
    );
  };
}

function summary(metrics: Record<string, number>): string {
  const pct = (v: number | undefined) => `${((v ?? Number.NaN) * 100).toFixed(2)} %`;
  return `shape ${pct(metrics.shape_acc)}, colour ${pct(metrics.colour_acc)}, position MAE ${fmt(metrics.position_mae, 2)} px`;
}

function fmt(value: number | undefined, digits = 4): string {
  return (value ?? Number.NaN).toFixed(digits);
}

function log(text: string): void {
  process.stderr.write(text);
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}
