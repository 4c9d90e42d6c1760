import { Command } from 'commander';
import { benchAggregateCommand } from './bench-aggregate.js';
import { benchGenerateCommand } from './bench-generate.js';
import { benchQueueCommand } from './bench-queue.js';
import { benchReportCommand } from './bench-report.js';
import { benchStartupCommand } from './bench-startup.js';
import { benchSweepCommand } from './bench-sweep.js';
import { benchTrainCommand } from './bench-train.js';

/** `mtl-bench …`: the benchmarks behind the README's Performance table; each prints figures (never timed tests). */
export function createBenchProgram(): Command {
  const bench = new Command('mtl-bench')
    .description('measure throughput; prints figures for the README')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  bench.addCommand(benchAggregateCommand());
  bench.addCommand(benchGenerateCommand());
  bench.addCommand(benchQueueCommand());
  bench.addCommand(benchReportCommand());
  bench.addCommand(benchStartupCommand());
  bench.addCommand(benchSweepCommand());
  bench.addCommand(benchTrainCommand());
  return bench;
}
