import { randomUUID } from 'node:crypto';
import {
  createRedis,
  PipelineProducer,
  QUEUES,
  type SweepPlanInput,
  type TrialJob,
  trialJobId,
} from '@repo/contracts';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { jobsEnded } from '../../../../tooling/vitest/jobs-ended.js';
import { deleteQueuePrefix } from '../../../../tooling/vitest/queue-prefix.js';
import { ExitCode } from '../errors.js';
import { run } from '../run.js';
import { captureOutput } from '../testing/capture-output.js';

const plan = (sweepId: string, trialIds: string[]): SweepPlanInput => ({
  sweepId,
  name: `name of ${sweepId}`,
  dataset: { imageSize: 32, samples: 20, test: 10, seed: 5 },
  trials: trialIds.map((trialId, seed) => ({ trialId, config: { arch: 'mtl-seed' }, seed })),
});

describe('mtl ls / status / cancel / retry (real Redis)', () => {
  let redis: ReturnType<typeof createRedis>;
  let workerRedis: ReturnType<typeof createRedis>;
  let prefix: string;
  let producer: PipelineProducer;
  let stdout: string[];
  let stderr: string[];

  beforeEach(() => {
    redis = createRedis(inject('redisUrl'));
    workerRedis = createRedis(inject('redisUrl'), { role: 'worker' });
    prefix = `test-${randomUUID()}`;
    producer = new PipelineProducer(redis, { prefix });
    ({ stdout, stderr } = captureOutput());
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await producer.close();
    await deleteQueuePrefix(redis, prefix);
    redis.disconnect();
    workerRedis.disconnect();
  });

  const mtl = async (...args: string[]) => {
    stdout.length = 0;
    stderr.length = 0;
    return run([...args, '--redis', inject('redisUrl'), '--prefix', prefix]);
  };

  /** Runs every waiting trial once with a stand-in trainer: `bad*` trials fail for good, others complete. */
  async function drain(count: number): Promise<void> {
    const worker = new Worker<TrialJob>(
      QUEUES.train,
      async (job: Job<TrialJob>) => {
        if (job.data.trialId.startsWith('bad')) throw new UnrecoverableError('TrialConfigError: nope');
        return {};
      },
      { connection: workerRedis, prefix, autorun: false },
    );
    worker.on('error', () => {});
    const done = jobsEnded(worker, count);
    void worker.run();
    await done;
    await worker.close();
  }

  it('ls lists sweeps newest first; status shows the newest by default, and --json', async () => {
    expect(await mtl('ls')).toBe(ExitCode.ok);
    expect(stdout.join('')).toBe('no sweeps yet (mtl sweep FILE enqueues one)\n');
    expect(await mtl('status')).toBe(ExitCode.failure);
    expect(stderr.join('')).toMatch(/no sweeps yet/);

    await producer.enqueueSweep(plan('older', ['t1']));
    await new Promise((r) => setTimeout(r, 5));
    await producer.enqueueSweep(plan('newer', ['t1', 'bad1']));
    await drain(3);

    expect(await mtl('ls')).toBe(ExitCode.ok);
    const lines = stdout.join('').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^sweep +name +state +done +failed +trials +best \(val split\) +created$/);
    expect(lines[1]).toMatch(/^newer +name of newer +running +1 +1 +2 +- +\d{4}-/);
    expect(lines[2]).toMatch(/^older +name of older +running +1 +0 +1 +- +/);
    expect(await mtl('ls', '--json', '--limit', '1')).toBe(ExitCode.ok);
    const listed = JSON.parse(stdout.join(''));
    expect(listed.map((s: { sweepId: string }) => s.sweepId)).toEqual(['newer']);
    // Every "best" says which metric it is (on the validation split, while a sweep runs).
    expect(listed[0].objective).toEqual({ metric: 'val_combined', direction: 'minimize' });

    expect(await mtl('status')).toBe(ExitCode.ok);
    expect(stdout.join('')).toMatch(/^newer \(name of newer\) {2}running {2}1\/2 done · 1 failed/);
    expect(stdout.join('')).toMatch(/\nbad1 +failed +TrialConfigError: nope\n/);
    expect(await mtl('status', 'older', '--json')).toBe(ExitCode.ok);
    expect(JSON.parse(stdout.join(''))).toMatchObject({ sweep: { sweepId: 'older' }, counts: { done: 1 } });
    expect(await mtl('status', 'ghost')).toBe(ExitCode.failure);
    expect(stderr.join('')).toMatch(/no sweep ghost/);
  });

  it('cancel removes waiting trials and marks the sweep; retry --failed re-queues failed trials', async () => {
    await producer.enqueueSweep(plan('rt', ['ok', 'bad1', 'bad2']));
    await drain(3);
    expect(await mtl('retry', 'rt')).toBe(ExitCode.usage);
    expect(stderr.join('')).toMatch(/--failed or --cancelled/);
    expect(await mtl('retry', 'rt', '--failed')).toBe(ExitCode.ok);
    expect(stdout.join('')).toBe('rt: retrying 2 trials (bad1, bad2)\n');
    const bad = await producer.queue(QUEUES.train).getJob(trialJobId('rt', 'bad1'));
    expect(await bad?.getState()).toBe('waiting');

    expect(await mtl('cancel', 'rt')).toBe(ExitCode.ok);
    expect(stdout.join('')).toBe(
      'cancelled rt: 2 removed, 0 stopping at their next epoch, 1 already ended (kept)\n',
    );
    expect(await producer.queue(QUEUES.train).getJob(trialJobId('rt', 'bad1'))).toBeUndefined();
    expect(await producer.queue(QUEUES.train).getJobState(trialJobId('rt', 'ok'))).toBe('completed');
    expect(await mtl('status', 'rt', '--watch', '--interval', '100')).toBe(ExitCode.sweepCancelled);
    expect(stdout.join('')).toMatch(
      /^rt \(name of rt\) {2}cancelled {2}1\/3 done · 0 failed · 0 running · 0 waiting · 2 cancelled/,
    );
    expect(await mtl('retry', 'rt', '--failed')).toBe(ExitCode.failure);
    expect(stderr.join('')).toMatch(/rt was cancelled; mtl retry rt --cancelled runs its unfinished trials/);
    expect(await mtl('cancel', 'ghost')).toBe(ExitCode.failure);

    expect(await mtl('retry', 'rt', '--cancelled')).toBe(ExitCode.ok);
    expect(stdout.join('')).toBe('rt: resuming 2 trials (bad1, bad2)\n');
    expect(await producer.queue(QUEUES.train).getJobState(trialJobId('rt', 'bad2'))).toBe('waiting');
    expect(await mtl('status', 'rt', '--json')).toBe(ExitCode.ok);
    expect(JSON.parse(stdout.join(''))).toMatchObject({
      state: 'running',
      counts: { cancelled: 0, waiting: 2 },
    });
    expect(await mtl('retry', 'rt', '--cancelled')).toBe(ExitCode.ok);
    expect(stdout.join('')).toBe('rt: not cancelled\n');
  });
});
