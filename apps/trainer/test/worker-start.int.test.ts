import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startWorker } from './worker-processes.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('a worker started before its Redis', () => {
  it('says clearly that Redis is unreachable, keeps retrying, and starts once Redis answers', async () => {
    const port = await freePort();
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
