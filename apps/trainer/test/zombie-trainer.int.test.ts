import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { QUEUES, trialJobId } from '@repo/contracts';
import { describe, expect } from 'vitest';
import { childrenOf } from '../../../tooling/vitest/processes.js';
import { pipelineTest, tinySweep } from './pipeline-fixture.js';
import type { WorkerProcess } from './worker-processes.js';

const LOCK_MS = 2_000;
const TRAINER_ENV = { LOCK_DURATION_MS: String(LOCK_MS), STALLED_INTERVAL_MS: '500' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(value: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = value();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** The writer named in a checkpoint file's header (magic, u32 header length, JSON header). */
function checkpointWriter(file: string): string | undefined {
  const bytes = readFileSync(file);
  const length = bytes.readUInt32LE(8);
  return JSON.parse(bytes.toString('utf8', 12, 12 + length)).state.writer;
}

/** Every write of `file` from now on (atomic writes rename a new inode into place), with its writer. */
function watchCheckpointWriters(file: string): { stop(): (string | undefined)[] } {
  const writers: (string | undefined)[] = [];
  let last = statSync(file, { throwIfNoEntry: false })?.ino;
  const timer = setInterval(() => {
    const ino = statSync(file, { throwIfNoEntry: false })?.ino;
    if (ino === undefined || ino === last) return;
    last = ino;
    try {
      writers.push(checkpointWriter(file));
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

describe('a zombie trainer (frozen past its lock)', () => {
  pipelineTest(
    'SIGSTOP for twice the lock, then SIGCONT: it stops the trial at once without writing; one writer, one run record',
    async ({ fixture }) => {
      fixture.start('generator');
      const trainers = [fixture.start('trainer', TRAINER_ENV), fixture.start('trainer', TRAINER_ENV)];
      await Promise.all(trainers.map((t) => t.waitForLine((line) => line.msg === 'mtl-trainer ready')));
      const jobId = trialJobId('zombie', 't1');
      // Epochs several times longer than the lock: the frozen trainer wakes up mid-epoch.
      await fixture.producer.enqueueSweep({
        ...tinySweep('zombie', [{ trialId: 't1', config: { epochs: 4, earlyStopping: { patience: 100 } } }]),
        dataset: { imageSize: 96, samples: 640, test: 32, seed: 7, shardSize: 320 },
      });
      const stale = await until(
        () => trainers.find((t) => t.lines.some((line) => line.msg === 'epoch done' && line.jobId === jobId)),
        240_000,
        'a trainer finishes the first epoch',
      );
      const rescuer = trainers.find((t) => t !== stale) as WorkerProcess;
      const [rescuerSandbox] = childrenOf(rescuer.child.pid!);
      const trialDir = fixture.layout.trialDir('zombie', 't1');
      const writes = watchCheckpointWriters(join(trialDir, 'checkpoint', 'train.ckpt'));

      process.kill(-stale.child.pid!, 'SIGSTOP');
      const stoppedAt = Date.now();
      try {
        await rescuer.waitForLine(lineOf('trial started', jobId), 60_000);
        await sleep(Math.max(0, stoppedAt + 2 * LOCK_MS - Date.now()));
      } finally {
        process.kill(-stale.child.pid!, 'SIGCONT');
      }

      // It finds the lease lapsed and stops within the epoch it was in (1 completed), writing nothing.
      const lost = await stale.waitForLine(
        lineOf('trial lease lost; stopped without writing', jobId),
        60_000,
      );
      expect(lost.completedEpochs).toBe(1);
      expect(stale.lines.some(lineOf('trial lease lost; stopping its training', jobId))).toBe(true);

      const summary = await fixture.trialSummary(jobId);
      const writers = writes.stop();
      expect(summary.resumedEpochs).toBeGreaterThanOrEqual(1);
      expect(summary.epochs).toBe(4);
      // Exactly one writer after the takeover: every checkpoint written since is the rescuer's, one an epoch.
      expect(writers).toEqual(
        Array(summary.epochs - summary.resumedEpochs).fill(`${hostname()}/${rescuerSandbox}`),
      );
      expect(rescuer.lines.some(lineOf('trial recorded', jobId))).toBe(true);
      expect(stale.lines.some(lineOf('trial recorded', jobId))).toBe(false);
      const history = JSON.parse(await readFile(join(trialDir, 'history.json'), 'utf8'));
      expect(history.train.map((entry: { epoch: number }) => entry.epoch)).toEqual([1, 2, 3, 4]);
      expect(readdirSync(trialDir).filter((name) => name === 'run.json')).toHaveLength(1);
      expect(await readdir(trialDir)).not.toContain('checkpoint');
      const job = await fixture.producer.queue(QUEUES.train).getJob(jobId);
      expect(await job?.getState()).toBe('completed');
      expect(job?.returnvalue).toEqual(summary);
      expect(job?.stacktrace ?? []).toEqual([]);
      expect(stale.child.exitCode).toBeNull();
    },
  );
});
