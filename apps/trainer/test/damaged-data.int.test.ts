import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { QUEUES, trialJobId } from '@repo/contracts';
import { datasetId, datasetSpecSchema } from '@repo/dataset';
import { describe, expect } from 'vitest';
import { type PipelineFixture, pipelineTest, tinySweep } from './pipeline-fixture.js';

const CLI = fileURLToPath(new URL('../../cli/dist/main.js', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `mtl …` as its own process against the fixture's queues and artifacts; resolves with its exit code and output. */
async function mtl(fixture: PipelineFixture, ...args: string[]) {
  const env = {
    ...process.env,
    REDIS_URL: fixture.redisUrl,
    QUEUE_PREFIX: fixture.prefix,
    ARTIFACTS_DIR: fixture.artifacts,
  };
  return promisify(execFile)(process.execPath, [CLI, ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ ...error }),
  );
}

const ONE_EPOCH = { epochs: 1 };

describe('damaged or missing data', () => {
  pipelineTest(
    'a corrupted shard, then a removed dataset: the trials fail naming the way back; mtl dataset repair and mtl retry complete them',
    async ({ fixture }) => {
      const plan = (sweepId: string) => tinySweep(sweepId, [{ trialId: 't1', config: ONE_EPOCH }]);
      const id = datasetId(datasetSpecSchema.parse(plan('a').dataset));
      const datasetDir = fixture.layout.datasetDir(id);
      // A killed generator's leftover, from long ago: the next generator removes it at start-up.
      await mkdir(datasetDir, { recursive: true });
      const leftover = join(datasetDir, 'train-00000-images.npy.4242-0123abcd.tmp');
      await writeFile(leftover, 'half a shard');
      const old = new Date(Date.now() - 3_600_000);
      await utimes(leftover, old, old);
      const generator = fixture.start('generator');
      await generator.waitForLine((line) => line.msg === 'removed leftover shard temporaries');
      expect((await readdir(datasetDir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      fixture.start('trainer');

      await fixture.producer.enqueueSweep(plan('a'));
      expect((await fixture.trialSummary(trialJobId('a', 't1'))).epochs).toBe(1);

      // A truncated shard: the next sweep on the dataset fails its trial at once, saying how to repair.
      await truncate(join(datasetDir, 'train-00001-images.npy'), 1_000);
      await fixture.producer.enqueueSweep(plan('b'));
      const failed = await fixture.finished(QUEUES.train, trialJobId('b', 't1'));
      expect(failed.failedReason).toMatch(/ShardCorruptedError: .*train-00001-images\.npy: truncated/);
      expect(failed.failedReason).toContain(`mtl dataset repair ${id}, then mtl retry b --failed`);
      const verify = await mtl(fixture, 'dataset', 'verify', id);
      expect(verify.code).toBe(1);
      expect(verify.stdout).toMatch(/train shard 1: .*truncated/);
      const repair = await mtl(fixture, 'dataset', 'repair', id);
      expect(repair.code, repair.stderr).toBe(0);
      expect(repair.stdout).toContain('wrote 1 shard again (train 1)');
      expect((await mtl(fixture, 'retry', 'b', '--failed')).code).toBe(0);
      await sleep(500);
      expect((await fixture.trialSummary(trialJobId('b', 't1'))).epochs).toBe(1);

      // The dataset folder removed: no generator will write it again (its jobs are done), so the trial
      // fails at once instead of waiting an hour; repair rebuilds it from the spec the queue holds.
      await rm(datasetDir, { recursive: true });
      await fixture.producer.enqueueSweep(plan('c'));
      const gone = await fixture.finished(QUEUES.train, trialJobId('c', 't1'), 60_000);
      expect(gone.failedReason).toMatch(
        new RegExp(`dataset ${id} was generated, but .*manifest\\.json is gone`),
      );
      expect((await mtl(fixture, 'dataset', 'repair', id)).stdout).toContain('rebuilt manifest.json');
      expect((await mtl(fixture, 'retry', 'c', '--failed')).code).toBe(0);
      await sleep(500);
      expect((await fixture.trialSummary(trialJobId('c', 't1'))).epochs).toBe(1);
    },
  );

  pipelineTest('a trial waiting for its dataset says so once, not at every look', async ({ fixture }) => {
    const trainer = fixture.start('trainer'); // DATASET_POLL_MS 300: about 15 looks in the wait below
    const jobId = trialJobId('wait', 't1');
    await fixture.producer.enqueueSweep(tinySweep('wait', [{ trialId: 't1', config: ONE_EPOCH }]));
    await trainer.waitForLine((line) => line.msg === 'waiting for its dataset' && line.jobId === jobId);
    await sleep(5_000);
    fixture.start('generator');
    expect((await fixture.trialSummary(jobId)).epochs).toBe(1);
    const count = (msg: string) =>
      trainer.lines.filter((line) => line.msg === msg && line.jobId === jobId).length;
    expect(count('trial started')).toBe(1);
    expect(count('waiting for its dataset')).toBe(1);
  });
});
