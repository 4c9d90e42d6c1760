import { spawn } from 'node:child_process';
import { freeLoopbackPort } from '@repo/contracts';
import { describe, expect, it } from 'vitest';
import { childrenOf } from '../../../tooling/vitest/processes.js';
import { pipelineTest } from './pipeline-fixture.js';
import { startWorker } from './worker-processes.js';

describe('a worker started before its Redis', () => {
  it('says clearly that Redis is unreachable, keeps retrying, and starts once Redis answers', async () => {
    const port = await freeLoopbackPort();
    const url = `redis://127.0.0.1:${port}`;
    const worker = startWorker('generator', { REDIS_URL: url, ARTIFACTS_DIR: '/tmp/mtl-unused' });
    const redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    redis.kill('SIGSTOP'); // started, but not answering yet
    try {
      const complaint = await worker.waitForLine((line) => line.level === 50, 30_000);
      expect(complaint.msg).toMatch(new RegExp(`Redis at ${url} did not answer .* still retrying`));
      expect(worker.child.exitCode).toBeNull();
      redis.kill('SIGCONT');
      await worker.waitForLine((line) => line.msg === 'mtl-generator ready', 30_000);
      expect(await worker.stop()).toBe(0);
    } finally {
      await worker.stop();
      redis.kill('SIGCONT');
      redis.kill('SIGTERM');
    }
  });
});

describe('a trainer starting', () => {
  pipelineTest(
    'reports ready only once its sandbox is forked and its TF.js backend is up',
    async ({ fixture }) => {
      const trainer = fixture.start('trainer', { MTL_BACKEND: 'cpu' });
      const ready = await trainer.waitForLine((line) => line.msg === 'mtl-trainer ready', 60_000);
      // The sandbox logs through its own stdout, so its line may arrive after the worker's: order by time.
      const sandboxReady = await trainer.waitForLine((line) => line.msg === 'sandbox ready', 10_000);
      expect(sandboxReady).toMatchObject({ backend: 'cpu', sandbox: true });
      expect(sandboxReady.time as number).toBeLessThanOrEqual(ready.time as number);
      // No trial was enqueued: the child exists because the worker forked it at start.
      expect(childrenOf(trainer.child.pid!)).toHaveLength(1);
    },
  );
});
