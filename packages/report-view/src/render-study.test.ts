import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReport } from './load-report.js';
import { renderSweepPage } from './render-sweep-page.js';
import type { ReportSummary } from './report-summary.js';
import { writeStudyFixture } from './testing/sweep-fixture.js';

const linked = { mode: 'linked', base: '/assets/' } as const;
let root: string;
let summary: ReportSummary;
let html: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-study-page-'));
  const fixture = await writeStudyFixture(root);
  summary = (await loadReport(fixture.layout, fixture.sweepId)).summary;
  html = renderSweepPage(summary, { assets: linked });
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** The text of each cell of the rows matching `rowMarker`. */
function rows(rowMarker: string): string[][] {
  return [...html.matchAll(new RegExp(`<tr[^>]*${rowMarker}[^>]*>([\\s\\S]*?)</tr>`, 'g'))].map((row) =>
    [...row[1]!.matchAll(/<td[^>]*>(?:<strong>)?([^<]*)/g)].map((cell) => cell[1]!),
  );
}

describe('the study sections of a report page (two architectures × three seeds)', () => {
  it('reads the written summary: the reporter wrote it, nothing is aggregated again', () => {
    expect(summary.provisional).toBe(false);
    expect(summary.parameters).toEqual({ varying: ['arch'], constant: { learningRate: 0.001 } });
  });

  it('opens with the verdict table: mtl-seed better on position with its interval, no difference on shape', () => {
    expect(html.indexOf('id="verdicts"')).toBeLessThan(html.indexOf('id="leaderboard"'));
    const position = rows('data-head="position"')[0]!;
    // MAE per seed: mtl (2 + 0.25 s) / 2 against branches (4.25 + 0.4 s) / 2 → A − B = −1.125, −1.2, −1.275.
    expect(position.slice(2, 4)).toEqual(['#1 arch mtl-seed', '#2 arch branches-seed']);
    expect(position[6]).toBe('-1.20 [-1.39, -1.01]');
    expect(position[7]).toBe('paired, n = 3');
    expect(position[12]).toBe('arch mtl-seed better than arch branches-seed');
    const shape = rows('data-head="shape"')[0]!;
    expect(shape[12]).toBe('no detectable difference at n = 3');
    expect(html).toContain('Holm–Bonferroni-corrected over the 4 comparisons');
  });

  it('lists the Pareto front and draws its charts: mtl-seed is smaller and better', () => {
    const front = rows('data-testid="pareto-row"');
    expect(front.map((row) => row[0])).toEqual(['#1 arch mtl-seed']);
    expect(front[0]).toContain('191,747');
    expect(html.match(/data-testid="pareto-chart"/g)).toHaveLength(6);
  });

  it('tabulates task conflict per configuration and pair of heads, nothing for branches-seed', () => {
    const conflict = rows('data-testid="conflict-row"');
    expect(conflict.map((row) => [row[0], row[1]])).toEqual([
      ['#1 arch mtl-seed', 'position · shape'],
      ['#1 arch mtl-seed', 'shape · colour'],
    ]);
    // position-shape per epoch (n − 2) · 0.1 + seed · 0.01: run means 0, 0.01, 0.02; after epoch 3 0.1, 0.11, 0.12.
    expect(conflict[0]![2]).toBe('0.010 [-0.015, 0.035]');
    expect(conflict[0]![3]).toBe('0.110 [0.085, 0.135]');
    // Epoch 1 of each run (−0.1, −0.09, −0.08) is below 0: 3 of 9.
    expect(conflict[0]![4]).toBe('33 %');
    expect(conflict[1]![2]).toBe('0.500 [0.500, 0.500]');
  });

  it('draws one parallel-coordinates line per configuration, best darkest, with readable axes', () => {
    const lines = [
      ...html.matchAll(/<polyline class="pc-line pc-shade-(\d)" data-testid="pc-line" data-rank="(\d+)"/g),
    ];
    expect(lines.map((line) => line[2]).sort()).toEqual(['1', '2']);
    expect(lines.find((line) => line[2] === '1')![1]).toBe('0');
    expect(html).toMatch(/data-axis="arch"/);
    expect(html).toMatch(/data-axis="combined \(test\)"/);
  });

  it('ranks arch first in parameter importance, with the seed noise beside it', () => {
    const importance = rows('data-testid="importance-row"');
    expect(importance[0]![0]).toBe('arch');
    const share = Number(
      html.match(/data-parameter="arch"[\s\S]*?<meter min="0" max="1" value="([\d.]+)"/)?.[1],
    );
    expect(share).toBeGreaterThan(0.9);
    expect(html).toContain('seed (within configurations)');
  });
});
