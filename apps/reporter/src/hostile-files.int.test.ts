import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedis, QUEUES } from '@repo/contracts';
import { type SweepFixture, writeSweepFixture } from '@repo/report-view/testing';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deleteQueuePrefix } from '../../../tooling/vitest/queue-prefix.js';
import { createReportServer, type ReportServerDeps } from './report-server.js';

// Hostile files planted in a sweep's folder, hostile Host headers, and the queues board, over real
// HTTP against the web app on a real Redis.

let root: string;
let fixture: SweepFixture;
let redis: Redis;
let prefix: string;
const servers: FastifyInstance[] = [];

async function serve(options: Partial<ReportServerDeps> = {}): Promise<number> {
  const server = await createReportServer({ connection: redis, prefix, layout: fixture.layout, ...options });
  await server.listen({ host: '127.0.0.1', port: 0 });
  servers.push(server);
  return (server.server.address() as AddressInfo).port;
}

/** A request with the path and Host header sent exactly as given. */
function send(
  port: number,
  path: string,
  options: { method?: string; host?: string; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: {
          host: options.host ?? `127.0.0.1:${port}`,
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

let port: number;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-hostile-'));
  fixture = await writeSweepFixture(root);
  redis = createRedis(inject('redisUrl'), { role: 'web' });
  prefix = `test-${randomUUID()}`;
  const sweep = fixture.layout.sweepDir(fixture.sweepId);
  const trial = fixture.layout.trialDir(fixture.sweepId, 't000');
  // Links out of the sweep folder, files a browser would run, and things that are not regular files.
  await symlink('/etc/passwd', join(trial, 'passwd.json'));
  await symlink('/etc', join(sweep, 'etc'));
  await symlink(join(root, 'datasets'), join(sweep, 'data'));
  await writeFile(join(sweep, 'evil.html'), '<script>fetch("/api/sweeps")</script>');
  await writeFile(
    join(sweep, 'evil.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
  );
  await writeFile(join(sweep, 'evil.js'), 'alert(1)');
  await mkdir(join(sweep, 'folder.json'));
  execFileSync('mkfifo', [join(sweep, 'pipe.json')]);
  // A link that stays inside the sweep folder is fine.
  await symlink(join(trial, 'run.json'), join(sweep, 'latest-run.json'));
  port = await serve({ allowedHosts: ['reports.internal'] });
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await deleteQueuePrefix(redis, prefix);
  redis.disconnect();
  await rm(root, { recursive: true, force: true });
});

describe('files served from a sweep folder', () => {
  it('serves its JSON files with nosniff and a sandbox policy', async () => {
    const report = await send(port, `/artifacts/${fixture.sweepId}/report.json`);
    expect(report.status).toBe(200);
    expect(report.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(report.headers['x-content-type-options']).toBe('nosniff');
    expect(report.headers['content-security-policy']).toBe('sandbox');
    expect(JSON.parse(report.body).sweepId).toBe(fixture.sweepId);
    const linked = await send(port, `/artifacts/${fixture.sweepId}/latest-run.json`);
    expect(linked.status).toBe(200);
    expect(linked.body).toBe(
      await readFile(join(fixture.layout.trialDir(fixture.sweepId, 't000'), 'run.json'), 'utf8'),
    );
  });

  it.each([
    'trials/t000/passwd.json',
    'etc/passwd',
    'etc/hostname',
    'evil.html',
    'evil.svg',
    'evil.js',
    'folder.json',
    'pipe.json',
    'trials/t000',
    '.hidden.json',
  ])('refuses %s (404, nothing of it sent)', async (path) => {
    const response = await send(port, `/artifacts/${fixture.sweepId}/${path}`);
    expect(response.status).toBe(404);
    expect(response.body).not.toMatch(/root:|<script|alert/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a link to the dataset manifest', async () => {
    const response = await send(
      port,
      `/artifacts/${fixture.sweepId}/data/${fixture.datasetId}/manifest.json`,
    );
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('"datasetId"');
  });
});

describe('Host header (DNS rebinding)', () => {
  it.each([
    ['GET', '/'],
    ['GET', '/api/sweeps'],
    ['GET', '/queues/api/queues'],
    ['POST', `/sweeps/fixture-sweep/reaggregate`],
  ])('%s %s from another site name answers 421', async (method, path) => {
    const response = await send(port, path, {
      method,
      host: 'rebound.attacker.example:8080',
      ...(method === 'POST' ? { body: '{}' } : {}),
    });
    expect(response.status).toBe(421);
    expect(response.body).toContain('REPORTER_ALLOWED_HOSTS');
  });

  it.each(['127.0.0.1', 'localhost:8080', '[::1]:8080', 'reports.internal', 'REPORTS.internal:443'])(
    'answers Host %s',
    async (host) => {
      expect((await send(port, '/api/sweeps', { host })).status).toBe(200);
    },
  );
});

describe('the queues board', () => {
  it('is read-only: every request but a read answers 405 and changes nothing', async () => {
    const queue = new Queue(QUEUES.train, { connection: redis, prefix });
    await queue.add('trial', {}, { jobId: 'j1' });
    await queue.pause();
    const before = await queue.getJobCounts();
    for (const [method, path] of [
      ['PUT', `/queues/api/queues/${QUEUES.train}/resume`],
      ['PUT', '/queues/api/queues/resume'],
      ['PUT', `/queues/api/queues/${QUEUES.train}/empty`],
      ['PUT', `/queues/api/queues/${QUEUES.train}/obliterate`],
      ['POST', `/queues/api/queues/${QUEUES.train}/add`],
      ['PUT', `/queues/api/queues/${QUEUES.train}/j1/promote`],
      ['DELETE', `/queues/api/queues/${QUEUES.train}/j1`],
      ['POST', '/queues/api/metrics/history/purge'],
    ] as const) {
      const response = await send(port, path, { method, ...(method === 'DELETE' ? {} : { body: '{}' }) });
      expect(response.status, `${method} ${path} ${response.body}`).toBe(405);
    }
    expect(await queue.getJobCounts()).toEqual(before);
    expect(await queue.isPaused()).toBe(true);
    await queue.close();
  });

  it('can be turned off', async () => {
    const off = await serve({ board: false });
    expect((await send(off, '/queues')).status).toBe(404);
    expect((await send(off, '/queues/api/queues')).status).toBe(404);
    expect((await send(off, '/api/sweeps')).status).toBe(200);
  });
});
