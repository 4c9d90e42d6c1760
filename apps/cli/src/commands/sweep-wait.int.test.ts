import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArtifactLayout } from '@repo/contracts';
import { loadSweepSpec, planSweep } from '@repo/sweep';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { deleteQueuePrefix } from '../../../../tooling/vitest/queue-prefix.js';
import { ExitCode } from '../errors.js';
import { run } from '../run.js';
import { captureOutput } from '../testing/capture-output.js';
import { tinySweepSpec } from '../testing/tiny-sweep.js';

const CLI = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

const TINY = tinySweepSpec('tiny wait');

// Real processes: `mtl workers` (apps/cli/dist, which starts apps/*/dist: run `pnpm build` first).
describe('mtl sweep --wait with mtl workers (real Redis, real worker processes)', () => {
  let prefix: string;
  let artifacts: string;
  let workers: ChildProcess | undefined;

  beforeEach(async () => {
    prefix = `test-${randomUUID()}`;
    artifacts = await mkdtemp(join(tmpdir(), 'mtl-wait-'));
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    if (workers && workers.exitCode === null) workers.kill('SIGKILL');
    await deleteQueuePrefix(inject('redisUrl'), prefix);
    await rm(artifacts, { recursive: true, force: true });
  });

  it('waits, showing progress, exits 0 once the report is written; the workers stop cleanly on SIGTERM', async () => {
    const file = join(artifacts, 'tiny.yaml');
    await writeFile(file, TINY);
    const plan = planSweep(await loadSweepSpec(file));
    const child = spawn(process.execPath, [CLI, 'workers', '--trainers', '1'], {
      env: {
        ...process.env,
        REDIS_URL: inject('redisUrl'),
        QUEUE_PREFIX: prefix,
        ARTIFACTS_DIR: artifacts,
        DATASET_POLL_MS: '300',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    workers = child;
    let output = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    const { stdout, stderr } = captureOutput();
    const code = await run([
      'sweep',
      file,
      '--wait',
      '--interval',
      '250',
      '--redis',
      inject('redisUrl'),
      '--prefix',
      prefix,
    ]);
    vi.restoreAllMocks();
    expect(code, stderr.join('')).toBe(ExitCode.ok);
    expect(stdout.join('')).toBe(`${plan.sweepId}\n`);
    const progress = stderr.join('');
    expect(progress).toMatch(/^enqueued: tiny wait, 2 trials/);
    expect(progress).toMatch(/t000 +running/);
    expect(progress).toMatch(new RegExp(`${plan.sweepId} \\(tiny wait\\) {2}completed {2}2/2 done`));
    expect(progress).toMatch(/t001 +completed +epoch 1\/1 +val_loss \d/);

    const report = JSON.parse(
      await readFile(new ArtifactLayout(artifacts).reportFile(plan.sweepId, 'json'), 'utf8'),
    );
    expect(report.counts).toMatchObject({ trials: 2, completed: 2, failed: 0 });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toMatch(/^mtl workers: 1 generator, 1 trainer, 1 reporter \(pids \d+ \d+ \d+\)/m);
    expect(output).toMatch(/^\[trainer-1\] +\{.*"msg":"trial recorded"/m);
    expect(output).toMatch(/^\[generator-1\] +\{/m);
    expect(output).toMatch(/^\[reporter-1\] +\{.*"msg":"sweep reported"/m);
    expect(output).toMatch(/mtl workers: all 3 stopped cleanly/);
  });
});
