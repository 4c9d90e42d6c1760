import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redisAnswers } from '@repo/contracts';
import { loadSweepSpec, planSweep } from '@repo/sweep';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { deleteQueuePrefix } from '../../../../tooling/vitest/queue-prefix.js';
import { tinySweepSpec } from '../testing/tiny-sweep.js';

const CLI = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

const TINY = tinySweepSpec('tiny demo');

interface Demo {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Resolves with the first match of `pattern` in the output so far or to come. */
  waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>;
}

function startDemo(args: string[], env: Record<string, string>): Demo {
  const child = spawn(process.execPath, [CLI, 'demo', ...args], {
    env: { ...process.env, DATASET_POLL_MS: '300', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters: (() => void)[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      for (const wake of waiters) wake();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const look = () => {
        const match = output.match(pattern);
        if (match) resolve(match);
      };
      waiters.push(look);
      exited.then(() => reject(new Error(`demo exited before ${pattern}:\n${output}`)));
      look();
    });
  return { child, output: () => output, exited, waitFor };
}

describe('mtl demo (real Redis, real worker processes)', () => {
  let dir: string;
  let spec: string;
  let prefix: string;
  let demo: Demo | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mtl-demo-'));
    spec = join(dir, 'tiny.yaml');
    await writeFile(spec, TINY);
    prefix = `test-${randomUUID()}`;
  });

  afterEach(async () => {
    // The demo stops its workers itself; SIGKILL only if a failed test left it running.
    if (demo && demo.child.exitCode === null) demo.child.kill('SIGKILL');
    demo = undefined;
    await deleteQueuePrefix(inject('redisUrl'), prefix);
    await rm(dir, { recursive: true, force: true });
  });

  it('without a Redis at REDIS_URL starts its own, runs the sweep, prints the summary and stops it (--no-serve)', async () => {
    const artifacts = join(dir, 'artifacts');
    demo = startDemo(['--no-serve', '--spec', spec, '--trainers', '1', '--artifacts', artifacts], {
      REDIS_URL: 'redis://127.0.0.1:1',
      QUEUE_PREFIX: prefix,
    });
    const [, localUrl] = await demo.waitFor(/started redis-server at (redis:\/\/127\.0\.0\.1:\d+)/);
    expect(await demo.exited, demo.output()).toBe(0);
    const { sweepId } = planSweep(await loadSweepSpec(spec));
    expect(demo.output()).toContain(
      `sweep ${sweepId} (tiny demo): completed; trials 2, completed 2, failed 0`,
    );
    expect(demo.output()).toMatch(/shape, best configuration/);
    expect(demo.output()).toContain(`mtl report ${sweepId}`);
    expect(await redisAnswers(localUrl as string)).toBe(false);
  });

  it('serves the report until Ctrl-C, then stops everything and exits 0', async () => {
    demo = startDemo(['--spec', spec, '--trainers', '1', '--port', '0', '--prefix', prefix], {
      REDIS_URL: inject('redisUrl'),
      ARTIFACTS_DIR: join(dir, 'artifacts'),
    });
    const [, url] = await demo.waitFor(/report: (http:\/\/127\.0\.0\.1:\d+\/sweeps\/\S+)/);
    const { sweepId } = planSweep(await loadSweepSpec(spec));
    expect(url).toMatch(new RegExp(`/sweeps/${sweepId}$`));
    const page = await fetch(url as string);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(sweepId);

    demo.child.kill('SIGINT');
    expect(await demo.exited, demo.output()).toBe(0);
    await expect(fetch(url as string)).rejects.toThrow();
  });

  it('a second demo after its artifacts were removed runs the sweep again from scratch', async () => {
    const artifacts = join(dir, 'artifacts');
    const args = [
      '--no-serve',
      '--spec',
      spec,
      '--trainers',
      '1',
      '--artifacts',
      artifacts,
      '--prefix',
      prefix,
    ];
    const env = { REDIS_URL: inject('redisUrl') };
    demo = startDemo(args, env);
    expect(await demo.exited, demo.output()).toBe(0);
    const { sweepId } = planSweep(await loadSweepSpec(spec));
    await rm(artifacts, { recursive: true });

    demo = startDemo(args, env);
    expect(await demo.exited, demo.output()).toBe(0);
    expect(demo.output()).toContain(
      `mtl demo: a run of it before left no files (report.json and 2 of 2 completed trials' run.json are not under ${join(artifacts, 'sweeps', sweepId)}): running it from scratch`,
    );
    expect(demo.output()).toContain(
      `sweep ${sweepId} (tiny demo): completed; trials 2, completed 2, failed 0`,
    );
  });
});
