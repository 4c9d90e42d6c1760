import { PassThrough } from 'node:stream';
import { describe, expect, inject, it } from 'vitest';
import { allReady, startWorker } from './worker-processes.js';

const quiet = () => ({
  kind: 'lines' as const,
  prefix: '',
  stdout: new PassThrough().resume(),
  stderr: new PassThrough().resume(),
});

describe('allReady (real worker processes)', () => {
  it('resolves when every worker is ready; if one exits first it stops the others and says which', async () => {
    const env = { ...process.env, REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: 'test-all-ready' };
    const good = startWorker('generator', { name: 'good', env, output: quiet() });
    const bad = startWorker('generator', {
      name: 'bad',
      env: { ...env, REDIS_URL: 'not a url' },
      output: quiet(),
    });
    await expect(allReady([good, bad])).rejects.toThrow('bad exited with code 2 before it was ready');
    expect(good.child.exitCode ?? good.child.signalCode).not.toBeNull();

    const again = startWorker('generator', { name: 'again', env, output: quiet() });
    await allReady([again]);
    expect(again.child.exitCode).toBeNull();
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });
});
