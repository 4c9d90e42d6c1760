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
  root = await mkdtemp(join(tmpdir(), 'mtl-sharing-page-'));
  const fixture = await writeStudyFixture(root, 'sharing-sweep', { singleTask: true });
  summary = (await loadReport(fixture.layout, fixture.sweepId)).summary;
  html = renderSweepPage(summary, { assets: linked });
});
afterAll(() => rm(root, { recursive: true, force: true }));

function sharingRow(head: string): string[] {
  const row = html.match(
    new RegExp(`<tr data-testid="sharing-row" data-head="${head}"[^>]*>([\\s\\S]*?)</tr>`),
  );
  return [...(row?.[1] ?? '').matchAll(/<td[^>]*>(?:<strong>)?([^<]*)/g)].map((cell) => cell[1]!);
}

describe('"Does sharing help?" on a report page (mtl-seed, branches-seed and the three baselines × 3 seeds)', () => {
  it('is the first section after the header, before the verdicts and the leaderboard', () => {
    const at = html.indexOf('id="sharing"');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(html.indexOf('id="verdicts"'));
    expect(at).toBeLessThan(html.indexOf('id="leaderboard"'));
  });

  it('compares mtl-seed with each head’s baseline on the same seeds, with the interval and a verdict', () => {
    const position = sharingRow('position');
    expect(position[1]).toMatch(/arch mtl-seed$/);
    expect(position[2]).toMatch(/arch stl-position$/);
    // MAE per seed: mtl (2 + 0.25 s) / 2 against stl-position (4.5 + 0.3 s) / 2 → −1.25, −1.275, −1.3.
    expect(position[5]).toBe('-1.28 [-1.34, -1.21]');
    expect(position[6]).toBe('paired, n = 3');
    expect(position[8]).toBe('sharing helps');
    // Both wrong on the same test sample for every seed: nothing to tell apart.
    expect(sharingRow('shape')[8]).toBe('no detectable difference at n = 3');
    // stl-colour misses 2 of 12 on every seed, mtl-seed none: +16.67 pp each time.
    const colour = sharingRow('colour');
    expect(colour[5]).toBe('+16.67 pp [+16.67 pp, +16.67 pp]');
    expect(colour[8]).toBe('sharing helps');
  });

  it('opens with one sentence: the verdicts and one model’s cost against the three baselines together', () => {
    const headline = html.match(/<p class="lead" data-testid="sharing-headline">([^<]*)<\/p>/)?.[1];
    expect(headline).toBe(
      'Sharing helps on position and colour; no detectable difference at n = 3 on shape. ' +
        'One shared model has 191,747 parameters; the 3 single-task models (position, shape and colour) ' +
        'have 501,507 together (2.62× the shared model). Training took 60.00 s against 180.00 s for the ' +
        '3 single-task models (3.00× the shared model).',
    );
  });

  it('ranks the three-head models first and compares each only with models scored on the same heads', () => {
    const archs = summary.leaderboard.map((row) => row.config.arch);
    expect(archs.slice(0, 2)).toEqual(['mtl-seed', 'branches-seed']);
    const archOf = new Map(summary.leaderboard.map((row) => [row.key, row.config.arch]));
    const compared = summary.study.verdicts.rows.flatMap((row) => [archOf.get(row.a), archOf.get(row.b)]);
    expect(new Set(compared)).toEqual(new Set(['mtl-seed', 'branches-seed']));
    expect(summary.best[0]?.trialId).toMatch(/^mtl-/);
    // The Pareto fronts weigh the heads' errors: only the three-head models take part.
    expect(summary.study.pareto.points.map((point) => archOf.get(point.key))).toEqual([
      'mtl-seed',
      'branches-seed',
    ]);
    expect(summary.study.pareto.objectives).toContain('position_mae_px');
    // So does parameter importance: arch explains mtl-seed against branches-seed, not the baselines' sums.
    expect(summary.study.importance.parameters.find((p) => p.parameter === 'arch')?.levels).toBe(2);
  });

  it('never picks branches-seed (it shares no layer) as the shared model', () => {
    expect(summary.study.sharing?.rows.every((row) => row.mtl === summary.study.sharing?.cost.mtl)).toBe(
      true,
    );
    const mtl = summary.leaderboard.find((row) => row.key === summary.study.sharing?.cost.mtl);
    expect(mtl?.config.arch).toBe('mtl-seed');
  });

  it('is absent from a sweep without single-task baselines', async () => {
    const plain = await writeStudyFixture(root, 'plain-sweep');
    const page = renderSweepPage((await loadReport(plain.layout, plain.sweepId)).summary, { assets: linked });
    expect(page).not.toContain('id="sharing"');
  });
});
