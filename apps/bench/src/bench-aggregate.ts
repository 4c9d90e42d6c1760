import { intOption } from '@repo/cli/options';
import { COLOURS, SHAPES } from '@repo/dataset';
import {
  aggregateRuns,
  evaluateHeads,
  median,
  RUN_RECORD_FORMAT,
  RUN_RECORD_VERSION,
  type RunInput,
} from '@repo/metrics';
import { METRIC_NAMES } from '@repo/model/config';
import { Command } from 'commander';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

interface BenchAggregateOptions {
  runs: number;
  seeds: number;
  repeats: number;
  seed: number;
}

const EPOCHS = 30;
const TEST_SAMPLES = 800;

/** `mtl-bench aggregate`: time to validate and aggregate N synthetic run records (median of repeats). */
export function benchAggregateCommand(): Command {
  return new Command('aggregate')
    .description('measure validating + aggregating run records (ms for N records, one process)')
    .option('--runs <n>', 'run records to aggregate', intOption(1, 1_000_000), 1000)
    .option('--seeds <n>', 'runs per configuration', intOption(1, 1000), 5)
    .option('--repeats <n>', 'measured repetitions (the median is reported)', intOption(1, 1000), 7)
    .option('--seed <n>', 'seed of the synthetic records', intOption(0, 0xffff_ffff), 1)
    .action((options: BenchAggregateOptions) => {
      const inputs = syntheticRuns(options);
      const check = aggregateRuns(inputs); // warm-up, not counted; also checks the records are valid
      if (check.counts.invalid > 0)
        throw new Error(`synthetic record invalid: ${check.invalid[0]!.issues[0]}`);
      const times: number[] = [];
      for (let repeat = 1; repeat <= options.repeats; repeat++) {
        const started = performance.now();
        aggregateRuns(inputs);
        times.push(performance.now() - started);
        process.stderr.write(`  repeat ${repeat}: ${times.at(-1)!.toFixed(1)} ms\n`);
      }
      const { counts, leaderboard } = check;
      process.stdout.write(
        `${median(times).toFixed(1)} ms to validate + aggregate ${options.runs} run records (median of ` +
          `${options.repeats} repeats; ${leaderboard.length} configurations, ${counts.completed} completed, ` +
          `${counts.failed} failed, ${counts.running} running; ${EPOCHS} epochs, ${TEST_SAMPLES} test samples each)\n`,
      );
    });
}

/** Valid records as read from disk: mostly completed, every 20th failed, every 50th still running. */
function syntheticRuns({ runs, seeds, seed }: BenchAggregateOptions): RunInput[] {
  const generator = xoroshiro128plus(seed);
  const random = () => uniformFloat64(generator);
  const inputs: RunInput[] = [];
  for (let i = 0; i < runs; i++) {
    const configIndex = Math.floor(i / seeds);
    const config = {
      arch: configIndex % 2 === 0 ? 'mtl-seed' : 'branches-seed',
      learningRate: 10 ** -(2 + (configIndex % 3)),
      batchSize: 16 * 2 ** (Math.floor(configIndex / 6) % 3),
      dropout: Math.floor(configIndex / 18) / 100,
      seed: i % seeds,
    };
    const common = {
      format: RUN_RECORD_FORMAT,
      version: RUN_RECORD_VERSION,
      runId: `run-${i}`,
      sweepId: 'bench',
      config,
      dataset: { id: 'a'.repeat(64), sha256: 'b'.repeat(64) },
      backend: 'wasm',
      packages: { '@tensorflow/tfjs-core': '4.22.0', '@repo/model': '0.1.0' },
      startedAt: '2025-01-01T00:00:00.000Z',
      history: Array.from({ length: EPOCHS }, (_, e) => ({
        epoch: e + 1,
        train: Object.fromEntries(METRIC_NAMES.map((key) => [key, random()])),
        val: Object.fromEntries(METRIC_NAMES.map((key) => [key, random()])),
      })),
    };
    const endedAt = '2025-01-01T00:10:00.000Z';
    const json =
      i % 50 === 49
        ? { ...common, status: 'running' }
        : i % 20 === 19
          ? { ...common, status: 'failed', endedAt, error: 'synthetic failure' }
          : {
              ...common,
              status: 'completed',
              endedAt,
              test: syntheticEvaluation(random),
              modelPath: `m/${i}`,
            };
    inputs.push({ source: `runs/run-${i}/run.json`, json: JSON.parse(JSON.stringify(json)) });
  }
  return inputs;
}

function syntheticEvaluation(random: () => number) {
  const positions = Array.from({ length: TEST_SAMPLES * 2 }, () => random() * 128);
  const label = (classes: number) =>
    Array.from({ length: TEST_SAMPLES }, () => Math.floor(random() * classes));
  const noisy = (truth: number[], classes: number) =>
    truth.map((value) => (random() < 0.05 ? Math.floor(random() * classes) : value));
  const shapes = label(SHAPES.length);
  const colours = label(COLOURS.length);
  return evaluateHeads({
    imageSize: 128,
    position: { true: positions, pred: positions.map((value) => value + (random() - 0.5) * 10) },
    shape: { true: shapes, pred: noisy(shapes, SHAPES.length), labels: SHAPES },
    colour: { true: colours, pred: noisy(colours, COLOURS.length), labels: COLOURS },
  });
}
