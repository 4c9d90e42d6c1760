/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedis, PipelineProducer } from '@repo/contracts';
import { aggregateRuns, confusionMatrix, normaliseRows } from '@repo/metrics';
import { writeSyntheticSweep } from '@repo/report-view';
import {
  FIXTURE_TRIALS,
  type SweepFixture,
  writeStudyFixture,
  writeSweepFixture,
} from '@repo/report-view/testing';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { deleteQueuePrefix } from '../../../tooling/vitest/queue-prefix.js';
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

const prefix = `test-${randomUUID()}`;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-report-browser-'));
  fixture = await writeSweepFixture(root);
  redis = createRedis(inject('redisUrl'));
  server = await createReportServer({
    connection: redis,
    prefix,
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
  if (redis) await deleteQueuePrefix(redis, prefix);
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
    // Only learningRate varies (arch is shared, shown once above the table), as a readable value.
    const leaderboard = await rowsOf('#leaderboard');
    expect(leaderboard.map((row) => row[1])).toEqual(
      expected.leaderboard.map((group) => (group.config.learningRate === 0.001 ? '1e-3' : '0.01')),
    );
    expect(leaderboard.map((row) => row[2])).toEqual(
      expected.leaderboard.map((group) => String(group.count)),
    );

    // Position MAE per run: each fixture trial is off by (dx, dy) on every sample.
    const runs = await rowsOf('#runs');
    for (const trial of FIXTURE_TRIALS) {
      const row = runs.find((cells) => cells[0] === trial.trialId);
      const [dx, dy] = trial.offset;
      expect(row?.[4]).toBe(((dx + dy) / 2).toFixed(2));
    }

    // No run's details are on the page until one is opened; t001's shape heatmap then shows its
    // counts and row percentages from its fixture predictions.
    expect(await page.locator('[data-testid="run-details"]').count()).toBe(0);
    await page.click('button.open-run[data-trial="t001"]');
    await page.waitForSelector('#run-t001');
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
    await page.click('#runs th:nth-child(5) button');
    const sorted = (await rowsOf('#runs')).map((row) => Number(row[4]));
    expect(sorted).toEqual([...sorted].sort((a, b) => a - b));

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'reporter-sweep-page.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('shows a study’s verdicts, a Pareto chart and the parallel coordinates with the right numbers', async () => {
    const study = await writeStudyFixture(root);
    await page.goto(`${base}/sweeps/${study.sweepId}`);
    await page.waitForFunction(
      () => Object.keys((window as unknown as { Chart: { instances: object } }).Chart.instances).length >= 6,
    );
    const position = (await rowsOf('#verdict-table')).find((row) => row[0] === 'position')!;
    expect(position[6]).toBe('-1.20 [-1.39, -1.01]');
    expect(position[12]).toBe('arch mtl-seed better than arch branches-seed');
    const shape = (await rowsOf('#verdict-table')).find((row) => row[0] === 'shape')!;
    expect(shape[12]).toBe('no detectable difference at n = 3');
    // The first Pareto chart (parameters against position MAE): its front is mtl-seed alone, at its mean.
    const front = await page.evaluate(() => {
      const canvas = document.querySelector('canvas[data-pareto="0"]') as HTMLCanvasElement;
      const chart = (
        window as unknown as {
          Chart: {
            getChart(c: HTMLCanvasElement): { data: { datasets: { data: { x: number; y: number }[] }[] } };
          };
        }
      ).Chart.getChart(canvas);
      return chart.data.datasets[0]!.data;
    });
    expect(front).toHaveLength(1);
    expect(front[0]!.x).toBe(191_747);
    // mtl-seed's MAE over its seeds: (2 + 0.25 s) / 2 for s = 0, 1, 2 → 1.125.
    expect(front[0]!.y).toBeCloseTo(1.125, 10);
    expect(await page.locator('[data-testid="pc-line"]').count()).toBe(2);
    expect(await page.locator('[data-testid="pc-axis"]').count()).toBe(2);
    expect(await page.isVisible('svg[data-testid="parallel-coordinates"]')).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'reporter-study-page.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('opens a study with single-task baselines on "Does sharing help?", above the verdicts', async () => {
    const study = await writeStudyFixture(root, 'sharing-study', { singleTask: true });
    await page.goto(`${base}/sweeps/${study.sweepId}`);
    const headline = page.locator('[data-testid="sharing-headline"]');
    expect(await headline.isVisible()).toBe(true);
    expect(await headline.textContent()).toMatch(
      /^Sharing helps on position and colour; no detectable difference at n = 3 on shape\./,
    );
    const sharing = await page.locator('#sharing').boundingBox();
    const verdicts = await page.locator('#verdicts').boundingBox();
    expect(sharing!.y).toBeLessThan(verdicts!.y);
    const position = (await rowsOf('#sharing-table')).find((row) => row[0]!.startsWith('position'))!;
    expect(position[5]).toBe('-1.28 [-1.34, -1.21]');
    expect(position[8]).toBe('sharing helps');
    expect(await page.isVisible('#conflict-table')).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'reporter-sharing-page.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('a 1,000-trial sweep: the leaderboard shows, rows page in, and one run’s details open', async () => {
    await writeSyntheticSweep(fixture.layout, {
      sweepId: 'thousand',
      trials: 1000,
      testSamples: 200,
      epochs: 5,
    });
    await page.goto(`${base}/sweeps/thousand`);
    await page.locator('[data-testid="leaderboard-row"]').first().waitFor({ state: 'visible' });
    expect(await page.locator('[data-testid="leaderboard-row"]').count()).toBe(100);
    expect(await page.locator('[data-testid="run-row"]').count()).toBe(50);
    await page.click('[data-testid="runs-more"]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="run-row"]').length === 100);
    const trial = await page.getAttribute('[data-testid="run-row"]:nth-child(77)', 'data-trial');
    await page.click(`button.open-run[data-trial="${trial}"]`);
    await page.waitForSelector(`#run-${trial} table.heatmap`);
    await page.waitForFunction((id) => document.querySelectorAll(`#run-${id} canvas`).length === 4, trial);
    expect(pageErrors).toEqual([]);
  });

  it('updates a running sweep’s page when a trial completes', async () => {
    // A sweep the queues know (a sweep only on disk would be `orphaned`: nothing runs it), with one
    // recorded trial and one still training (a trial directory without run.json).
    const producer = new PipelineProducer(redis, { prefix });
    await producer.enqueueSweep({
      sweepId: 'running',
      name: 'running',
      dataset: { imageSize: 32, samples: 20, test: 10, seed: 5 },
      trials: ['r1', 'r2'].map((trialId, seed) => ({ trialId, config: { arch: 'mtl-seed' }, seed })),
    });
    await producer.close();
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
    // No worker takes its jobs here: the queues say queued, and the page polls as for a running one.
    expect(await page.textContent('[data-testid="state"]')).toBe('queued');
    expect(await page.locator('#runs tbody tr').count()).toBe(1);

    await writeFile(
      join(layout.trialDir('running', 'r2'), 'run.json'),
      JSON.stringify({ ...second!.record, runId: 'running.r2' }),
    );
    await page.waitForFunction(() => document.querySelectorAll('#runs tbody tr').length === 2, undefined, {
      timeout: 30_000,
    });
    expect(pageErrors).toEqual([]);
  });
});
