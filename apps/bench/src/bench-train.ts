import { loadavg } from 'node:os';
import { readEnv } from '@repo/cli/env';
import { intOption, numberOption } from '@repo/cli/options';
import {
  ARCHITECTURE_NAMES,
  type ArchitectureName,
  BACKEND_PREFERENCES,
  type BackendPreference,
  initBackend,
  measureTrainingThroughput,
} from '@repo/model';
import { Command, Option } from 'commander';

interface BenchTrainOptions {
  arch: ArchitectureName;
  size: number;
  batch: number;
  width: number;
  steps: number;
  warmup: number;
  backend?: BackendPreference;
}

/** `mtl-bench train`: images/s of full training steps of one architecture (median after warm-up). */
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
    .action(async (options: BenchTrainOptions) => {
      const backend = await initBackend(options.backend ?? readEnv().MTL_BACKEND);
      const result = measureTrainingThroughput({
        arch: options.arch,
        imageSize: options.size,
        batchSize: options.batch,
        widthMultiplier: options.width,
        steps: options.steps,
        warmup: options.warmup,
        onStep: (step, seconds, cpuSeconds) => {
          const rate = (options.batch / seconds).toFixed(1);
          const cpuRate = (options.batch / cpuSeconds).toFixed(1);
          process.stderr.write(`  step ${step}: ${rate} images/s (${cpuRate} per CPU second)\n`);
        },
      });
      process.stdout.write(
        `${options.arch}${options.width === 1 ? '' : ` ×${options.width}`}: ${result.params.toLocaleString('en-US')} params, backend ${backend}\n` +
          `${result.imagesPerSecond.toFixed(1)} images/s (median of ${options.steps} steps after ${options.warmup} ` +
          `warm-up, batch ${options.batch}, ${options.size}×${options.size}, forward + backward + Adam on all three heads)\n` +
          `${result.imagesPerCpuSecond.toFixed(1)} images per CPU second of this process (the rate on a core of its own; ` +
          `load average ${loadAverage()})\n`,
      );
    });
}

/** The 1-minute load average: tells a reader whether other processes shared the cores. */
function loadAverage(): string {
  return (loadavg()[0] ?? 0).toFixed(1);
}
