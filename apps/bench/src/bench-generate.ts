import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { intOption } from '@repo/cli/options';
import { type DatasetSpec, datasetSpecSchema, writeDataset } from '@repo/dataset';
import { median } from '@repo/metrics';
import { Command } from 'commander';

interface BenchGenerateOptions {
  samples: number;
  runs: number;
  size: number;
  shardSize: number;
}

/** `mtl-bench generate`: images/s of generation + shard writing in this one process (median of runs). */
export function benchGenerateCommand(): Command {
  return new Command('generate')
    .description('measure dataset generation + shard writing throughput (images/s, one process)')
    .option('--samples <n>', 'images per run', intOption(1), 2000)
    .option('--runs <n>', 'measured runs (the median is reported)', intOption(1, 100), 5)
    .option('--size <px>', 'image side in pixels', intOption(16, 1024), 128)
    .option('--shard-size <n>', 'images per shard', intOption(1), 500)
    .action(async (options: BenchGenerateOptions) => {
      const spec = datasetSpecSchema.parse({
        imageSize: options.size,
        samples: options.samples,
        valFraction: 0,
        test: 0,
        seed: 1,
        shardSize: options.shardSize,
      });
      await timeRun({ ...spec, samples: Math.min(spec.samples, spec.shardSize) }); // warm-up, not counted
      const rates: number[] = [];
      for (let run = 1; run <= options.runs; run++) {
        const seconds = await timeRun({ ...spec, seed: run });
        rates.push(spec.samples / seconds);
        process.stderr.write(`  run ${run}: ${Math.round(rates.at(-1)!)} images/s\n`);
      }
      process.stdout.write(
        `${Math.round(median(rates))} images/s (median of ${options.runs} runs of ${spec.samples} ` +
          `${spec.imageSize}×${spec.imageSize} images, generation + shard writing, one process)\n`,
      );
    });
}

/** Seconds to generate and write `spec` into a fresh temporary directory (removed afterwards). */
async function timeRun(spec: DatasetSpec): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'mtl-bench-generate-'));
  try {
    const started = performance.now();
    await writeDataset(spec, dir);
    return (performance.now() - started) / 1000;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
