import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { intOption } from '@repo/cli/options';
import { findInRepo } from '@repo/cli/repo-paths';
import { renderReportTable } from '@repo/cli/report-table';
import { startWorker, stopWorkers } from '@repo/cli/worker-processes';
import {
  ArtifactLayout,
  createRedis,
  freeLoopbackPort,
  PipelineProducer,
  SweepStatusReader,
  waitForRedis,
} from '@repo/contracts';
import { median } from '@repo/metrics';
import { loadReport, writeSyntheticSweep } from '@repo/report-view';
import { Command } from 'commander';
import type { Redis } from 'ioredis';

const run = promisify(execFile);
// The built `mtl`, timed as a whole process.
const MTL = findInRepo(join('apps', 'cli', 'dist', 'main.js'), 'run pnpm build first');
const discard = new Writable({ write: (_chunk, _encoding, done) => done() });

interface BenchReportOptions {
  trials: string;
  runs: number;
  redis: string;
  chromium: string;
}

/** `mtl-bench report`: a report's cost at 1,000 and 5,000 finished trials, on disk and in Redis. */
export function benchReportCommand(): Command {
  return new Command('report')
    .description('measure report pages, mtl status and mtl report on synthetic sweeps of many trials')
    .option('--trials <list>', 'sweep sizes, comma-separated', '1000,5000')
    .option('--runs <n>', 'measured runs of each figure (medians are reported)', intOption(1, 50), 5)
    .option('--redis <url>', 'Redis URL', process.env.REDIS_URL || 'redis://127.0.0.1:6379')
    .option('--chromium <path>', 'the browser timed to a visible leaderboard', '/usr/bin/chromium')
    .action(async (options: BenchReportOptions) => {
      const sizes = options.trials.split(',').map((size) => intOption(1, 100_000)(size));
      const redis = createRedis(options.redis);
      const root = await mkdtemp(join(tmpdir(), 'mtl-bench-report-'));
      const prefix = `mtl-bench-${randomUUID()}`;
      try {
        await waitForRedis(redis, options.redis, 5_000);
        for (const trials of sizes) await measureSize(trials, root, prefix, redis, options);
      } finally {
        await deleteKeys(redis, prefix);
        redis.disconnect();
        await rm(root, { recursive: true, force: true });
      }
    });
}

async function measureSize(
  trials: number,
  root: string,
  prefix: string,
  redis: Redis,
  options: BenchReportOptions,
) {
  const layout = new ArtifactLayout(root);
  const sweepId = `bench-report-${trials}`;
  const say = (line: string) => process.stderr.write(`  ${trials}: ${line}\n`);
  let started = performance.now();
  await writeSyntheticSweep(layout, { sweepId, trials });
  say(
    `wrote ${trials} finished trials and their report in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  // The same sweep enqueued in Redis (every trial waiting), for `mtl status`.
  const producer = new PipelineProducer(redis, { prefix });
  started = performance.now();
  await producer.enqueueSweep({
    sweepId: `${sweepId}-queued`,
    dataset: { samples: 2000, seed: 1 },
    trials: Array.from({ length: trials }, (_, i) => ({
      trialId: `t${i}`,
      config: { arch: 'mtl-seed' },
      seed: i % 3,
    })),
  });
  await producer.close();
  say(`enqueued ${trials} trials in ${Math.round(performance.now() - started)} ms`);

  const env = { ...process.env, ARTIFACTS_DIR: root, REDIS_URL: options.redis, QUEUE_PREFIX: prefix };
  const timed = async (args: string[]) => {
    const begin = performance.now();
    await run(process.execPath, [MTL, ...args], { env, maxBuffer: 1 << 30 }).catch(
      (error: Error & { stderr?: string }) => {
        throw new Error(`mtl ${args.join(' ')} failed: ${error.stderr || error.message}`);
      },
    );
    return performance.now() - begin;
  };
  const figures: [string, number[], string][] = [];
  const repeat = async (label: string, target: string, once: () => Promise<number>) => {
    say(`${label}…`);
    await once(); // warm-up: file cache, JIT
    const times: number[] = [];
    for (let i = 0; i < options.runs; i++) times.push(await once());
    figures.push([label, times, target]);
  };
  await repeat('mtl status (whole process)', '≤ 500 ms', () => timed(['status', `${sweepId}-queued`]));
  // The same work in this process: what the command costs beyond the CLI's own start-up.
  const reader = new SweepStatusReader(redis, prefix);
  await repeat('  of which reading the status (in process)', '', async () => {
    const begin = performance.now();
    await reader.status(`${sweepId}-queued`);
    return performance.now() - begin;
  });
  await reader.close();
  await repeat('  of which loading + rendering the report table (in process)', '', async () => {
    const begin = performance.now();
    renderReportTable((await loadReport(layout, sweepId)).summary);
    return performance.now() - begin;
  });
  for (const format of ['table', 'json', 'html'])
    await repeat(`mtl report --format ${format} (whole process)`, format === 'table' ? '≤ 1000 ms' : '', () =>
      timed(['report', sweepId, '--format', format, '--out', join(root, `out.${format}`)]),
    );

  const port = await freeLoopbackPort();
  const server = startWorker('reporter', {
    name: 'reporter',
    env,
    args: ['--mode', 'server', '--host', '127.0.0.1', '--port', String(port)],
    output: { kind: 'lines', prefix: '[reporter] ', stdout: discard, stderr: process.stderr },
  });
  try {
    const url = `http://127.0.0.1:${port}/sweeps/${sweepId}`;
    await server.ready;
    let bytes = 0;
    await repeat('sweep page: server time (request to last byte)', '≤ 1000 ms', async () => {
      const begin = performance.now();
      bytes = (await (await fetch(url)).arrayBuffer()).byteLength;
      return performance.now() - begin;
    });
    const assets = await assetBytes(`http://127.0.0.1:${port}`);
    say(`first load: page ${kb(bytes)} + assets ${kb(assets)} = ${kb(bytes + assets)} (target ≤ 1 MB)`);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: options.chromium,
      args: ['--no-sandbox', '--disable-gpu'],
    });
    try {
      await repeat('Chromium: navigation to a visible leaderboard', '≤ 3000 ms', async () => {
        const context = await browser.newContext(); // no cache carried over
        const page = await context.newPage();
        const begin = performance.now();
        await page.goto(url, { waitUntil: 'commit' });
        await page.locator('[data-testid="leaderboard-row"]').first().waitFor({ state: 'visible' });
        const elapsed = performance.now() - begin;
        await context.close();
        return elapsed;
      });
    } finally {
      await browser.close();
    }
    process.stdout.write(
      `\n${trials} finished trials (${Math.ceil(trials / 3)} configurations × 3 seeds), median of ${options.runs}:\n`,
    );
    process.stdout.write(
      `  sweep page first load: ${kb(bytes)} HTML + ${kb(assets)} scripts and styles (target ≤ 1 MB)\n`,
    );
    for (const [label, times, target] of figures)
      process.stdout.write(
        `  ${label}: ${Math.round(median(times))} ms (${Math.round(Math.min(...times))}–${Math.round(Math.max(...times))})${target ? `; target ${target}` : ''}\n`,
      );
  } finally {
    await stopWorkers([server], 'SIGTERM');
  }
}

/** Bytes of the scripts and styles a sweep page links (Chart.js, the page script and styles). */
async function assetBytes(base: string): Promise<number> {
  let total = 0;
  for (const file of ['chart.umd.min.js', 'report.js', 'report.css'])
    total += (await (await fetch(`${base}/assets/${file}`)).arrayBuffer()).byteLength;
  return total;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

/** Removes every key this benchmark wrote under its own prefix. */
async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
