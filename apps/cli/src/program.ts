import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { findInRepo } from './repo-paths.js';

/**
 * The verbs of `mtl`, each with the one line `mtl --help` shows. A verb's module (and what it
 * imports: Redis clients, TF.js, the web server) is loaded only when that verb runs or its help is
 * asked for, so `mtl --help`, `mtl ls` or `mtl sweep --dry-run` never pay for TF.js.
 */
const VERBS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  generate: {
    summary: 'generate a seeded shapes dataset as .npy shards + manifest.json',
    load: async () => (await import('./commands/generate.js')).generateCommand(),
  },
  dataset: {
    summary: 'verify a generated dataset, or repair its missing and damaged shards',
    load: async () => (await import('./commands/dataset.js')).datasetCommand(),
  },
  preview: {
    summary: 'draw a PNG grid of dataset samples with labels and position dots',
    load: async () => (await import('./commands/preview.js')).previewCommand(),
  },
  train: {
    summary: 'train one trial on a dataset directory and evaluate it on the test split',
    load: async () => (await import('./commands/train.js')).trainCommand(),
  },
  predict: {
    summary: 'predict shape, colour and position for PNG images with a saved model',
    load: async () => (await import('./commands/predict.js')).predictCommand(),
  },
  sweep: {
    summary: 'validate a YAML sweep spec and enqueue its trials (or print them with --dry-run)',
    load: async () => (await import('./commands/sweep.js')).sweepCommand(),
  },
  report: {
    summary: "print or write a sweep's aggregated report (table, JSON or self-contained HTML)",
    load: async () => (await import('./commands/report.js')).reportCommand(),
  },
  serve: {
    summary: 'serve the sweep reports and the queue dashboard over HTTP (the reporter web app)',
    load: async () => (await import('./commands/serve.js')).serveCommand(),
  },
  status: {
    summary: "show a sweep's state and every trial's progress (default: the newest sweep)",
    load: async () => (await import('./commands/status.js')).statusCommand(),
  },
  ls: {
    summary: 'list sweeps, newest first, with state, trials done/failed and best objective',
    load: async () => (await import('./commands/ls.js')).lsCommand(),
  },
  cancel: {
    summary: 'cancel a sweep: remove its waiting trials, stop running ones at their next epoch',
    load: async () => (await import('./commands/cancel.js')).cancelCommand(),
  },
  retry: {
    summary: "re-run a sweep's failed trials under their own ids",
    load: async () => (await import('./commands/retry.js')).retryCommand(),
  },
  workers: {
    summary: 'start worker processes here (generators, trainers, a reporter) until Ctrl-C',
    load: async () => (await import('./commands/workers.js')).workersCommand(),
  },
  demo: {
    summary: 'run examples/quick.yaml end to end here (Redis, workers, sweep, report) and serve its report',
    load: async () => (await import('./commands/demo.js')).demoCommand(),
  },
};

/** The version of this CLI: its package.json's, found above this module (in `src/`, `dist/` or a chunk). */
export function cliVersion(): string {
  const file = findInRepo('package.json', 'the CLI package has no package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/**
 * The `mtl` command tree for argv: the verb argv names (or `mtl help <verb>` asks about) in full,
 * every other verb as its name and summary only.
 */
export async function createProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('mtl')
    .description('multi-task CNN sweeps: generate datasets, train, report')
    .version(cliVersion(), '-V, --version', 'print the version of mtl')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const [first, second] = argv.filter((arg) => !arg.startsWith('-'));
  const wanted = first === 'help' ? second : first;
  for (const [name, verb] of Object.entries(VERBS)) {
    const command = name === wanted ? await verb.load() : new Command(name);
    program.addCommand(command.description(verb.summary));
  }
  return program;
}
