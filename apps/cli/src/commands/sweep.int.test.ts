import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ArtifactLayout,
  createRedis,
  datasetJobId,
  PipelineProducer,
  QUEUES,
  reportJobId,
  SweepRegistry,
  type TrialJob,
  TrialRecordStore,
} from '@repo/contracts';
import { loadSweepSpec, planSweep } from '@repo/sweep';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { deleteQueuePrefix } from '../../../../tooling/vitest/queue-prefix.js';
import { recordStubTrial } from '../../../../tooling/vitest/trial-record.js';
import { ExitCode } from '../errors.js';
import { run } from '../run.js';
import { captureOutput } from '../testing/capture-output.js';

const quick = fileURLToPath(new URL('../../../../examples/quick.yaml', import.meta.url));

describe('mtl sweep (real Redis)', () => {
  let redis: Redis;
  let prefix: string;
  let dir: string;
  let stdout: string[];
  let stderr: string[];

  beforeEach(async () => {
    redis = createRedis(inject('redisUrl'));
    prefix = `test-${randomUUID()}`;
    dir = await mkdtemp(join(tmpdir(), 'mtl-sweep-int-'));
    ({ stdout, stderr } = captureOutput());
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await deleteQueuePrefix(redis, prefix);
    redis.disconnect();
    await rm(dir, { recursive: true, force: true });
  });

  const sweep = (file: string) => run(['sweep', file, '--redis', inject('redisUrl'), '--prefix', prefix]);

  it('enqueues every trial of the spec and prints the sweep id; a second run adds nothing', async () => {
    const plan = planSweep(await loadSweepSpec(quick));
    expect(await sweep(quick)).toBe(ExitCode.ok);
    expect(stdout.join('')).toBe(`${plan.sweepId}\n`);
    expect(stderr.join('')).toMatch(
      /^enqueued: quick, 4 trials on dataset [0-9a-f]{12} \(\d+ shards to generate\)/,
    );

    const info = await new SweepRegistry(redis, prefix).get(plan.sweepId);
    expect(info?.plan).toEqual(plan);
    const producer = new PipelineProducer(redis, { prefix });
    try {
      const counts = await producer
        .queue(QUEUES.train)
        .getJobCounts('waiting', 'waiting-children', 'delayed');
      expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(4);

      stdout.length = 0;
      stderr.length = 0;
      expect(await sweep(quick)).toBe(ExitCode.ok);
      expect(stdout.join('')).toBe(`${plan.sweepId}\n`);
      expect(stderr.join('')).toMatch(/^already enqueued \(nothing added\)/);
      const again = await producer.queue(QUEUES.train).getJobCounts('waiting', 'waiting-children', 'delayed');
      expect(again).toEqual(counts);
    } finally {
      await producer.close();
    }
  });

  it('a bad file enqueues nothing', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(
      bad,
      'name: bad\ndataset: { samples: 10, seed: 1 }\nsearch: grid\nparameters: { arch: vgg }\n',
    );
    expect(await sweep(bad)).toBe(ExitCode.usage);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  });

  it('a bad loss weighting enqueues nothing', async () => {
    const bad = join(dir, 'bad-weighting.yaml');
    await writeFile(
      bad,
      'name: bad\ndataset: { samples: 10, seed: 1 }\nsearch: grid\nparameters: { arch: mtl-seed, lossWeighting: { kind: dwa, temperature: -1 } }\n',
    );
    expect(await sweep(bad)).toBe(ExitCode.usage);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
  });

  it('a tpe search enqueues its start-up trials and carries its spec for the trainers', async () => {
    const tpe = join(dir, 'tpe.yaml');
    await writeFile(
      tpe,
      'name: tpe\ndataset: { samples: 10, seed: 1 }\nsearch: { kind: tpe, trials: 4, startup: 2 }\n' +
        'parameters:\n  arch: mtl-seed\n  learningRate: { distribution: log-uniform, min: 0.0001, max: 0.01 }\n',
    );
    expect(await sweep(tpe)).toBe(ExitCode.ok);
    expect(stderr.join('')).toMatch(/^enqueued: tpe, 2 trials \(tpe suggests 2 more as results arrive\)/);
    const info = await new SweepRegistry(redis, prefix).get(stdout.join('').trim());
    expect(info?.plan.trials.map((trial) => trial.trialId)).toEqual(['t000', 't001']);
    expect(info?.plan.tpe?.spec).toMatchObject({ search: { kind: 'tpe', trials: 4, startup: 2 } });
    stderr.length = 0;
    expect(await sweep(tpe)).toBe(ExitCode.ok);
    expect(stderr.join('')).toMatch(/^already enqueued/);
  });

  it('an unreachable Redis fails with exit 1 and a message naming it', async () => {
    expect(await run(['sweep', quick, '--redis', 'redis://127.0.0.1:1', '--prefix', prefix])).toBe(
      ExitCode.failure,
    );
    expect(stderr.join('')).toMatch(/127\.0\.0\.1:1/);
  });

  it('a sweep Redis remembers but whose files are gone, or that was cancelled, says so; --restart runs it', async () => {
    const plan = planSweep(await loadSweepSpec(quick));
    const artifacts = join(dir, 'artifacts');
    const layout = new ArtifactLayout(artifacts);
    const mtl = (...args: string[]) => {
      stdout.length = 0;
      stderr.length = 0;
      return run([...args, '--redis', inject('redisUrl'), '--prefix', prefix]);
    };
    const workerRedis = createRedis(inject('redisUrl'), { role: 'worker' });
    const registry = new SweepRegistry(redis, prefix);
    const producer = new PipelineProducer(redis, { prefix });
    // Stand-ins for the generator, trainers and reporter, writing what the real ones write.
    const workers = [
      new Worker(QUEUES.generate, async () => ({}), { connection: workerRedis, prefix }),
      new Worker<TrialJob>(
        QUEUES.train,
        async (job) => {
          const dir = layout.trialDir(job.data.sweepId, job.data.trialId);
          await mkdir(dir, { recursive: true });
          await writeFile(join(dir, 'run.json'), '{}');
          return recordStubTrial(redis, prefix, job);
        },
        { connection: workerRedis, prefix },
      ),
      new Worker(
        QUEUES.report,
        async () => {
          await writeFile(layout.reportFile(plan.sweepId, 'json'), '{}');
          await registry.markReported(plan.sweepId, layout.reportFile(plan.sweepId, 'json'));
          return {};
        },
        { connection: workerRedis, prefix },
      ),
    ];
    for (const worker of workers) worker.on('error', () => {});
    const reported = async () =>
      (await producer.queue(QUEUES.report).getJobState(reportJobId(plan.sweepId))) === 'completed';
    try {
      expect(await mtl('sweep', quick, '--artifacts', artifacts, '--wait', '--interval', '100')).toBe(
        ExitCode.ok,
      );
      expect(await reported()).toBe(true);
      expect(await mtl('sweep', quick, '--artifacts', artifacts)).toBe(ExitCode.ok);
      expect(stderr.join('')).toMatch(/^already enqueued \(nothing added\)/);

      await rm(artifacts, { recursive: true });
      expect(await mtl('sweep', quick, '--artifacts', artifacts)).toBe(ExitCode.failure);
      expect(stderr.join('')).toContain(
        `sweep ${plan.sweepId} (completed) is in Redis, but its files are gone: report.json and 4 of 4 ` +
          `completed trials' run.json are not under ${layout.sweepDir(plan.sweepId)} (deleted, or written ` +
          `under another ARTIFACTS_DIR: --artifacts names it). mtl sweep ${quick} --restart forgets it`,
      );
      const manifestJob = datasetJobId((await registry.get(plan.sweepId))?.datasetId ?? '');
      expect(await producer.queue(QUEUES.generate).getJobState(manifestJob)).toBe('completed');

      await Promise.all(workers.map((worker) => worker.pause()));
      expect(await mtl('sweep', quick, '--artifacts', artifacts, '--restart')).toBe(ExitCode.ok);
      expect(stderr.join('')).toMatch(
        new RegExp(
          `^restarting ${plan.sweepId} from scratch: report.json and 4 of 4 .*\nenqueued: quick, 4 trials`,
        ),
      );
      // From scratch: fresh records, and the dataset (its files gone too) is generated again.
      expect((await producer.sweeps.get(plan.sweepId))?.reportedAt).toBeUndefined();
      expect(
        await new TrialRecordStore(redis, prefix).states(
          plan.sweepId,
          plan.trials.map((t) => t.trialId),
        ),
      ).toEqual(new Map());
      expect(await producer.queue(QUEUES.generate).getJobState(manifestJob)).toBe('waiting-children');

      expect(await mtl('cancel', plan.sweepId)).toBe(ExitCode.ok);
      expect(await mtl('sweep', quick, '--artifacts', artifacts)).toBe(ExitCode.sweepCancelled);
      expect(stderr.join('')).toMatch(
        new RegExp(
          `sweep ${plan.sweepId} was cancelled at \\S+ with 0 of 4 trials done: nothing more of it runs\\. ` +
            `mtl sweep \\S+ --restart \\(or mtl retry ${plan.sweepId} --cancelled\\) runs its unfinished trials`,
        ),
      );
      expect(await mtl('sweep', quick, '--artifacts', artifacts, '--restart')).toBe(ExitCode.ok);
      expect(stderr.join('')).toMatch(/^resumed \(its cancel lifted, 4 trials to run again\): quick/);
      for (const worker of workers) worker.resume();
      expect(await mtl('status', plan.sweepId, '--watch', '--interval', '100')).toBe(ExitCode.ok);
      expect(stdout.join('')).toMatch(/completed {2}4\/4 done/);
    } finally {
      await Promise.all(workers.map((worker) => worker.close(true)));
      await producer.close();
      workerRedis.disconnect();
    }
  });
});
