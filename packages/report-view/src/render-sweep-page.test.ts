import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluateHeads, samplePredictions } from '@repo/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportView } from './build-report-view.js';
import { loadSweepView } from './load-sweep-view.js';
import { inlineAssets } from './page-assets.js';
import { renderSweepPage } from './render-sweep-page.js';
import { renderSweepsPage } from './render-sweeps-page.js';
import { type ReportSummary, summariseReportView } from './report-summary.js';
import type { SweepView } from './sweep-view.js';
import { HOSTILE_NAME, type SweepFixture, writeSweepFixture } from './testing/sweep-fixture.js';

const linked = { mode: 'linked', base: '/assets/' } as const;
let root: string;
let fixture: SweepFixture;
let view: SweepView;
let summary: ReportSummary;
/** The page as `mtl report --format html` makes it: every run's details embedded. */
const selfContained = (assets: Parameters<typeof renderSweepPage>[1]['assets'] = linked) => {
  const { summary, runPages } = summariseReportView(view);
  return renderSweepPage(summary, { assets, details: { runs: runPages.flat(), samples: view.samples } });
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-report-page-'));
  fixture = await writeSweepFixture(root);
  view = await loadSweepView(fixture.layout, fixture.sweepId);
  summary = summariseReportView(view).summary;
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** The text of every `<td>` of the first table after `marker`. */
function cellsAfter(html: string, marker: string): string[] {
  const table =
    html.slice(html.lastIndexOf('<table', html.indexOf(marker))).match(/<table[\s\S]*?<\/table>/)?.[0] ?? '';
  return [...table.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((match) => match[1]!);
}

describe('renderSweepPage', () => {
  it('escapes the sweep name and failure reasons everywhere', () => {
    const html = renderSweepPage(summary, { assets: linked, links: true, reaggregateUrl: '/x' });
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<b>bad</b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;');
    expect(html).toContain('TrialConfigError: &lt;b&gt;bad&lt;/b&gt; width');
  });

  it('escapes class labels in heatmaps and sample captions', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const record = structuredClone(fixture.runs[0]!.record);
    const { heads } = fixture.runs[0]!;
    record.test = evaluateHeads({ ...heads, shape: { ...heads.shape, labels: [hostile, 'b', 'c'] } });
    const hostileView = summariseReportView(
      buildReportView({ sweepId: 's', runs: [{ trialId: 't', source: 'run.json', record }] }),
    );
    const page = renderSweepPage(hostileView.summary, {
      assets: linked,
      details: { runs: hostileView.runPages.flat(), samples: { imageSize: 0, images: [] } },
    });
    expect(page).not.toContain(hostile);
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('shows "–" for the heads a single-task run lacks, never 0 or NaN, and draws only its head', () => {
    const { record: full, heads } = fixture.runs[0]!;
    const stl = structuredClone(full);
    stl.runId = 'stl-run';
    stl.config = { ...stl.config, arch: 'stl-shape' };
    stl.test = evaluateHeads({ imageSize: heads.imageSize, shape: heads.shape });
    const built = summariseReportView(
      buildReportView({
        sweepId: 's',
        runs: [
          { trialId: 'mtl', source: 'mtl/run.json', record: full },
          {
            trialId: 'stl',
            source: 'stl/run.json',
            record: stl,
            predictions: samplePredictions({ imageSize: heads.imageSize, shape: heads.shape }),
          },
        ],
      }),
    );
    const html = renderSweepPage(built.summary, {
      assets: linked,
      details: { runs: built.runPages.flat(), samples: { imageSize: 0, images: [] } },
    });
    expect(html).not.toContain('NaN');
    const cell = (row: string, metric: string) =>
      row.match(new RegExp(`<td[^>]*data-metric="${metric}">([^<]*)</td>`))?.[1];
    const runRow = html.match(/<tr data-testid="run-row" data-trial="stl">[\s\S]*?<\/tr>/)?.[0] ?? '';
    expect(cell(runRow, 'position_mae_px')).toBe('–');
    expect(cell(runRow, 'colour_acc')).toBe('–');
    expect(cell(runRow, 'shape_acc')).toMatch(/^\d+\.\d{2} %$/);
    const stlRank = built.summary.leaderboard.find((row) => row.config.arch === 'stl-shape')?.rank;
    const board = html.match(
      new RegExp(`<tr data-testid="leaderboard-row" data-rank="${stlRank}">[\\s\\S]*?</tr>`),
    )?.[0];
    expect(cell(board ?? '', 'position_mae_px')).toBe('–');
    expect(cell(board ?? '', 'colour_acc')).toBe('–');
    expect(cell(board ?? '', 'shape_acc')).not.toBe('–');
    // The mtl-seed run beside it keeps every head's figure.
    const mtlRow = html.match(/<tr data-testid="run-row" data-trial="mtl">[\s\S]*?<\/tr>/)?.[0] ?? '';
    expect(cell(mtlRow, 'colour_acc')).not.toBe('–');
    const detail = html.slice(html.indexOf('id="run-stl"'));
    const article = detail.slice(0, detail.indexOf('</article>'));
    expect(article).toContain('data-head="shape"');
    expect(article).not.toContain('data-head="colour"');
    expect(article).toContain('data-curve="shape"');
    expect(article).not.toContain('data-curve="position"');
    expect(article).not.toContain('data-errors');
    expect(article).not.toContain('class="true-dot"');
  });

  it('shows one leaderboard row per configuration with its mean and 95 % interval, varying parameters only', () => {
    const html = renderSweepPage(summary, { assets: linked });
    expect(html.match(/data-testid="leaderboard-row"/g)).toHaveLength(2);
    // The 0.001 configuration pools t000 (MAE (1+2)/2) and t001 ((3+0)/2): mean 1.5, std 0, so the
    // interval is the mean itself.
    const shown = cellsAfter(html, 'id="leaderboard"');
    expect(shown).toContain('1.50 [1.50, 1.50]');
    expect(shown).toContain('3.50'); // t002 alone: (4 + 3) / 2, no interval from one run
    // learningRate varies, arch does not: a column of readable values, and the constant above.
    expect(shown).toContain('1e-3');
    expect(html).toMatch(/data-testid="constants">every configuration: arch mtl-seed/);
  });

  it('prints each run’s confusion counts and row percentages', () => {
    const html = selfContained();
    const run = view.runs.find((r) => r.trialId === 't001')!;
    const section = html.slice(html.indexOf('id="run-t001"'));
    const counts = cellsAfter(section, 'data-kind="counts"');
    const expected = run.confusion.shape!.counts.flatMap((row) => [
      ...row.map(String),
      String(row.reduce((a, b) => a + b, 0)),
    ]);
    expect(counts).toEqual(expected);
    const shares = cellsAfter(section, 'data-kind="normalised"');
    expect(shares).toEqual(
      run.confusion.shape!.normalised.flatMap((row) => row.map((share) => `${(share * 100).toFixed(1)}%`)),
    );
  });

  it('draws the 12 samples of each run over the shared images', () => {
    const html = selfContained();
    expect(html.match(/data-testid="sample"/g)).toHaveLength(12 * view.runs.length);
    expect(new Set(html.match(/<image id="sample-image-\d+"/g)).size).toBe(12);
  });

  it('without embedded details the page holds no run details, only the rows to open them from', () => {
    const html = renderSweepPage(summary, { assets: linked, fetchBase: '/sweeps/x' });
    expect(html).not.toContain('data-testid="run-details"');
    expect(html.match(/data-testid="run-row"/g)).toHaveLength(3);
    expect(html).toContain('data-detail-url="/sweeps/x/runs/"');
  });

  it('inlines Chart.js and the page script into one self-contained file', async () => {
    const html = selfContained(await inlineAssets());
    expect(html).not.toMatch(/<script[^>]+src=|<link rel="stylesheet"/);
    expect(html).not.toContain('/assets/');
    expect(html).toContain('Chart');
    // Every script element ends where it should: no stray closer inside the inlined code.
    expect(html.match(/<script/g)?.length).toBe(html.match(/<\/script>/g)?.length);
  });
});

describe('renderSweepsPage', () => {
  it('lists sweeps with escaped names and a link per sweep', () => {
    const html = renderSweepsPage(
      [{ sweepId: 'a-1', name: HOSTILE_NAME, state: 'running', done: 2, failed: 1, trials: 4 }],
      linked,
    );
    expect(html).toContain('<a href="/sweeps/a-1">&lt;script&gt;');
    expect(html).toContain('<td>2 / 4</td><td>1</td>');
  });
});
