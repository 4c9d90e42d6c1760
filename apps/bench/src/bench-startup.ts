import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { intOption } from '@repo/cli/options';
import { findInRepo } from '@repo/cli/repo-paths';
import { median } from '@repo/metrics';
import { Command } from 'commander';

interface BenchStartupOptions {
  runs: number;
  spec: string;
}

/** What one whole-process run is timed for: a label and the arguments to `node`. */
interface Case {
  label: string;
  args: string[];
}

/**
 * `mtl-bench startup`: wall time of whole `mtl` processes (start-up, the verb, exit), the median of
 * `--runs` after one warm-up each, side by side with a bare `node -e 0` in the same run (the floor no
 * CLI goes below). `ls` and `status` talk to the Redis at REDIS_URL (default 127.0.0.1:6379).
 */
export function benchStartupCommand(): Command {
  return new Command('startup')
    .description('measure whole-process start-up of mtl --help, ls, status, sweep --dry-run (median of runs)')
    .option('--runs <n>', 'measured runs per command (the median is reported)', intOption(1, 100), 10)
    .option('--spec <file>', 'spec for sweep --dry-run', 'examples/quick.yaml')
    .action((options: BenchStartupOptions) => {
      const mtl = findInRepo(join('apps', 'cli', 'dist', 'main.js'), 'run pnpm build first');
      const cases: Case[] = [
        { label: 'node -e 0 (floor)', args: ['-e', '0'] },
        { label: 'mtl --help', args: [mtl, '--help'] },
        { label: 'mtl --version', args: [mtl, '--version'] },
        { label: 'mtl ls', args: [mtl, 'ls'] },
        { label: 'mtl status', args: [mtl, 'status'] },
        { label: 'mtl sweep --dry-run', args: [mtl, 'sweep', options.spec, '--dry-run'] },
      ];
      const load = loadavg()[0]?.toFixed(1);
      for (const { label, args } of cases) {
        timeOnce(args); // warm-up: file cache, not counted
        const times = Array.from({ length: options.runs }, () => timeOnce(args));
        const sorted = [...times].sort((a, b) => a - b);
        process.stdout.write(
          `${label.padEnd(22)} ${(median(times) * 1000).toFixed(0).padStart(5)} ms median of ${options.runs} ` +
            `(${(sorted[0]! * 1000).toFixed(0)}–${(sorted.at(-1)! * 1000).toFixed(0)} ms)\n`,
        );
      }
      process.stdout.write(`load average ${load} when it started\n`);
    });
}

/** Seconds from spawning `node args` to its exit; its output is discarded (a non-zero exit is fine: `status` with no sweep exits 1). */
function timeOnce(args: string[]): number {
  const started = performance.now();
  spawnSync(process.execPath, args, { stdio: 'ignore' });
  return (performance.now() - started) / 1000;
}
