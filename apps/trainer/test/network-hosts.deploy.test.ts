import { type ChildProcess, spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QUEUES, reportJobId, trialJobId } from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkHosts } from '../../../tooling/vitest/network-hosts.js';
import { PipelineFixture, tinySweep } from './pipeline-fixture.js';
import { type AppName, startWorker, type WorkerProcess } from './worker-processes.js';

// Redis on one network host, the generator (with the reporter) on a second, a trainer on each of a
// third and a fourth; all share one artifacts directory, as they would over NFS. The test itself
// reaches Redis through its unix socket, so the machine's own network is never involved.
const LOCK_MS = 3_000;
const TRAINER_ENV = { LOCK_DURATION_MS: String(LOCK_MS), STALLED_INTERVAL_MS: '1000' };
const TRAINERS = ['trainera', 'trainerb'] as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isTrainer = (line: Record<string, unknown>, msg: string, jobId: string) =>
  line.msg === msg && line.jobId === jobId;

/** Polls `value` until it is defined; rejects naming `what` after `timeoutMs`. */
async function until<T>(value: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = value();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/**
 * Counts the writes of `file` from now on by polling its inode and modification time (a write renames
 * a new file into place and keeps the old one as `.prev`, so inode numbers alternate and distinct
 * inodes undercount; the writer here writes at most once a second, far slower than the polling).
 */
function watchWrites(file: string): { stop(): number } {
  const version = () => {
    const stat = statSync(file, { throwIfNoEntry: false });
    return stat === undefined ? undefined : `${stat.ino}@${stat.mtimeMs}`;
  };
  let last = version();
  let writes = 0;
  const timer = setInterval(() => {
    const now = version();
    if (now !== undefined && now !== last) writes++;
    if (now !== undefined) last = now;
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return writes;
    },
  };
}

/** Names, sizes and modification times of every file under `dir`: what a write would change. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const file = join(entry.parentPath, entry.name);
    const { size, mtimeMs } = await stat(file);
    files[file.slice(dir.length)] = `${size}@${mtimeMs}`;
  }
  return files;
}

describe('workers on separate network hosts', () => {
  const hosts = new NetworkHosts();
  let fixture: PipelineFixture;
  let redisServer: ChildProcess | undefined;
  let socketDir: string | undefined;
  const trainers = new Map<string, WorkerProcess>();

  beforeAll(async () => {
    NetworkHosts.assertSupported();
    const redisAddress = hosts.add('redis');
    for (const name of ['workers', ...TRAINERS]) hosts.add(name);

    socketDir = await mkdtemp(join(tmpdir(), 'mtl-hosts-'));
    const socket = join(socketDir, 'redis.sock');
    const [ipCommand = 'ip', ...onRedis] = hosts.on('redis');
    redisServer = spawn(
      ipCommand,
      [
        ...onRedis,
        'redis-server',
        ...['--bind', redisAddress, '--port', '6379', '--protected-mode', 'no', '--save', ''],
        ...['--appendonly', 'no', '--unixsocket', socket, '--unixsocketperm', '700'],
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100 && !(await stat(socket).catch(() => undefined)); i++) await sleep(100);
    fixture = new PipelineFixture(socket);
    await fixture.init();

    const env = {
      REDIS_URL: `redis://${redisAddress}:6379`,
      QUEUE_PREFIX: fixture.prefix,
      ARTIFACTS_DIR: fixture.artifacts,
      DATASET_POLL_MS: '300',
      LOG_LEVEL: 'debug',
    };
    const start = (app: AppName, host: string, extra: Record<string, string> = {}) => {
      const worker = startWorker(app, { ...env, ...extra }, hosts.on(host));
      fixture.workers.push(worker);
      return worker;
    };
    start('generator', 'workers');
    start('reporter', 'workers');
    for (const host of TRAINERS) trainers.set(host, start('trainer', host, TRAINER_ENV));
    await Promise.all(
      [...trainers.values()].map((t) => t.waitForLine((line) => line.msg === 'mtl-trainer ready', 120_000)),
    );
  }, 180_000);

  afterAll(async () => {
    try {
      await fixture?.close();
    } finally {
      redisServer?.kill('SIGKILL');
      hosts.destroy();
      if (socketDir) await rm(socketDir, { recursive: true, force: true });
    }
  });

  it('a sweep completes with trials trained on both trainer hosts', async () => {
    const trialIds = ['t1', 't2', 't3', 't4', 't5', 't6'];
    await fixture.producer.enqueueSweep(
      tinySweep(
        'spread',
        trialIds.map((trialId) => ({ trialId })),
      ),
    );
    const report = await fixture.finished(QUEUES.report, reportJobId('spread'));
    expect(report.returnvalue.counts).toMatchObject({ completed: trialIds.length, failed: 0 });
    for (const trialId of trialIds) {
      const summary = await fixture.trialSummary(trialJobId('spread', trialId));
      expect(summary.epochs).toBe(2);
    }
    for (const trainer of trainers.values()) {
      expect(trainer.lines.filter((line) => line.msg === 'trial recorded').length).toBeGreaterThan(0);
    }
  });

  it('a trainer cut off longer than the lock loses its trial to the other, and writes nothing to it once back', async () => {
    const jobId = trialJobId('cut', 't1');
    // Epochs longer than the lock: the cut-off trainer is still mid-epoch when its lock lapses.
    await fixture.producer.enqueueSweep({
      ...tinySweep('cut', [{ trialId: 't1', config: { epochs: 5, earlyStopping: { patience: 100 } } }]),
      dataset: { imageSize: 96, samples: 480, test: 32, seed: 6, shardSize: 240 },
    });
    // The trainer that finishes the trial's first epoch is cut off at once.
    const cutHost = await until(
      () => [...trainers].find(([, t]) => t.lines.some((line) => isTrainer(line, 'epoch done', jobId)))?.[0],
      180_000,
      'a trainer finishes an epoch of the trial',
    );
    const cutOff = trainers.get(cutHost)!;
    const rescuer = [...trainers].find(([host]) => host !== cutHost)![1];
    hosts.cut(cutHost);
    const cutAt = Date.now();
    const trialDir = fixture.layout.trialDir('cut', 't1');
    const checkpointWrites = watchWrites(join(trialDir, 'checkpoint', 'train.ckpt'));

    // Back only after the other trainer has finished the trial, so any late write would show.
    const summary = await fixture.trialSummary(jobId);
    const cutMs = Date.now() - cutAt;
    const writesWhileCut = checkpointWrites.stop();
    const before = await snapshot(trialDir);
    hosts.restore(cutHost);

    expect(cutMs).toBeGreaterThan(LOCK_MS);
    expect(rescuer.lines.some((line) => isTrainer(line, 'trial recorded', jobId))).toBe(true);
    expect(summary.resumedEpochs).toBeGreaterThanOrEqual(1);
    expect(summary.epochs).toBe(5);
    // Every checkpoint written while the link was down was the rescuer's: one per epoch it trained.
    expect(writesWhileCut).toBe(summary.epochs - summary.resumedEpochs);
    const history = JSON.parse(await readFile(join(trialDir, 'history.json'), 'utf8'));
    expect(history.train.map((entry: { epoch: number }) => entry.epoch)).toEqual([1, 2, 3, 4, 5]);

    // Once it hears from Redis again, the cut-off trainer finds the trial is not its own and stops.
    await cutOff.waitForLine(
      (line) => line.msg === 'trial lease lost; stopped without writing' && line.jobId === jobId,
      120_000,
    );
    await sleep(2_000);
    expect(await snapshot(trialDir)).toEqual(before);
    expect(Object.keys(before)).toContain('/run.json');
    expect(Object.keys(before).some((file) => file.startsWith('/checkpoint'))).toBe(false);
    expect(await readdir(join(fixture.layout.sweepDir('cut'), 'trials'))).toEqual(['t1']);
    const job = await fixture.producer.queue(QUEUES.train).getJob(jobId);
    expect(await job?.getState()).toBe('completed');
    expect(job?.returnvalue).toEqual(summary);
    expect(cutOff.child.exitCode).toBeNull();
    const report = await fixture.finished(QUEUES.report, reportJobId('cut'));
    expect(report.returnvalue.counts).toMatchObject({ completed: 1, failed: 0 });
  });
});
