import { type LocalRedis, QUEUES, startLocalRedis, TrialRecordStore, trialJobId } from '@repo/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { PipelineFixture, tinySweep } from './pipeline-fixture.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const NOT_IDLING = 'cannot start a not idling child process';

describe('a trainer whose job Redis lost mid-trial', () => {
  let redis: LocalRedis | undefined;
  let fixture: PipelineFixture | undefined;

  afterEach(async () => {
    await fixture?.close();
    await redis?.stop();
  });

  it('stops (replaces) the still-training sandbox before its next trial: no attempt burned', async () => {
    redis = await startLocalRedis();
    if (!redis) throw new Error('this test needs redis-server (apt-get install redis-server)');
    const pipeline = await new PipelineFixture(redis.url).init();
    fixture = pipeline;
    pipeline.start('generator');
    const trainer = pipeline.start('trainer');
    const plan = {
      ...tinySweep('lost', [{ trialId: 't1', config: { epochs: 3, earlyStopping: { patience: 100 } } }]),
      dataset: { imageSize: 96, samples: 480, test: 32, seed: 8, shardSize: 240 },
    };
    const jobId = trialJobId('lost', 't1');
    const jobKey = `${pipeline.prefix}:${QUEUES.train}:${jobId}`;

    // Redis loses its data just after the sandbox has confirmed its lease for the first epoch's
    // checkpoint (its look-up of the job, then the lock extension), so the progress update that
    // follows the checkpoint fails in the worker while the sandbox trains on.
    await pipeline.producer.enqueueSweep(plan);
    // Armed once the trial trains (its attempt holds the record): the next confirmation is the first epoch's checkpoint's.
    const records = new TrialRecordStore(pipeline.redis, pipeline.prefix);
    while ((await records.state('lost', 't1'))?.status !== 'running') await sleep(100);
    const monitor = await pipeline.redis.duplicate().monitor();
    // Lines still in flight when it is disconnected below reach no command ("Command queue state
    // error"): nothing this test reads, so not a failure of it.
    monitor.on('error', () => {});
    const flushed = new Promise<void>((resolve) => {
      let confirming: string | undefined;
      monitor.on('monitor', (_time: string, args: string[], source: string) => {
        const [command = '', ...rest] = args;
        // A client's own look-up ('lua' is a script's command, as when the worker takes the job).
        if (command.toLowerCase() === 'hgetall' && rest[0] === jobKey && source !== 'lua')
          confirming = source;
        else if (source === confirming && rest.includes(`${jobKey}:lock`)) {
          confirming = undefined;
          monitor.disconnect();
          void pipeline.redis.flushall().then(() => resolve());
        }
      });
    });
    await flushed;
    // What an operator does once Redis comes back empty: enqueue the sweep again. Its trial resumes
    // from the checkpoint the lost attempt wrote.
    await pipeline.producer.enqueueSweep(plan);
    const summary = await pipeline.trialSummary(jobId);
    expect(summary.epochs).toBe(3);
    expect(summary.resumedEpochs).toBeGreaterThanOrEqual(1);
    const job = await pipeline.producer.queue(QUEUES.train).getJob(jobId);
    // No attempt burned: the re-enqueued trial completed on its first attempt, with no failure recorded.
    expect(job?.stacktrace ?? []).toEqual([]);
    expect(job?.attemptsMade).toBe(1);
    expect(trainer.lines.filter((line) => line.msg === 'trial failed')).toEqual([]);
    expect(JSON.stringify(trainer.lines)).not.toContain(NOT_IDLING);
  });
});
