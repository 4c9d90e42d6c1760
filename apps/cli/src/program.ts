import { Command } from 'commander';
import { benchCommand } from './commands/bench.js';
import { cancelCommand } from './commands/cancel.js';
import { demoCommand } from './commands/demo.js';
import { generateCommand } from './commands/generate.js';
import { lsCommand } from './commands/ls.js';
import { predictCommand } from './commands/predict.js';
import { previewCommand } from './commands/preview.js';
import { reportCommand } from './commands/report.js';
import { retryCommand } from './commands/retry.js';
import { serveCommand } from './commands/serve.js';
import { statusCommand } from './commands/status.js';
import { sweepCommand } from './commands/sweep.js';
import { trainCommand } from './commands/train.js';
import { workersCommand } from './commands/workers.js';

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
  program.addCommand(reportCommand());
  program.addCommand(serveCommand());
  program.addCommand(statusCommand());
  program.addCommand(lsCommand());
  program.addCommand(cancelCommand());
  program.addCommand(retryCommand());
  program.addCommand(workersCommand());
  program.addCommand(demoCommand());
  program.addCommand(benchCommand());
  return program;
}
