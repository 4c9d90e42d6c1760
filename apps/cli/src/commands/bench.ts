import { Command } from 'commander';

/** `mtl bench …`: benchmarks that print figures (never timed tests). */
export function benchCommand(): Command {
  return new Command('bench').description('measure throughput; prints figures for the README');
}
