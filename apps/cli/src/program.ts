import { Command } from 'commander';
import { benchCommand } from './commands/bench.js';
import { generateCommand } from './commands/generate.js';
import { predictCommand } from './commands/predict.js';
import { previewCommand } from './commands/preview.js';
import { sweepCommand } from './commands/sweep.js';
import { trainCommand } from './commands/train.js';

/** The `mtl` command tree; `main.ts` runs it. */
export function createProgram(): Command {
  const program = new Command('mtl')
    .description('multi-task CNN sweeps: generate datasets, train, report')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  program.addCommand(generateCommand());
  program.addCommand(previewCommand());
  program.addCommand(trainCommand());
  program.addCommand(predictCommand());
  program.addCommand(sweepCommand());
  program.addCommand(benchCommand());
  return program;
}
