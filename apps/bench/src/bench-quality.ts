import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { intOption } from '@repo/cli/options';
import { findInRepo } from '@repo/cli/repo-paths';
import { mean, parseRunRecord, sampleStd } from '@repo/metrics';
import { Command, InvalidArgumentError } from 'commander';

const execFileAsync = promisify(execFile);
const MTL = findInRepo(join('apps', 'cli', 'dist', 'main.js'), 'run pnpm build first');

interface BenchQualityOptions {
  threads: number[];
  seeds: number[];
  samples: number;
  test: number;
  size: number;
  epochs: number;
  patience: number;
}

/** One run's test figures: position MAE (px, mean of x and y), shape and colour accuracy. */
export interface QualityRun {
  threads: number;
  seed: number;
  maePx: number;
  shape: number;
  colour: number;
  minutes: number;
}

/**
 * `mtl-bench quality`: the protocol's training (mtl-seed, Adam 1e-3, batch 16, early stopping)
 * shortened, with each thread count and seed on one generated dataset, through `mtl train`; prints
 * each run's test figures, each count's mean ± std over seeds, and the gap between counts beside the
 * seed noise.
 */
export function benchQualityCommand(): Command {
  return new Command('quality')
    .description(
      'model quality with each wasm thread count on a short protocol run (test figures, seed noise)',
    )
    .option('--threads <list>', 'wasm thread counts, comma-separated', wholeList, [1, 2])
    .option('--seeds <list>', 'training seeds, comma-separated', wholeList, [1, 2, 3])
    .option('--samples <n>', 'train + validation images (the protocol: 2,500)', intOption(10), 1000)
    .option('--test <n>', 'held-out test images (the protocol: 800)', intOption(1), 400)
    .option('--size <px>', 'image side (the protocol: 128)', intOption(93, 1024), 128)
    .option('--epochs <n>', 'most epochs (the protocol: 100)', intOption(1, 1000), 6)
    .option('--patience <n>', 'early-stopping patience (the protocol: 6)', intOption(1, 1000), 6)
    .action(async (options: BenchQualityOptions) => {
      const dir = await mkdtemp(join(tmpdir(), 'mtl-bench-quality-'));
      try {
        const data = join(dir, 'data');
        await mtl([
          'generate',
          ...['--samples', String(options.samples), '--test', String(options.test)],
          ...['--size', String(options.size), '--seed', '1', '--out', data],
        ]);
        const runs: QualityRun[] = [];
        const loads: number[] = [];
        for (const seed of options.seeds) {
          // Counts alternate seed by seed, so a drift in the machine's load does not favour one.
          const order = runs.length % 2 === 0 ? options.threads : [...options.threads].reverse();
          for (const threads of order) {
            loads.push(loadavg()[0] ?? 0);
            const run = await trainOnce(data, join(dir, `t${threads}-s${seed}`), options, threads, seed);
            runs.push(run);
            process.stderr.write(`  ${runLine(run)}\n`);
          }
        }
        process.stdout.write(
          `mtl-seed, ${options.samples} train + val and ${options.test} test images of ${options.size} px, ` +
            `at most ${options.epochs} epochs (patience ${options.patience}), seeds ${options.seeds.join(', ')}; ` +
            `load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}\n` +
            `${qualityLines(runs).join('\n')}\n`,
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
}

async function trainOnce(
  data: string,
  out: string,
  options: BenchQualityOptions,
  threads: number,
  seed: number,
): Promise<QualityRun> {
  const started = performance.now();
  await mtl([
    'train',
    ...['--data', data, '--out', out, '--arch', 'mtl-seed', '--lr', '0.001', '--batch', '16'],
    ...['--epochs', String(options.epochs), '--patience', String(options.patience)],
    ...['--seed', String(seed), '--threads', String(threads)],
  ]);
  const record = parseRunRecord(JSON.parse(await readFile(join(out, 'run.json'), 'utf8')), out);
  if (record.status !== 'completed')
    throw new Error(`the run with ${threads} thread(s), seed ${seed}: ${record.status}`);
  if (record.threads !== undefined && record.threads !== threads)
    throw new Error(`${threads} thread(s) asked, the run recorded ${record.threads}`);
  return {
    threads,
    seed,
    maePx: record.test.position.maePx.mean,
    shape: record.test.shape.accuracy,
    colour: record.test.colour.accuracy,
    minutes: (performance.now() - started) / 60_000,
  };
}

function runLine(run: QualityRun): string {
  return (
    `${run.threads} thread(s), seed ${run.seed}: position MAE ${run.maePx.toFixed(2)} px, shape ` +
    `${(100 * run.shape).toFixed(1)} %, colour ${(100 * run.colour).toFixed(1)} % (${run.minutes.toFixed(1)} min)`
  );
}

/**
 * Per thread count: every seed's figures, their mean ± sample std; then each count's mean minus the
 * first count's, beside the larger of the two seed stds (the noise a difference must clear).
 */
export function qualityLines(runs: readonly QualityRun[]): string[] {
  const counts = [...new Set(runs.map((run) => run.threads))];
  const heads = [
    { name: 'position MAE', unit: ' px', scale: 1, get: (run: QualityRun) => run.maePx },
    { name: 'shape', unit: ' %', scale: 100, get: (run: QualityRun) => run.shape },
    { name: 'colour', unit: ' %', scale: 100, get: (run: QualityRun) => run.colour },
  ];
  const stats = (threads: number, get: (run: QualityRun) => number) => {
    const values = runs.filter((run) => run.threads === threads).map(get);
    return { values, mean: mean(values), std: sampleStd(values) };
  };
  const lines = counts.map((threads) => {
    const parts = heads.map(({ name, unit, scale, get }) => {
      const { values, mean: m, std } = stats(threads, get);
      const each = values.map((v) => (v * scale).toFixed(scale === 1 ? 2 : 1)).join(', ');
      const spread = std === null ? '' : ` ± ${(std * scale).toFixed(2)}`;
      return `${name} ${(m * scale).toFixed(2)}${spread}${unit} (${each})`;
    });
    return `${String(threads).padStart(3)} thread(s): ${parts.join('; ')}`;
  });
  const base = counts[0];
  if (base === undefined) return lines;
  for (const threads of counts.slice(1)) {
    const parts = heads.map(({ name, unit, scale, get }) => {
      const a = stats(base, get);
      const b = stats(threads, get);
      const noise = Math.max(a.std ?? Number.NaN, b.std ?? Number.NaN);
      const gap = `${(b.mean - a.mean) * scale >= 0 ? '+' : ''}${((b.mean - a.mean) * scale).toFixed(2)}${unit}`;
      return `${name} ${gap} (seed std ${Number.isNaN(noise) ? 'n/a' : `${(noise * scale).toFixed(2)}${unit}`})`;
    });
    lines.push(`${threads} − ${base} thread(s): ${parts.join('; ')}`);
  }
  return lines;
}

async function mtl(args: string[]): Promise<void> {
  await execFileAsync(process.execPath, [MTL, ...args], {
    maxBuffer: 16 << 20,
    env: { ...process.env, MTL_BACKEND: 'wasm' },
  });
}

function wholeList(value: string): number[] {
  const list = value.split(',').map((part) => Number(part.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 0))
    throw new InvalidArgumentError(`expected whole numbers separated by commas, got "${value}"`);
  if (new Set(list).size !== list.length) throw new InvalidArgumentError(`each value once, got "${value}"`);
  return list;
}
