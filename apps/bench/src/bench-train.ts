import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readEnv } from '@repo/cli/env';
import { intOption, numberOption } from '@repo/cli/options';
import {
  ARCHITECTURE_NAMES,
  type ArchitectureName,
  BACKEND_PREFERENCES,
  type BackendPreference,
  backendThreads,
  buildModel,
  countParams,
  initBackend,
  measureTrainingThroughput,
  SINGLE_TASK_ARCHITECTURE_NAMES,
} from '@repo/model';
import { Command, InvalidArgumentError, Option } from 'commander';
import { findTorch, measureTorch, type RoundResult } from './torch-train.js';

interface BenchTrainOptions {
  arch: ArchitectureName;
  size: number;
  batch: number;
  width: number;
  steps: number;
  warmup: number;
  backend?: BackendPreference;
  threads: number[];
  rounds: number;
  /** false with `--no-torch`. */
  torch: boolean;
  python?: string;
  json?: boolean;
  params?: boolean;
}

const execFileAsync = promisify(execFile);

/**
 * `mtl-bench train`: images/s of full training steps of one architecture (median after warm-up).
 * With several `--threads` counts, or PyTorch beside it (mtl-seed, when a Python imports torch), a
 * process per count, backend and round, the order alternating, so that each sees the same load;
 * medians over every timed step of a count, each count's ratio to the first, and wasm ÷ PyTorch.
 */
export function benchTrainCommand(): Command {
  return new Command('train')
    .description('measure training throughput: forward + backward + Adam on all three heads (images/s)')
    .addOption(new Option('--arch <name>', 'architecture').choices(ARCHITECTURE_NAMES).default('mtl-seed'))
    .option('--size <px>', 'image side in pixels', intOption(8, 1024), 128)
    .option('--batch <n>', 'images per step', intOption(1, 4096), 16)
    .option('--width <x>', 'width multiplier of the architecture', numberOption(0.05, 8), 1)
    .option('--steps <n>', 'timed steps (the median is reported)', intOption(1, 10_000), 10)
    .option('--warmup <n>', 'untimed steps first', intOption(0, 1000), 2)
    .addOption(
      new Option('--backend <name>', 'TF.js backend (default: MTL_BACKEND, else auto)').choices(
        BACKEND_PREFERENCES,
      ),
    )
    .option(
      '--threads <list>',
      'wasm threads, or a comma-separated list to compare (e.g. 1,2)',
      threadList,
      [1],
    )
    .option('--rounds <n>', 'rounds of --steps per thread count when comparing', intOption(1, 100), 3)
    .option('--no-torch', 'no PyTorch side-by-side (default: beside mtl-seed when a Python imports torch)')
    .option('--python <path>', 'the Python with torch (default: python3, then /usr/bin/python3)')
    .option(
      '--params',
      'print the parameter count of every architecture (single-task baselines too) at --size and --width, then exit',
    )
    .addOption(new Option('--json', 'print one JSON line of the step times (one thread count)').hideHelp())
    .action(async (options: BenchTrainOptions) => {
      if (options.params) {
        await initBackend(options.backend ?? readEnv().MTL_BACKEND);
        process.stdout.write(parameterCounts(options.size, options.width));
        return;
      }
      const side = options.torch && !options.json && options.arch === 'mtl-seed';
      const torch = side ? await findTorch(options.python) : undefined;
      if (torch !== undefined && 'missing' in torch)
        process.stderr.write(`  PyTorch side-by-side skipped: ${torch.missing}\n`);
      const python = torch !== undefined && 'python' in torch ? torch.python : undefined;
      if (options.threads.length > 1 || python !== undefined) return compareThreads(options, python);
      const threads = options.threads[0] ?? 1;
      const backend = await initBackend(options.backend ?? readEnv().MTL_BACKEND, { threads });
      const result = measureTrainingThroughput({
        arch: options.arch,
        imageSize: options.size,
        batchSize: options.batch,
        widthMultiplier: options.width,
        steps: options.steps,
        warmup: options.warmup,
        onStep: options.json
          ? undefined
          : (step, seconds, cpuSeconds) => {
              const rate = (options.batch / seconds).toFixed(1);
              const cpuRate = (options.batch / cpuSeconds).toFixed(1);
              process.stderr.write(`  step ${step}: ${rate} images/s (${cpuRate} per CPU second)\n`);
            },
      });
      const inUse = backendThreads();
      if (options.json) {
        const round: RoundResult = {
          backend,
          threads: inUse ?? null,
          params: result.params,
          stepSeconds: result.stepSeconds,
        };
        process.stdout.write(`${JSON.stringify(round)}\n`);
        return;
      }
      process.stdout.write(
        `${title(options, result.params)}, backend ${backend}${threadsNote(inUse)}\n` +
          `${result.imagesPerSecond.toFixed(1)} images/s (median of ${options.steps} steps after ${options.warmup} ` +
          `warm-up, batch ${options.batch}, ${options.size}×${options.size}, forward + backward + Adam on all three heads)\n` +
          `${result.imagesPerCpuSecond.toFixed(1)} images per CPU second of this process (the rate on a core ` +
          `of its own when it runs one thread; load average ${loadAverage()})\n`,
      );
    });
}

/**
 * Alternates one measuring process per thread count (and, with `python`, a PyTorch one beside each),
 * round by round, the order flipped each round.
 */
async function compareThreads(options: BenchTrainOptions, python?: string): Promise<void> {
  const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
  const wasmSteps = new Map<number, number[]>(options.threads.map((n) => [n, []]));
  const torchSteps = new Map<number, number[]>(options.threads.map((n) => [n, []]));
  const loads: number[] = [];
  let first: RoundResult | undefined;
  let torchName: string | undefined;
  for (let round = 1; round <= options.rounds; round++) {
    const order = round % 2 === 1 ? options.threads : [...options.threads].reverse();
    for (const threads of order) {
      const sides = python === undefined ? ['wasm'] : round % 2 === 1 ? ['wasm', 'torch'] : ['torch', 'wasm'];
      for (const side of sides) {
        loads.push(loadavg()[0] ?? 0);
        const result =
          side === 'wasm'
            ? await measureInChild(entry, options, threads)
            : await measureTorch(python ?? 'python3', torchStep(options, threads));
        if (side === 'wasm') first ??= result;
        else torchName ??= result.backend;
        if (result.threads !== null && result.threads !== threads)
          process.stderr.write(
            `  note: ${threads} threads asked, ${result.backend} holds ${result.threads}\n`,
          );
        (side === 'wasm' ? wasmSteps : torchSteps).get(threads)?.push(...result.stepSeconds);
        const rate = options.batch / median(result.stepSeconds);
        process.stderr.write(
          `  round ${round}, ${threads} thread(s), ${result.backend}: ${rate.toFixed(1)} images/s\n`,
        );
      }
    }
  }
  const rate = (steps: Map<number, number[]>, n: number) => options.batch / median(steps.get(n) ?? []);
  const lines = options.threads.map((n, i) => {
    const wasm = rate(wasmSteps, n);
    const base = options.threads[0] ?? 1;
    const ratio = (steps: Map<number, number[]>) =>
      i === 0 ? '' : ` ×${(rate(steps, n) / rate(steps, base)).toFixed(2)} of ${base} thread(s)`;
    const torch =
      python === undefined
        ? ''
        : `; ${torchName ?? 'pytorch'} ${rate(torchSteps, n).toFixed(1)} images/s${ratio(torchSteps)}; ` +
          `wasm ÷ pytorch ${(wasm / rate(torchSteps, n)).toFixed(2)}`;
    return `${String(n).padStart(3)} thread(s): wasm ${wasm.toFixed(1)} images/s${ratio(wasmSteps)}${torch}`;
  });
  const beside =
    python === undefined ? '' : `, ${torchName ?? 'pytorch'} beside it (same model, batch and step, CPU)`;
  process.stdout.write(
    `${title(options, first?.params ?? 0)}, backend ${first?.backend ?? '?'}${beside}\n` +
      `${lines.join('\n')}\n` +
      `(medians of ${options.rounds} × ${options.steps} steps a count${python === undefined ? '' : ' and backend'}, ` +
      `each round a fresh process after ${options.warmup} warm-up, order alternating; batch ${options.batch}, ` +
      `${options.size}×${options.size}; load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)})\n`,
  );
}

function torchStep(options: BenchTrainOptions, threads: number) {
  const { size, batch, width, steps, warmup } = options;
  return { threads, size, batch, width, steps, warmup };
}

async function measureInChild(
  entry: string,
  options: BenchTrainOptions,
  threads: number,
): Promise<RoundResult> {
  const args = [
    entry,
    'train',
    '--json',
    ...['--arch', options.arch, '--size', String(options.size), '--batch', String(options.batch)],
    ...[
      '--width',
      String(options.width),
      '--steps',
      String(options.steps),
      '--warmup',
      String(options.warmup),
    ],
    ...['--threads', String(threads)],
    ...(options.backend ? ['--backend', options.backend] : []),
  ];
  const { stdout } = await execFileAsync(process.execPath, args, { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as RoundResult;
}

function threadList(value: string): number[] {
  const counts = value.split(',').map((part) => Number(part.trim()));
  if (counts.length === 0 || counts.some((n) => !Number.isInteger(n) || n < 1))
    throw new InvalidArgumentError(`expected whole numbers ≥ 1 separated by commas, got "${value}"`);
  if (new Set(counts).size !== counts.length)
    throw new InvalidArgumentError(`each thread count once, got "${value}"`);
  return counts;
}

/**
 * Each architecture's parameters, then the three single-task baselines together against mtl-seed:
 * the study's claim is one shared model in place of three.
 */
function parameterCounts(imageSize: number, widthMultiplier: number): string {
  const count = (arch: string) => {
    const model = buildModel(arch, { imageSize, widthMultiplier, seed: 1 });
    const params = countParams(model);
    model.dispose();
    return params;
  };
  const names = [...ARCHITECTURE_NAMES, ...SINGLE_TASK_ARCHITECTURE_NAMES];
  const counts = new Map(names.map((arch) => [arch, count(arch)]));
  const width = Math.max(...names.map((arch) => arch.length));
  const format = (n: number) => n.toLocaleString('en-US');
  const lines = names.map((arch) => `${arch.padEnd(width)}  ${format(counts.get(arch) ?? 0).padStart(9)}`);
  const single = SINGLE_TASK_ARCHITECTURE_NAMES.reduce((sum, arch) => sum + (counts.get(arch) ?? 0), 0);
  const shared = counts.get('mtl-seed') ?? 0;
  return (
    `parameters at ${imageSize}×${imageSize}${widthMultiplier === 1 ? '' : `, width ×${widthMultiplier}`}\n` +
    `${lines.join('\n')}\n` +
    `the three single-task models together: ${format(single)} (${(single / shared).toFixed(2)}× mtl-seed's ${format(shared)}, ` +
    `${format(single - shared)} more)\n`
  );
}

function title(options: BenchTrainOptions, params: number): string {
  return `${options.arch}${options.width === 1 ? '' : ` ×${options.width}`}: ${params.toLocaleString('en-US')} params`;
}

function threadsNote(threads: number | undefined): string {
  return threads === undefined ? '' : `, ${threads} thread${threads === 1 ? '' : 's'}`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The 1-minute load average: tells a reader whether other processes shared the cores. */
function loadAverage(): string {
  return (loadavg()[0] ?? 0).toFixed(1);
}
