import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { openDataset } from '@repo/dataset';
import {
  buildModel,
  countParams,
  fineTune,
  type HistoryEntry,
  initBackend,
  parseTrialConfig,
  saveModel,
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
  fineTuneHistory: 'fine-tune-history.json',
  checkpoints: 'checkpoint',
} as const;

/** `mtl train`: one trial, locally, without Redis: train on train, early-stop on val, evaluate on test. */
export function trainCommand(): Command {
  return new Command('train')
    .description('train one trial on a dataset directory and evaluate it on the test split')
    .requiredOption('--data <dir>', 'dataset directory (from `mtl generate`)')
    .requiredOption('--out <dir>', 'run directory; rerunning resumes from its last epoch checkpoint')
    .option('--config <file>', 'trial config (YAML or JSON, flat: arch, learningRate, batchSize, …)')
    .option('--arch <name>', 'architecture (default mtl-seed)')
    .option('--width <x>', 'width multiplier', numberOption(0, 8))
    .option('--epochs <n>', 'most epochs', intOption(1))
    .option('--batch <n>', 'batch size', intOption(1))
    .option('--lr <x>', 'Adam learning rate', numberOption(0))
    .option('--patience <n>', 'early-stopping patience in epochs', intOption(0))
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
      const [trainSplit, valSplit] = [await dataset.readSplit('train'), await dataset.readSplit('val')];
      const model = buildModel(setup.arch, setup.architecture);
      log(
        `training ${setup.arch} (${countParams(model).toLocaleString('en-US')} params) on ${backend}: ` +
          `${trainSplit.count} train, ${valSplit.count} val images of ${dataset.manifest.imageSize} px\n`,
      );
      await mkdir(join(out, RUN_FILES.checkpoints), { recursive: true });
      const controller = new AbortController();
      const abort = () => controller.abort();
      process.once('SIGINT', abort);
      process.once('SIGTERM', abort);
      try {
        const data = { train: trainSplit, val: valSplit };
        const trained = await train(model, data, setup.train, {
          checkpointFile: join(out, RUN_FILES.checkpoints, 'train.ckpt'),
          signal: controller.signal,
          onEpoch: epochLogger('train'),
        });
        if (trained.resumedEpochs > 0) log(`(resumed after epoch ${trained.resumedEpochs})\n`);
        await writeJson(join(out, RUN_FILES.history), trained.history);
        if (setup.train.fineTune) {
          const tuned = await fineTune(model, data, setup.train, {
            checkpointFile: join(out, RUN_FILES.checkpoints, 'fine-tune.ckpt'),
            signal: controller.signal,
            onEpoch: epochLogger('fine-tune'),
          });
          await writeJson(join(out, RUN_FILES.fineTuneHistory), tuned.history);
        }
        await saveModel(model, join(out, RUN_FILES.model));
        const best = trained.history[trained.bestEpoch - 1];
        process.stdout.write(
          `trained ${setup.arch}: best epoch ${trained.bestEpoch} of ${trained.history.length}` +
            `${trained.stoppedEarly ? ' (early stop)' : ''}; val ${best ? summary(best.val) : 'n/a'}\n` +
            `  model saved to ${join(out, RUN_FILES.model)}\n`,
        );
      } finally {
        process.off('SIGINT', abort);
        process.off('SIGTERM', abort);
        model.dispose();
      }
    });
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
  return (entry: HistoryEntry, progress: { epochs: number; bestEpoch: number }) => {
    const seconds = (performance.now() - started) / 1000;
    started = performance.now();
    log(
      `${phase} epoch ${entry.epoch}/${progress.epochs}  loss ${fmt(entry.train.loss)} val ${fmt(entry.val.loss)}` +
        `  val ${summary(entry.val)}  best ${progress.bestEpoch}  ${seconds.toFixed(1)} s\n`,
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
