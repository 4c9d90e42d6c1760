import { Command } from 'commander';
import { benchAggregateCommand } from './bench-aggregate.js';
import { benchGenerateCommand } from './bench-generate.js';
import { benchQueueCommand } from './bench-queue.js';
import { benchReportCommand } from './bench-report.js';
import { benchSweepCommand } from './bench-sweep.js';
import { benchTrainCommand } from './bench-train.js';

/** `mtl bench …`: benchmarks that print figures (never timed tests). */
export function benchCommand(): Command {
  const bench = new Command('bench').description('measure throughput; prints figures for the README');
  bench.addCommand(benchAggregateCommand());
  bench.addCommand(benchGenerateCommand());
  bench.addCommand(benchQueueCommand());
  bench.addCommand(benchReportCommand());
  bench.addCommand(benchSweepCommand());
  bench.addCommand(benchTrainCommand());
  return bench;
}
