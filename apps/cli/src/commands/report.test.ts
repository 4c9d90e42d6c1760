import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  HOSTILE_NAME,
  type SweepFixture,
  writeStudyFixture,
  writeSweepFixture,
} from '@repo/report-view/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../errors.js';
import { run } from '../run.js';
import { captureOutput } from '../testing/capture-output.js';

let root: string;
let fixture: SweepFixture;
let stdout: string[];
let stderr: string[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mtl-report-cli-'));
  fixture = await writeSweepFixture(root);
});
afterAll(() => rm(root, { recursive: true, force: true }));
beforeEach(() => {
  ({ stdout, stderr } = captureOutput());
});

const report = (...args: string[]) => run(['report', fixture.sweepId, '--artifacts', root, ...args]);

describe('mtl report', () => {
  it('prints the verdicts first, the leaderboard of varying hyperparameters with intervals, the failed trial and the best matrices', async () => {
    expect(await report()).toBe(ExitCode.ok);
    const out = stdout.join('');
    expect(out).toContain(
      `sweep ${fixture.sweepId} (${HOSTILE_NAME}): completed; trials 4, completed 3, failed 1`,
    );
    expect(out).toContain('objective combined on test (minimize)');
    expect(out).toContain('every configuration: arch mtl-seed');
    // Two runs against one: no verdict drawn, and the table says why.
    expect(out).toMatch(/verdicts \(test split; Holm–Bonferroni over \d+ comparisons/);
    expect(out).toContain('sample too small (n = 1; needs 3)');
    expect(out.indexOf('verdicts')).toBeLessThan(out.indexOf('leaderboard'));
    // learningRate is the only varying hyperparameter: a column of readable values.
    expect(out).toMatch(/#\s+learningRate\s+runs\s+combined \[95 % CI\]/);
    expect(out).toMatch(/1\s+1e-3\s+2\s/);
    expect(out).toContain(`failed: t003: ${fixture.failed.reason}`);
    expect(out).toMatch(
      /shape, best configuration \(2 runs summed\):\ntrue \\ pred +circle +rectangle +triangle +total/,
    );
  });

  it('writes the report summary as JSON: runs listed, no per-run detail or image', async () => {
    const out = join(root, 'out', 'report.json');
    expect(await report('--format', 'json', '--out', out)).toBe(ExitCode.ok);
    expect(stdout.join('')).toBe('');
    const text = await readFile(out, 'utf8');
    const json = JSON.parse(text);
    expect(json.name).toBe(HOSTILE_NAME);
    expect(json.runs.rows.map((r: { trialId: string }) => r.trialId)).toEqual(['t000', 't001', 't002']);
    expect(json.leaderboard).toHaveLength(2);
    expect(json.leaderboard[0].stats.position_mae_px.n).toBe(2);
    expect(json.study.verdicts.rows.length).toBeGreaterThan(0);
    expect(text).not.toContain('data:image');
    expect(text).not.toContain('"history"');
  });

  it('writes one self-contained HTML file beside report.json by default', async () => {
    expect(await report('--format', 'html')).toBe(ExitCode.ok);
    const file = fixture.layout.reportFile(fixture.sweepId, 'html');
    expect(stderr.join('')).toContain(`report of 3 completed run(s) → ${file}`);
    const html = await readFile(file, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link rel="stylesheet"/);
    expect(html).toContain('Chart');
    expect(html).not.toContain(HOSTILE_NAME);
    expect(html.match(/data-testid="leaderboard-row"/g)).toHaveLength(2);
    expect(html.match(/<image id="sample-image-/g)).toHaveLength(12);
  });

  it('exits 2 naming an unknown sweep, a bad id or a bad format', async () => {
    expect(await run(['report', 'ghost', '--artifacts', root])).toBe(ExitCode.usage);
    expect(stderr.join('')).toMatch(/no sweep ghost .*ARTIFACTS_DIR/);
    expect(await run(['report', '../etc', '--artifacts', root])).toBe(ExitCode.usage);
    expect(stderr.join('')).toContain('"../etc" is not a sweep id');
    expect(await report('--format', 'pdf')).toBe(ExitCode.usage);
    expect(existsSync(join(root, 'etc'))).toBe(false);
  });
});

describe('mtl report --compare', () => {
  it('puts two sweeps’ configurations in one leaderboard, tagged by sweep, with verdicts', async () => {
    const other = await writeStudyFixture(root, 'study-b');
    await writeStudyFixture(root, 'study-a');
    expect(
      await run(['report', '--compare', 'study-a', other.sweepId, '--artifacts', root, '--format', 'json']),
    ).toBe(ExitCode.ok);
    const json = JSON.parse(stdout.join(''));
    expect(json.comparison).toEqual({
      sweeps: [
        { sweepId: 'study-a', name: 'study-a' },
        { sweepId: 'study-b', name: 'study-b' },
      ],
      paired: true,
    });
    expect(json.parameters.varying).toEqual(['arch', 'sweep']);
    expect(json.leaderboard).toHaveLength(4);
    // The same study twice: mtl-seed of either sweep leads; its twin in the other sweep is no different.
    expect(json.leaderboard[0].config.arch).toBe('mtl-seed');
    const twin = json.study.verdicts.rows.find(
      (row: { head: string; b: string }) => row.head === 'position' && row.b === json.leaderboard[1].key,
    );
    expect(twin.verdict.kind).toBe('no-difference');
    expect(await run(['report', '--compare', 'study-a', '--artifacts', root])).toBe(ExitCode.usage);
  });
});
