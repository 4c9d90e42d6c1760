import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort } from '@repo/contracts';
import { HOSTILE_NAME, writeSweepFixture } from '@repo/report-view/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { serveReporter } from './serve.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-serve-'));
  await writeSweepFixture(root);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('mtl serve', () => {
  it('runs the reporter web app until told to stop, passing the signal on', async () => {
    const port = await freeLoopbackPort();
    const controller = new AbortController();
    const exited = serveReporter({
      host: '127.0.0.1',
      port,
      env: {
        ...process.env,
        REDIS_URL: inject('redisUrl'),
        QUEUE_PREFIX: `test-${randomUUID()}`,
        ARTIFACTS_DIR: root,
        LOG_LEVEL: 'warn',
      },
      signal: controller.signal,
    });
    let body = '';
    for (let i = 0; i < 300 && body === ''; i++) {
      body = await fetch(`http://127.0.0.1:${port}/`).then(
        (response) => response.text(),
        () => new Promise<string>((resolve) => setTimeout(() => resolve(''), 100)),
      );
    }
    expect(body).toContain('&lt;script&gt;alert');
    expect(body).not.toContain(HOSTILE_NAME);
    expect((await fetch(`http://127.0.0.1:${port}/queues`)).status).toBe(200);
    controller.abort('SIGINT');
    expect(await exited).toBe(0);
  });
});
