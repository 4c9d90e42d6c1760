import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { openDataset, renderPreview, SPLITS, type SplitName } from '@repo/dataset';
import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { intOption } from '../options.js';

interface PreviewCommandOptions {
  data: string;
  out: string;
  count: number;
  columns: number;
  split: SplitName;
}

/** `mtl preview`: a PNG grid of samples with their labels and the labelled point, like the study's plots. */
export function previewCommand(): Command {
  return new Command('preview')
    .requiredOption('--data <dir>', 'dataset directory (holding manifest.json)')
    .requiredOption('--out <file>', 'PNG file to write')
    .option('--count <n>', 'samples to show', intOption(1, 1000), 10)
    .option('--columns <n>', 'samples per row', intOption(1, 100), 5)
    .addOption(new Option('--split <name>', 'split to show').choices(SPLITS).default('train'))
    .action(async (options: PreviewCommandOptions) => {
      const dataset = await openDataset(resolve(options.data));
      const { shards, count } = dataset.manifest.splits[options.split];
      if (count === 0) throw new UsageError(`the ${options.split} split of ${options.data} is empty`);
      const first = await dataset.readShard(options.split, 0);
      const data =
        first.count >= options.count || shards.length === 1 ? first : await dataset.readSplit(options.split);
      const png = renderPreview(data, { count: options.count, columns: options.columns });
      const out = resolve(options.out);
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, png);
      process.stdout.write(`${Math.min(options.count, data.count)} ${options.split} samples → ${out}\n`);
    });
}
