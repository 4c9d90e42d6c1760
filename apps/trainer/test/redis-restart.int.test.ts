import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, QUEUES, reportJobId } from '@repo/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { PipelineFixture, tinySweep } from './pipeline-fixture.js';

/** A private redis-server with an append-only file, so a restart keeps every job. */
class PersistentRedis {
  private child?: ChildProcess;
  constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dir,
      '--appendonly',
      'yes',
    ];
    this.child = spawn('redis-server', [...args, '--appendfsync', 'always', '--save', ''], {
      stdio: 'ignore',
    });
    await new Promise((r) => setTimeout(r, 500));
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

describe('Redis restarting mid-sweep', () => {
  let redis: PersistentRedis;
  let fixture: PipelineFixture;
  let dir: string;

  afterEach(async () => {
    await fixture.close();
    await redis.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('loses no trial: the workers reconnect and the sweep reports every trial', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mtl-redis-'));
    redis = new PersistentRedis(await freeLoopbackPort(), dir);
    await redis.start();
    fixture = await new PipelineFixture(redis.url).init();
    fixture.start('generator');
    fixture.start('reporter');
    const trainer = fixture.start('trainer');
    const plan = tinySweep('restart', [
      { trialId: 't1', config: { epochs: 4 } },
      { trialId: 't2', config: { epochs: 4 } },
    ]);
    await fixture.producer.enqueueSweep(plan);
    await trainer.waitForLine((line) => line.msg === 'epoch done');
    await redis.stop();
    // Long enough for the sandbox's own clients to find Redis gone (they reconnect from 200 ms on).
    await new Promise((r) => setTimeout(r, 3_000));
    await redis.start();
    const report = await fixture.finished(QUEUES.report, reportJobId('restart'));
    expect(report.returnvalue.counts).toEqual({
      trials: 2,
      completed: 2,
      stopped: 0,
      failed: 0,
      cancelled: 0,
      pending: 0,
    });
    // The sandbox's clients have error listeners: one log line per outage, no unhandled-error stacks.
    expect(trainer.stderr()).not.toMatch(/Unhandled error event|ECONNREFUSED/);
    expect(trainer.lines.some((line) => line.msg === 'sandbox: Redis connection lost; retrying')).toBe(true);
  });
});
