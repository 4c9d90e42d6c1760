import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ArtifactLayout,
  createRedis,
  PipelineProducer,
  QUEUES,
  reportJobId,
  type TrialJob,
} from '@repo/contracts';
import { HOSTILE_NAME, type SweepFixture, writeSweepFixture } from '@repo/report-view/testing';
import { Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deleteQueuePrefix } from '../../../tooling/vitest/queue-prefix.js';
import { recordStubTrial } from '../../../tooling/vitest/trial-record.js';
import { createReportServer } from './report-server.js';

let root: string;
let fixture: SweepFixture;
let redis: Redis;
let prefix: string;
let producer: PipelineProducer;
let server: FastifyInstance;
let port: number;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-report-server-'));
  fixture = await writeSweepFixture(root);
  redis = createRedis(inject('redisUrl'));
  prefix = `test-${randomUUID()}`;
  producer = new PipelineProducer(redis, { prefix });
  server = await createReportServer({ connection: redis, prefix, layout: fixture.layout });
  await server.listen({ host: '127.0.0.1', port: 0 });
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await server.close();
  await producer.close();
  await deleteQueuePrefix(redis, prefix);
  redis.disconnect();
  await rm(root, { recursive: true, force: true });
});

/** A GET over real HTTP with the path sent exactly as written (fetch would normalise `..`). */
function get(path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the report server', () => {
  it('lists the sweep with its name escaped, under a strict content security policy', async () => {
    const response = await server.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.body).toContain(
      `<a href="/sweeps/${fixture.sweepId}">&lt;script&gt;alert(&quot;x&quot;)`,
    );
    expect(response.body).not.toContain(HOSTILE_NAME);
    expect((await server.inject({ url: '/api/sweeps' })).json()).toMatchObject([
      { sweepId: fixture.sweepId, name: HOSTILE_NAME, done: 3, failed: 1 },
    ]);
  });

  it('renders the sweep page with escaped names and failure reasons', async () => {
    const response = await server.inject({ url: `/sweeps/${fixture.sweepId}` });
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain(HOSTILE_NAME);
    expect(response.body).not.toContain('<b>bad</b>');
    expect(response.body.match(/data-testid="leaderboard-row"/g)).toHaveLength(2);
    const view = (await server.inject({ url: `/api/sweeps/${fixture.sweepId}` })).json();
    expect(view.runs.rows.map((run: { trialId: string }) => run.trialId).sort()).toEqual([
      't000',
      't001',
      't002',
    ]);
  });

  it('serves run rows and one run’s details on demand, and answers an unchanged poll with 304', async () => {
    const rows = await server.inject({ url: `/sweeps/${fixture.sweepId}/runs?page=1` });
    expect(rows.body.match(/data-testid="run-row"/g)).toHaveLength(3);
    expect((await server.inject({ url: `/sweeps/${fixture.sweepId}/runs?page=0` })).statusCode).toBe(400);
    const detail = await server.inject({ url: `/sweeps/${fixture.sweepId}/runs/t001` });
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('id="run-t001"');
    expect(detail.body.match(/data-testid="sample"/g)).toHaveLength(12);
    expect((await server.inject({ url: `/sweeps/${fixture.sweepId}/runs/t999` })).statusCode).toBe(404);
    const details = (await server.inject({ url: `/api/sweeps/${fixture.sweepId}/runs?page=1` })).json();
    expect(details.runs.map((run: { trialId: string }) => run.trialId)).toEqual(['t000', 't001', 't002']);

    const first = await server.inject({ url: `/sweeps/${fixture.sweepId}/content` });
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    const again = await server.inject({
      url: `/sweeps/${fixture.sweepId}/content`,
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('answers 404 for an unknown sweep and 400 for a segment that is not an id', async () => {
    expect((await server.inject({ url: '/sweeps/ghost' })).statusCode).toBe(404);
    expect((await get('/sweeps/..%2F..%2Fetc')).status).toBe(400);
    expect((await get('/api/sweeps/%2e%2e')).status).toBe(400);
  });

  it('serves chart assets and sweep files, and nothing outside them', async () => {
    const chart = await get('/assets/chart.umd.min.js');
    expect(chart.status).toBe(200);
    expect(chart.type).toContain('javascript');
    expect((await get('/assets/report.js')).status).toBe(200);
    const report = await get(`/artifacts/${fixture.sweepId}/report.json`);
    expect(JSON.parse(report.body).name).toBe(HOSTILE_NAME);
    const manifest = `datasets/${fixture.datasetId}/manifest.json`;
    const escapes = [
      '/assets/../package.json',
      '/assets/%2e%2e/package.json',
      '/assets/..%2fpackage.json',
      '/assets/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/....//package.json',
      `/artifacts/../${manifest}`,
      `/artifacts/%2e%2e/${manifest}`,
      `/artifacts/${fixture.sweepId}/..%2f..%2f${manifest}`,
      `/artifacts/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd`,
      '/artifacts/..\\..\\etc\\passwd',
      '/assets//etc/passwd',
    ];
    for (const path of escapes) {
      const response = await get(path);
      expect(response.status, path).not.toBe(200);
      expect(response.body, path).not.toMatch(/"datasetId"|root:|"name": "@repo/);
    }
    // The manifest itself is readable through nothing but the sweep tree: no route serves datasets.
    expect(JSON.parse(await readFile(join(root, manifest), 'utf8')).datasetId).toBe(fixture.datasetId);
  });

  it('mounts Bull Board read-only at /queues with the three queues', async () => {
    const page = await server.inject({ url: '/queues' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<div id="root">');
    const api = (await server.inject({ url: '/queues/api/queues' })).json();
    const queues = api.queues.map((queue: { name: string; readOnlyMode: boolean }) => [
      queue.name,
      queue.readOnlyMode,
    ]);
    expect(queues.sort()).toEqual(
      Object.values(QUEUES)
        .map((name) => [name, true])
        .sort(),
    );
  });

  it('re-aggregates on a JSON POST only, and rewrites report.json', async () => {
    await producer.enqueueSweep({
      sweepId: 'live',
      name: 'live sweep',
      dataset: { samples: 10, seed: 1 },
      trials: ['a', 'b'].map((trialId, seed) => ({ trialId, config: { arch: 'mtl-seed' }, seed })),
    });
    const form = await server.inject({
      method: 'POST',
      url: '/sweeps/live/reaggregate',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'x=1',
    });
    expect(form.statusCode).toBe(415);
    const plain = await server.inject({
      method: 'POST',
      url: '/sweeps/live/reaggregate',
      headers: { 'content-type': 'text/plain' },
      payload: '{}',
    });
    expect(plain.statusCode).toBe(415);
    const ghost = await server.inject({ method: 'POST', url: '/sweeps/ghost/reaggregate', payload: {} });
    expect(ghost.statusCode).toBe(404);
    const done = await server.inject({ method: 'POST', url: '/sweeps/live/reaggregate', payload: {} });
    expect(done.statusCode).toBe(200);
    expect(done.json().counts).toMatchObject({ trials: 2, completed: 0, failed: 0, pending: 2 });
    const written = JSON.parse(await readFile(fixture.layout.reportFile('live', 'json'), 'utf8'));
    expect(written.pending).toEqual(['a', 'b']);
    // The queued sweep now lists from Redis, before the artifact-only fixture sweep.
    const list = (await server.inject({ url: '/api/sweeps' })).json();
    expect(list.map((entry: { sweepId: string }) => entry.sweepId)).toEqual(['live', fixture.sweepId]);
    expect(list[1].best).toMatchObject({ metric: 'combined', split: 'test' });
    expect(list[0]).toMatchObject({ name: 'live sweep', state: 'queued', trials: 2, done: 0 });
    // Queued with nothing on disk: a page saying so, not a 404.
    await producer.enqueueSweep({
      sweepId: 'waiting',
      name: 'waiting sweep',
      dataset: { samples: 10, seed: 1 },
      trials: [{ trialId: 'w', config: { arch: 'mtl-seed' }, seed: 0 }],
    });
    const waiting = await server.inject({ url: '/sweeps/waiting' });
    expect(waiting.statusCode).toBe(200);
    expect(waiting.body).toContain('data-testid="queued"');
    expect(waiting.body).toContain('No trial has written anything yet');
    // Any other method is not routed: the app is read-only but for that action.
    expect((await server.inject({ method: 'DELETE', url: `/sweeps/${fixture.sweepId}` })).statusCode).toBe(
      404,
    );
  });
});

describe('the report server, for a sweep Redis remembers whose files are gone', () => {
  it('lists it as "files missing" and answers its page and API with 404 saying what is gone', async () => {
    const own = `test-${randomUUID()}`;
    const empty = await mkdtemp(join(tmpdir(), 'mtl-files-gone-'));
    const sweeps = new PipelineProducer(redis, { prefix: own });
    const workerRedis = createRedis(inject('redisUrl'), { role: 'worker' });
    const workers = [
      new Worker<TrialJob>(QUEUES.train, async (job) => recordStubTrial(redis, own, job), {
        connection: workerRedis,
        prefix: own,
      }),
      new Worker(
        QUEUES.report,
        async () => {
          await sweeps.sweeps.markReported('gone', join(empty, 'elsewhere', 'report.json'));
          return {};
        },
        { connection: workerRedis, prefix: own },
      ),
    ];
    const app = await createReportServer({
      connection: redis,
      prefix: own,
      layout: new ArtifactLayout(empty),
    });
    try {
      await sweeps.enqueueSweep({
        sweepId: 'gone',
        name: 'gone sweep',
        dataset: { imageSize: 32, samples: 20, test: 10, seed: 6 },
        trials: ['t1', 't2'].map((trialId, seed) => ({ trialId, config: { arch: 'mtl-seed' }, seed })),
      });
      for (let i = 0; i < 200; i++) {
        if ((await sweeps.queue(QUEUES.report).getJobState(reportJobId('gone'))) === 'completed') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await app.inject({ url: '/api/sweeps' })).json()).toMatchObject([
        { sweepId: 'gone', state: 'files missing', done: 2 },
      ]);
      const gone = `report.json and 2 of 2 completed trials' run.json are not under ${join(empty, 'sweeps', 'gone')}`;
      const page = await app.inject({ url: '/sweeps/gone' });
      expect(page.statusCode).toBe(404);
      expect(page.body).toContain(
        `<p data-testid="files-missing">Its files are gone: ${gone.replace("'", '&#39;')}.`,
      );
      expect(page.body).not.toContain('reloads');
      const api = await app.inject({ url: '/api/sweeps/gone' });
      expect(api.statusCode).toBe(404);
      expect(api.json().message).toBe(`sweep gone is completed in Redis, but its files are gone: ${gone}`);
    } finally {
      await app.close();
      await Promise.all(workers.map((worker) => worker.close(true)));
      await sweeps.close();
      await deleteQueuePrefix(redis, own);
      workerRedis.disconnect();
      await rm(empty, { recursive: true, force: true });
    }
  });
});
