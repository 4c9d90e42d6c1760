import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  connectFastFail,
  freeLoopbackPort,
  type LocalRedis,
  PipelineProducer,
  startLocalRedis,
} from '@repo/contracts';
import { writeSweepFixture } from '@repo/report-view/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findInRepo } from '../../cli/src/repo-paths.js';

// A Redis of this test's own (the shared one at 6379 is never stopped), the real reporter process
// serving the web app, and the real `mtl` CLI, while that Redis is stopped and started again empty.

const MTL = findInRepo('apps/cli/dist/main.js', 'pnpm build first');
const REPORTER = findInRepo('apps/reporter/dist/main.js', 'pnpm build first');
const prefix = 'outage';

let redis: LocalRedis;
let redisPort: number;
let root: string;
let webPort: number;
let reporter: ChildProcess;
let reporterOutput = '';

async function get(path: string, init?: RequestInit) {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${webPort}${path}`, init);
  const body = await response.text();
  return { status: response.status, headers: response.headers, body, ms: performance.now() - started };
}

/** `mtl …` as a whole process against this test's Redis; its exit code, output and wall time. */
function mtl(...args: string[]) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [MTL, ...args], {
    env: {
      ...process.env,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      QUEUE_PREFIX: prefix,
      ARTIFACTS_DIR: root,
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    ms: performance.now() - started,
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${reporterOutput}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-outage-'));
  const started = await startLocalRedis();
  expect(started, 'redis-server must be installed').toBeDefined();
  redis = started!;
  redisPort = Number(new URL(redis.url).port);
  // A finished sweep (report written) and one the queues know that has a finished trial on disk.
  await writeSweepFixture(root, 'done-sweep');
  // The same files without the report: a sweep whose trials are on disk, not reported yet.
  const live = (await writeSweepFixture(root, 'live-sweep')).layout.sweepDir('live-sweep');
  for (const entry of await readdir(live))
    if (entry !== 'trials') await rm(join(live, entry), { recursive: true });
  const connection = await connectFastFail(redis.url);
  const producer = new PipelineProducer(connection, { prefix });
  await producer.enqueueSweep({
    sweepId: 'live-sweep',
    name: 'live',
    dataset: { imageSize: 32, samples: 20, test: 10, seed: 5 },
    trials: ['t000', 't001'].map((trialId, seed) => ({ trialId, config: { arch: 'mtl-seed' }, seed })),
  });
  await producer.close();
  connection.disconnect();

  webPort = await freeLoopbackPort();
  reporter = spawn(process.execPath, [REPORTER, '--mode', 'server', '--port', String(webPort)], {
    env: {
      ...process.env,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: prefix,
      ARTIFACTS_DIR: root,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  reporter.stdout?.on('data', (chunk: Buffer) => (reporterOutput += chunk));
  reporter.stderr?.on('data', (chunk: Buffer) => (reporterOutput += chunk));
  await until('the web app', async () => (reporterOutput.includes('web app at') ? true : undefined));
});

afterAll(async () => {
  if (reporter && reporter.exitCode === null) {
    const exited = new Promise((r) => reporter.once('exit', r));
    reporter.kill('SIGTERM');
    await exited;
  }
  await redis?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('Redis unreachable', () => {
  it('with Redis up, the web app shows the queued sweep from the queues and no notice', async () => {
    const home = await get('/');
    expect(home.status).toBe(200);
    expect(home.body).not.toContain('data-testid="queue-unreachable"');
    const list = (await (await fetch(`http://127.0.0.1:${webPort}/api/sweeps`)).json()) as {
      sweepId: string;
      state: string;
    }[];
    expect(list.find((entry) => entry.sweepId === 'live-sweep')?.state).toBe('queued');
    expect(list.find((entry) => entry.sweepId === 'done-sweep')?.state).toBe('completed');
  });

  it('while Redis is down: the web app serves disk with a notice, 503s its Redis parts quickly, and every CLI verb fails within 5 s', async () => {
    await redis.stop();

    const home = await get('/');
    expect(home.status).toBe(200);
    expect(home.body).toContain('data-testid="queue-unreachable"');
    expect(home.body).toContain('/sweeps/done-sweep');
    expect(home.ms).toBeLessThan(2_000);

    const page = await get('/sweeps/done-sweep');
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-testid="queue-unreachable"');
    expect(page.body).toContain('data-testid="leaderboard-row"');

    const api = await get('/api/sweeps');
    expect(api.status).toBe(200);
    expect(api.headers.get('x-mtl-queue')).toBe('unreachable');
    const entries = JSON.parse(api.body) as { sweepId: string; state: string }[];
    expect(entries.find((entry) => entry.sweepId === 'live-sweep')?.state).toBe('unknown');
    expect(entries.find((entry) => entry.sweepId === 'done-sweep')?.state).toBe('completed');

    for (const path of ['/queues', '/queues/api/queues']) {
      const answer = await get(path);
      expect(answer.status, path).toBe(503);
      expect(answer.ms, path).toBeLessThan(2_000);
    }
    const reaggregate = await get('/sweeps/done-sweep/reaggregate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(reaggregate.status).toBe(503);
    expect(reaggregate.ms).toBeLessThan(2_000);

    // Nothing waits on Redis: 20 requests at once are all answered within 2 s (a reply's timeout).
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => get(i % 2 ? '/' : '/queues')));
    expect(Math.max(...burst.map((answer) => answer.ms))).toBeLessThan(2_000);

    // What the slowest verb's start-up costs on this machine now (it loads and plans the spec, no
    // Redis): the 5 s are the time beyond it, so a loaded machine's slow start-up is not counted.
    const startUp = mtl('sweep', findInRepo('examples/quick.yaml', 'the examples folder'), '--dry-run').ms;
    for (const verb of [
      ['ls'],
      ['status'],
      ['status', 'live-sweep'],
      ['cancel', 'live-sweep'],
      ['retry', 'live-sweep', '--failed'],
      ['sweep', findInRepo('examples/quick.yaml', 'the examples folder')],
    ]) {
      const result = mtl(...verb);
      expect(result.code, verb.join(' ')).toBe(1);
      expect(result.stderr, verb.join(' ')).toContain(
        `Redis at redis://127.0.0.1:${redisPort} did not answer`,
      );
      expect(result.ms - startUp, verb.join(' ')).toBeLessThan(5_000);
    }
  });

  it('after Redis comes back empty, mtl ls and the web app agree from what is on disk', async () => {
    const again = await startLocalRedis({ port: redisPort });
    expect(again).toBeDefined();
    redis = again!;
    const entries = await until('the web app to reconnect', async () => {
      const api = await get('/api/sweeps');
      return api.headers.get('x-mtl-queue') === null
        ? (JSON.parse(api.body) as { sweepId: string; state: string }[])
        : undefined;
    });
    const web = Object.fromEntries(entries.map((entry) => [entry.sweepId, entry.state]));
    expect(web).toEqual({ 'done-sweep': 'completed', 'live-sweep': 'orphaned' });
    expect((await get('/')).body).not.toContain('data-testid="queue-unreachable"');

    const ls = mtl('ls', '--json');
    expect(ls.code, ls.stderr).toBe(0);
    const cli = Object.fromEntries(
      (JSON.parse(ls.stdout) as { sweepId: string; state: string }[]).map((entry) => [
        entry.sweepId,
        entry.state,
      ]),
    );
    expect(cli).toEqual(web);
    const table = mtl('ls');
    expect(table.stdout).toMatch(/live-sweep\s+live-sweep\s+orphaned/);
  });
});
