import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
  /** Any verb against this test's Redis prefix, its output so far cleared first. */
  const mtl = (...args: string[]) => {
    stdout.length = 0;
    stderr.length = 0;
    return run([...args, '--redis', inject('redisUrl'), '--prefix', prefix]);
  };

  /**
   * Stand-ins for the generator, trainers and reporter, writing what the real ones write (a run.json
   * per trial, the report and its registry mark); `reports` counts the reports written.
   */
  function standIns(layout: ArtifactLayout) {
    const connection = createRedis(inject('redisUrl'), { role: 'worker' });
    const registry = new SweepRegistry(redis, prefix);
    const reports: string[] = [];
    const workers = [
      new Worker(QUEUES.generate, async () => ({}), { connection, prefix }),
      new Worker<TrialJob>(
        QUEUES.train,
        async (job) => {
          const dir = layout.trialDir(job.data.sweepId, job.data.trialId);
          await mkdir(dir, { recursive: true });
          await writeFile(join(dir, 'run.json'), '{}');
          return recordStubTrial(redis, prefix, job);
        },
        { connection, prefix },
      ),
      new Worker<{ sweepId: string }>(
        QUEUES.report,
        async (job) => {
          const file = layout.reportFile(job.data.sweepId, 'json');
          await writeFile(file, '{}');
          await registry.markReported(job.data.sweepId, file);
          reports.push(job.data.sweepId);
          return {};
        },
        { connection, prefix },
      ),
    ];
    for (const worker of workers) worker.on('error', () => {});
    return {
      reports,
      pause: () => Promise.all(workers.map((worker) => worker.pause())),
      resume: () => {
        for (const worker of workers) worker.resume();
      },
      close: async () => {
        await Promise.all(workers.map((worker) => worker.close(true)));
        connection.disconnect();
      },
    };
  }

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

    // Extended before its trainers added t002 and t003: the new ids keep clear of theirs.
    const sweepId = stdout.join('').trim().split('\n')[0] as string;
    stderr.length = 0;
    expect(
      await run([
        'sweep',
        'extend',
        sweepId,
        '--trials',
        '6',
        '--redis',
        inject('redisUrl'),
        '--prefix',
        prefix,
      ]),
    ).toBe(ExitCode.ok);
    expect(stderr.join('')).toMatch(/: 2 trials added \(t004–t005\)/);
    const grown = await new SweepRegistry(redis, prefix).get(sweepId);
    expect(grown?.spec).toMatchObject({ search: { kind: 'tpe', trials: 6 } });
    expect(grown?.plan.tpe?.spec).toMatchObject({ search: { trials: 4 } });
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
    const registry = new SweepRegistry(redis, prefix);
    const producer = new PipelineProducer(redis, { prefix });
    const workers = standIns(layout);
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

      await workers.pause();
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
      workers.resume();
      expect(await mtl('status', plan.sweepId, '--watch', '--interval', '100')).toBe(ExitCode.ok);
      expect(stdout.join('')).toMatch(/completed {2}4\/4 done/);
    } finally {
      await workers.close();
      await producer.close();
    }
  });

  it('extend grows a sweep with more seeds, more trials or a changed spec, and writes its report again', async () => {
    const spec = await loadSweepSpec(quick);
    const { sweepId } = planSweep(spec);
    const artifacts = join(dir, 'artifacts');
    const layout = new ArtifactLayout(artifacts);
    const registry = new SweepRegistry(redis, prefix);
    const workers = standIns(layout);
    const watch = () => mtl('status', sweepId, '--watch', '--interval', '100');
    try {
      expect(await mtl('sweep', quick, '--artifacts', artifacts, '--wait', '--interval', '100')).toBe(
        ExitCode.ok,
      );
      expect(workers.reports).toEqual([sweepId]);

      expect(await mtl('sweep', 'extend', sweepId, '--seeds', '2', '--dry-run')).toBe(ExitCode.ok);
      expect(stdout.join('').trimEnd().split('\n')).toHaveLength(5);
      expect(await registry.trials(sweepId)).toHaveLength(4);

      expect(await mtl('sweep', 'extend', sweepId, '--seeds', '2')).toBe(ExitCode.ok);
      expect(stdout.join('')).toBe(`${sweepId}\n`);
      expect(stderr.join('')).toBe(
        `extended ${sweepId}: 4 trials added (t004–t007); the report will be written again once they end\n`,
      );
      expect(await watch()).toBe(ExitCode.ok);
      expect(stdout.join('')).toMatch(/completed {2}8\/8 done/);
      expect(workers.reports).toEqual([sweepId, sweepId]);
      const trials = await registry.trials(sweepId);
      // The same four configurations, now with seed 1 too.
      expect(trials.slice(4).map((t) => [t.config, t.seed])).toEqual(
        trials.slice(0, 4).map((t) => [t.config, 1]),
      );

      expect(await mtl('sweep', 'extend', sweepId, '--trials', '6')).toBe(ExitCode.ok);
      expect(stderr.join('')).toMatch(/: 4 trials added \(t008–t011\)/);
      const wider = planSweep({
        ...spec,
        search: { ...spec.search, trials: 6 } as typeof spec.search,
        seeds: [0, 1],
      });
      expect((await registry.trials(sweepId)).slice(8).map((t) => t.config)).toEqual(
        wider.trials.slice(8).map((t) => t.config),
      );
      expect(await watch()).toBe(ExitCode.ok);
      expect(stdout.join('')).toMatch(/completed {2}12\/12 done/);

      expect(await mtl('sweep', 'extend', sweepId, '--seeds', '2')).toBe(ExitCode.usage);
      expect(stderr.join('')).toMatch(`mtl sweep extend ${sweepId}: seeds: the sweep runs 2 seeds already`);
      const other = join(dir, 'other.yaml');
      await writeFile(other, (await readFile(quick, 'utf8')).replace('samples: 1000', 'samples: 900'));
      expect(await mtl('sweep', 'extend', sweepId, '--spec', other)).toBe(ExitCode.usage);
      expect(stderr.join('')).toMatch(/spec\.dataset: differs from the sweep's/);
      expect(await mtl('sweep', 'extend', sweepId, '--seeds', '3', '--trials', '9')).toBe(ExitCode.usage);
      expect(await mtl('sweep', 'extend', 'ghost', '--seeds', '3')).toBe(ExitCode.failure);
      expect(await mtl('cancel', sweepId)).toBe(ExitCode.ok);
      expect(await mtl('sweep', 'extend', sweepId, '--seeds', '3')).toBe(ExitCode.sweepCancelled);
      expect(stderr.join('')).toMatch(/was cancelled; mtl retry .* --cancelled resumes it, then extend it/);
      expect(await registry.trials(sweepId)).toHaveLength(12);
    } finally {
      await workers.close();
    }
  });
});
