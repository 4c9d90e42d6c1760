import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  type DatasetSpec,
  datasetId,
  datasetSpecSchema,
  MANIFEST_FILE,
  openDataset,
  SPLITS,
  shardCount,
  splitCount,
  writeDataset,
} from '@repo/dataset';
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { intOption, numberOption } from '../options.js';

interface GenerateOptions {
  samples: number;
  size: number;
  seed: number;
  shardSize: number;
  test: number;
  valFraction: number;
  out: string;
}

/** `mtl generate`: writes a seeded, sharded, NumPy-readable dataset to a directory (no Redis needed). */
export function generateCommand(): Command {
  return new Command('generate')
    .requiredOption('--samples <n>', 'train + validation images', intOption(1))
    .requiredOption('--seed <n>', 'master seed (uint32)', intOption(0, 0xffff_ffff))
    .requiredOption('--out <dir>', 'output directory (new, empty, or holding this same dataset)')
    .option('--size <px>', 'image side in pixels', intOption(16, 1024), 128)
    .option('--shard-size <n>', 'images per shard', intOption(1), 500)
    .option('--test <n>', 'held-out test images', intOption(0), 800)
    .option('--val-fraction <f>', 'share of --samples used for validation', numberOption(0, 1), 0.2)
    .action(async (options: GenerateOptions) => {
      const spec = parseSpec(options);
      const dir = resolve(options.out);
      await checkOutDir(dir, spec);
      const started = performance.now();
      await writeDataset(spec, dir, {
        onShard: (shard) =>
          process.stderr.write(`  ${shard.split} shard ${shard.index}: ${shard.count} images\n`),
      });
      const seconds = (performance.now() - started) / 1000;
      const total = SPLITS.reduce((sum, split) => sum + splitCount(spec, split), 0);
      const counts = SPLITS.map(
        (s) =>
          `${s} ${splitCount(spec, s)} (${shardCount(spec, s)} shard${shardCount(spec, s) === 1 ? '' : 's'})`,
      ).join(', ');
      process.stdout.write(
        `dataset ${datasetId(spec)}\n` +
          `  ${spec.imageSize}×${spec.imageSize}, seed ${spec.seed}: ${counts}\n` +
          `  written to ${dir} in ${seconds.toFixed(1)} s (${Math.round(total / seconds)} images/s)\n`,
      );
    });
}

function parseSpec(options: GenerateOptions): DatasetSpec {
  const parsed = datasetSpecSchema.safeParse({
    imageSize: options.size,
    samples: options.samples,
    valFraction: options.valFraction,
    test: options.test,
    seed: options.seed,
    shardSize: options.shardSize,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`invalid dataset spec: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

/** Never overwrite someone else's files: the directory must be new, empty, or hold (part of) this dataset. */
async function checkOutDir(dir: string, spec: DatasetSpec): Promise<void> {
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException): string[] => {
    if (error.code === 'ENOENT') return [];
    throw new UsageError(`--out ${dir}: ${error.code === 'ENOTDIR' ? 'not a directory' : error.message}`);
  });
  if (entries.includes(MANIFEST_FILE)) {
    const existing = await openDataset(dir);
    if (existing.manifest.datasetId !== datasetId(spec)) {
      throw new UsageError(
        `--out ${dir} already holds another dataset (${existing.manifest.datasetId}); choose a new directory`,
      );
    }
    return;
  }
  const foreign = entries.find((name) => !/^(train|val|test)-\d{5}-[a-z]+\.npy(\..+\.tmp)?$/.test(name));
  if (foreign !== undefined) {
    throw new UsageError(
      `--out ${dir} is not empty (${join(dir, foreign)}); choose a new or empty directory`,
    );
  }
}
