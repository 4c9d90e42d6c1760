/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedis } from '@repo/contracts';
import { aggregateRuns, confusionMatrix, normaliseRows } from '@repo/metrics';
import { FIXTURE_TRIALS, type SweepFixture, writeSweepFixture } from '@repo/report-view/testing';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createReportServer } from './report-server.js';

/** Screenshots land here (gitignored) for people to look at after a run. */
const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));

let root: string;
let fixture: SweepFixture;
let redis: Redis;
let server: FastifyInstance;
let base: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-report-browser-'));
  fixture = await writeSweepFixture(root);
  redis = createRedis(inject('redisUrl'));
  server = await createReportServer({
    connection: redis,
    prefix: `test-${randomUUID()}`,
    layout: fixture.layout,
  });
  await server.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // Console errors include CSP violations and failed asset loads.
  page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()));
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  redis?.disconnect();
  await rm(root, { recursive: true, force: true });
});

/** The texts of the cells of `selector`'s rows, row by row. */
function rowsOf(selector: string): Promise<string[][]> {
  return page.$$eval(`${selector} tbody tr`, (rows) =>
    rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? '')),
  );
}

describe('the report pages in a real browser', () => {
  it('shows the leaderboard, heatmaps, MAE figures and charts of the fixture sweep', async () => {
    await page.goto(`${base}/sweeps/${fixture.sweepId}`);
    await page.waitForFunction(
      () => Object.keys((window as unknown as { Chart: { instances: object } }).Chart.instances).length > 0,
    );

    const expected = aggregateRuns(
      fixture.runs.map(({ record }) => ({ source: record.runId, json: record })),
    );
    const leaderboard = await rowsOf('#leaderboard');
    expect(leaderboard.map((row) => row[1])).toEqual(
      expected.leaderboard.map((group) => `arch=mtl-seed learningRate=${group.config.learningRate}`),
    );
    expect(leaderboard.map((row) => row[2])).toEqual(
      expected.leaderboard.map((group) => String(group.count)),
    );

    // Position MAE per run: each fixture trial is off by (dx, dy) on every sample.
    const runs = await rowsOf('#runs');
    for (const trial of FIXTURE_TRIALS) {
      const row = runs.find((cells) => cells[0] === trial.trialId);
      const [dx, dy] = trial.offset;
      expect(row?.slice(4, 7)).toEqual([dx.toFixed(2), dy.toFixed(2), ((dx + dy) / 2).toFixed(2)]);
    }

    // t001's shape heatmap: counts and row percentages from its fixture predictions.
    await page.click('#run-t001 > summary');
    const { heads } = fixture.runs.find(({ trial }) => trial.trialId === 't001')!;
    const counts = confusionMatrix(heads.shape.true, heads.shape.pred, 3);
    const heatmap = (kind: string) =>
      rowsOf(`#run-t001 .heatmaps[data-head="shape"] table[data-kind="${kind}"]`);
    expect(await heatmap('counts')).toEqual(
      counts.map((row) => [...row.map(String), String(row.reduce((a, b) => a + b, 0))]),
    );
    expect(await heatmap('normalised')).toEqual(
      normaliseRows(counts).map((row) => row.map((share) => `${(share * 100).toFixed(1)}%`)),
    );
    await page.waitForFunction(() => document.querySelectorAll('#run-t001 canvas').length === 4);
    expect(await page.locator('#run-t001 [data-testid="sample"]').count()).toBe(12);

    // Sorting by MAE puts the runs in ascending MAE order.
    await page.click('#runs th:nth-child(7) button');
    const sorted = (await rowsOf('#runs')).map((row) => Number(row[6]));
    expect(sorted).toEqual([...sorted].sort((a, b) => a - b));

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'reporter-sweep-page.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('updates a running sweep’s page when a trial completes', async () => {
    // A sweep with one recorded trial and one still training (a trial directory without run.json).
    const { layout } = fixture;
    const [first, second] = fixture.runs;
    for (const [trialId, record] of [
      ['r1', first!.record],
      ['r2', undefined],
    ] as const) {
      const dir = layout.trialDir('running', trialId);
      await mkdir(dir, { recursive: true });
      if (record) await writeFile(join(dir, 'run.json'), JSON.stringify({ ...record, runId: 'running.r1' }));
    }
    await page.goto(`${base}/sweeps/running`);
    expect(await page.textContent('[data-testid="state"]')).toBe('running');
    expect(await page.locator('#runs tbody tr').count()).toBe(1);

    await writeFile(
      join(layout.trialDir('running', 'r2'), 'run.json'),
      JSON.stringify({ ...second!.record, runId: 'running.r2' }),
    );
    await page.waitForFunction(() => document.querySelectorAll('#runs tbody tr').length === 2, undefined, {
      timeout: 30_000,
    });
    expect(await page.textContent('[data-testid="state"]')).toBe('completed');
    expect(pageErrors).toEqual([]);
  });
});
