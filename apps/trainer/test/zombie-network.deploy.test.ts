import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, QUEUES, redisAnswers, trialJobId } from '@repo/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { NetworkHosts } from '../../../tooling/vitest/network-hosts.js';
import { childrenOf } from '../../../tooling/vitest/processes.js';
import { PipelineFixture, tinySweep } from './pipeline-fixture.js';
import { startWorker } from './worker-processes.js';

// A trainer in a network namespace of its own, joined to this machine by a veth pair whose two
// addresses the test creates (10.206.<n>.1 here, .2 in the namespace); a redis-server the test starts
// listens on the loopback (for the test, the generator and the other trainer) and on .1. Taking the
// link down cuts that one trainer off from Redis, as a failed network would.
const LOCK_MS = 2_000;
const TRAINER_ENV = { LOCK_DURATION_MS: String(LOCK_MS), STALLED_INTERVAL_MS: '500' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

async function until<T>(value: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = value();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Every write of a checkpoint file from now on (a new inode renamed into place), with the writer it names. */
function watchCheckpointWriters(file: string): { stop(): (string | undefined)[] } {
  const writers: (string | undefined)[] = [];
  let last = statSync(file, { throwIfNoEntry: false })?.ino;
  const timer = setInterval(() => {
    const ino = statSync(file, { throwIfNoEntry: false })?.ino;
    if (ino === undefined || ino === last) return;
    last = ino;
    try {
      const bytes = readFileSync(file);
      const length = bytes.readUInt32LE(8);
      writers.push(JSON.parse(bytes.toString('utf8', 12, 12 + length)).state.writer);
    } catch {
      // removed between the stat and the read: the trial was recorded
    }
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return writers;
    },
  };
}

const lineOf = (msg: string, jobId: string) => (line: Record<string, unknown>) =>
  line.msg === msg && line.jobId === jobId;

describe('a trainer cut off from Redis past its lock (network namespace, link down)', () => {
  const run = randomBytes(3).toString('hex');
  const ns = `mtl-zombie-${run}`;
  const link = `vz${run}`;
  let redisServer: ChildProcess | undefined;
  let fixture: PipelineFixture | undefined;

  afterEach(async () => {
    try {
      await fixture?.close();
    } finally {
      redisServer?.kill('SIGKILL');
      const pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean);
      for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
      // Deleting the namespace deletes the veth pair with it (both ends).
      ip('netns', 'del', ns);
    }
  });

  it('stops its trial while still cut off, writes nothing; the other trainer records it once', async () => {
    NetworkHosts.assertSupported();
    const subnet = `10.206.${Number.parseInt(run.slice(0, 2), 16)}`;
    ip('netns', 'add', ns);
    ip('link', 'add', link, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
    ip('addr', 'add', `${subnet}.1/30`, 'dev', link);
    ip('link', 'set', link, 'up');
    ip('-n', ns, 'addr', 'add', `${subnet}.2/30`, 'dev', 'eth0');
    ip('-n', ns, 'link', 'set', 'eth0', 'up');
    ip('-n', ns, 'link', 'set', 'lo', 'up');

    const port = await freeLoopbackPort();
    redisServer = spawn(
      'redis-server',
      [
        ...['--port', String(port), '--bind', '127.0.0.1', `${subnet}.1`, '--protected-mode', 'no'],
        ...['--save', '', '--appendonly', 'no'],
      ],
      { stdio: 'ignore' },
    );
    const url = `redis://127.0.0.1:${port}`;
    for (let i = 0; i < 50 && !(await redisAnswers(url)); i++) await sleep(100);
    const pipeline = await new PipelineFixture(url).init();
    fixture = pipeline;
    pipeline.start('generator');
    // The trial goes to the namespaced trainer (the only one at first); the rescuer starts once it has it.
    const cutOff = startWorker(
      'trainer',
      {
        ...TRAINER_ENV,
        REDIS_URL: `redis://${subnet}.1:${port}`,
        QUEUE_PREFIX: pipeline.prefix,
        ARTIFACTS_DIR: pipeline.artifacts,
        DATASET_POLL_MS: '300',
      },
      ['ip', 'netns', 'exec', ns],
    );
    pipeline.workers.push(cutOff);
    const jobId = trialJobId('netcut', 't1');
    await pipeline.producer.enqueueSweep({
      ...tinySweep('netcut', [{ trialId: 't1', config: { epochs: 4, earlyStopping: { patience: 100 } } }]),
      dataset: { imageSize: 96, samples: 640, test: 32, seed: 9, shardSize: 320 },
    });
    await cutOff.waitForLine(lineOf('trial started', jobId), 240_000);
    const rescuer = pipeline.start('trainer', TRAINER_ENV);
    await rescuer.waitForLine((line) => line.msg === 'mtl-trainer ready');
    const [rescuerSandbox] = childrenOf(rescuer.child.pid!);
    // Cut at the start of the second epoch: the lease lapses well within it.
    await cutOff.waitForLine(lineOf('epoch done', jobId), 240_000);
    const trialDir = pipeline.layout.trialDir('netcut', 't1');
    const writes = watchCheckpointWriters(join(trialDir, 'checkpoint', 'train.ckpt'));

    ip('link', 'set', link, 'down');
    const cutAt = Date.now();
    let lostWhileCut: Record<string, unknown>;
    try {
      await rescuer.waitForLine(lineOf('trial started', jobId), 60_000);
      // Its lease lapses unseen by Redis: it stops training on its own, the link still down.
      lostWhileCut = await cutOff.waitForLine(
        lineOf('trial lease lost; stopped without writing', jobId),
        60_000,
      );
      await sleep(Math.max(0, cutAt + 2 * LOCK_MS - Date.now()));
    } finally {
      ip('link', 'set', link, 'up');
    }
    expect(lostWhileCut.completedEpochs).toBe(1);
    expect(cutOff.lines.some(lineOf('trial lease lost; stopping its training', jobId))).toBe(true);

    const summary = await pipeline.trialSummary(jobId);
    const writers = writes.stop();
    expect(summary.epochs).toBe(4);
    expect(summary.resumedEpochs).toBeGreaterThanOrEqual(1);
    expect(writers).toEqual(
      Array(summary.epochs - summary.resumedEpochs).fill(`${hostname()}/${rescuerSandbox}`),
    );
    expect(rescuer.lines.some(lineOf('trial recorded', jobId))).toBe(true);
    expect(cutOff.lines.some(lineOf('trial recorded', jobId))).toBe(false);
    const history = JSON.parse(await readFile(join(trialDir, 'history.json'), 'utf8'));
    expect(history.train.map((entry: { epoch: number }) => entry.epoch)).toEqual([1, 2, 3, 4]);
    expect(readdirSync(trialDir).filter((name) => name === 'run.json')).toHaveLength(1);
    expect(await readdir(trialDir)).not.toContain('checkpoint');
    const job = await pipeline.producer.queue(QUEUES.train).getJob(jobId);
    expect(await job?.getState()).toBe('completed');
    expect(job?.returnvalue).toEqual(summary);
    expect(job?.stacktrace ?? []).toEqual([]);
    expect(cutOff.child.exitCode).toBeNull();
  });
});
