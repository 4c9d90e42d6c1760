import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type LocalRedis, QUEUES, startLocalRedis, trialJobId } from '@repo/contracts';
import { TEMPORARY_NAME } from '@repo/dataset';
import { afterEach, describe, expect, it } from 'vitest';
import { PipelineFixture, tinySweep } from './pipeline-fixture.js';

// ARTIFACTS_DIR on a small tmpfs the test mounts (root), filled up mid-trial by a file of the test's.
const DISK_SIZE = '8m';

/** Writes to `file` until the disk is full; returns how many bytes it took. */
function fillDisk(file: string): number {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(4096, 1);
  let written = 0;
  try {
    for (;;) written += writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return written;
}

/** Every file under `dir`, relative. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

describe('a full disk under ARTIFACTS_DIR (tmpfs)', () => {
  let fixture: PipelineFixture | undefined;
  let disk: string | undefined;
  let home = '';
  let redis: LocalRedis | undefined;

  afterEach(async () => {
    await Promise.all(fixture?.workers.map((worker) => worker.stop(10_000)) ?? []);
    if (disk) execFileSync('umount', [disk]);
    if (fixture) {
      fixture.artifacts = home;
      await fixture.close();
    }
    await redis?.stop();
  });

  it('fails the trial naming the file and "no space left on device"; once space is freed a retry completes from the last good checkpoint', async () => {
    if (process.getuid?.() !== 0) throw new Error('this test mounts a tmpfs: run it as root');
    redis = await startLocalRedis();
    if (!redis) throw new Error('this test needs redis-server (apt-get install redis-server)');
    const pipeline = await new PipelineFixture(redis.url).init();
    fixture = pipeline;
    home = pipeline.artifacts;
    disk = join(home, 'disk');
    await mkdir(disk);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${DISK_SIZE}`, 'tmpfs', disk]);
    pipeline.artifacts = disk;
    pipeline.start('generator');
    const trainer = pipeline.start('trainer');
    const jobId = trialJobId('full', 't1');
    await pipeline.producer.enqueueSweep(
      tinySweep('full', [{ trialId: 't1', config: { epochs: 3, earlyStopping: { patience: 100 } } }]),
    );
    await trainer.waitForLine(
      (line) => line.msg === 'epoch done' && line.jobId === jobId && line.epoch === 1,
    );
    const filler = join(disk, 'filler');
    expect(fillDisk(filler)).toBeGreaterThan(0);

    const failed = await pipeline.finished(QUEUES.train, jobId);
    const trialDir = pipeline.layout.trialDir('full', 't1');
    expect(await failed.getState()).toBe('failed');
    expect(failed.failedReason).toContain(
      `${join(trialDir, 'checkpoint', 'train.ckpt')}: no space left on device`,
    );
    expect(failed.failedReason).toContain('free space, then mtl retry full --failed');
    // Nothing half-written left, under a final name or a temporary one; epoch 1's checkpoint kept whole.
    const files = await filesUnder(trialDir);
    expect(files.filter((name) => TEMPORARY_NAME.test(name) || name.startsWith('.model-'))).toEqual([]);
    expect(files).not.toContain('run.json');
    const checkpoint = readFileSync(join(trialDir, 'checkpoint', 'train.ckpt'));
    const header = JSON.parse(checkpoint.toString('utf8', 12, 12 + checkpoint.readUInt32LE(8)));
    expect(header.state.epoch).toBe(1);

    await rm(filler);
    expect((await pipeline.producer.retryFailed('full'))?.retried).toEqual(['t1']);
    const summary = await pipeline.trialSummary(jobId);
    expect(summary.resumedEpochs).toBe(1);
    expect(summary.epochs).toBe(3);
  });
});
