import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { aggregateRuns, renderLeaderboard } from '@repo/metrics';
import { HOSTILE_NAME, type SweepFixture, writeSweepFixture } from '@repo/report-view/testing';
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
  it('prints @repo/metrics’ leaderboard of the run records, the failed trial and the best matrices', async () => {
    expect(await report()).toBe(ExitCode.ok);
    const out = stdout.join('');
    const expected = aggregateRuns(
      fixture.runs.map(({ trial, record }) => ({
        // Relative to ARTIFACTS_DIR, as the stored report names its runs.
        source: relative(root, join(fixture.layout.trialDir(fixture.sweepId, trial.trialId), 'run.json')),
        json: record,
      })),
    );
    expect(out).toContain(renderLeaderboard(expected));
    expect(out).toContain(
      `sweep ${fixture.sweepId} (${HOSTILE_NAME}): completed; trials 4, completed 3, failed 1`,
    );
    expect(out).toContain(`failed: t003: ${fixture.failed.reason}`);
    expect(out).toMatch(
      /shape, best configuration \(2 runs summed\):\ntrue \\ pred +circle +rectangle +triangle +total/,
    );
  });

  it('writes the whole report as JSON', async () => {
    const out = join(root, 'out', 'report.json');
    expect(await report('--format', 'json', '--out', out)).toBe(ExitCode.ok);
    expect(stdout.join('')).toBe('');
    const json = JSON.parse(await readFile(out, 'utf8'));
    expect(json.name).toBe(HOSTILE_NAME);
    expect(json.runs.map((r: { trialId: string }) => r.trialId)).toEqual(['t000', 't001', 't002']);
    expect(json.aggregate.leaderboard).toHaveLength(2);
    expect(json.samples.images).toEqual([]); // JSON stays small: no embedded images
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
