import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArtifactLayout } from './artifact-layout.js';
import { describeMissing, missingArtifacts } from './sweep-artifacts.js';
import type { SweepStatus, TrialState } from './sweep-status.js';

const status = (trials: [string, TrialState][], reportedAt?: string): SweepStatus =>
  ({
    sweep: { sweepId: 'sw', ...(reportedAt ? { reportedAt } : {}) },
    trials: trials.map(([trialId, state]) => ({ trialId, jobId: `sw-${trialId}`, state, attempts: 1 })),
  }) as unknown as SweepStatus;

describe('missingArtifacts', () => {
  let root: string;
  let layout: ArtifactLayout;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'artifacts-'));
    layout = new ArtifactLayout(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const writeRun = async (trialId: string) => {
    await mkdir(layout.trialDir('sw', trialId), { recursive: true });
    await writeFile(join(layout.trialDir('sw', trialId), 'run.json'), '{}');
  };

  it('expects nothing of a sweep that has written nothing yet', async () => {
    expect(
      await missingArtifacts(
        layout,
        status([
          ['t1', 'waiting'],
          ['t2', 'running'],
        ]),
      ),
    ).toBeUndefined();
  });

  it('is satisfied when the report and every completed run record are there', async () => {
    await writeRun('t1');
    await writeFile(layout.reportFile('sw', 'json'), '{}');
    const found = status(
      [
        ['t1', 'completed'],
        ['t2', 'failed'],
        ['t3', 'stopped'],
      ],
      '2026-12-02T10:00:00Z',
    );
    expect(await missingArtifacts(layout, found)).toBeUndefined();
  });

  it('names the report and the completed trials whose run.json is gone', async () => {
    await writeRun('t1');
    const missing = await missingArtifacts(
      layout,
      status(
        [
          ['t1', 'completed'],
          ['t2', 'completed'],
          ['t3', 'completed'],
        ],
        '2026-12-02T10:00:00Z',
      ),
    );
    expect(missing).toEqual({
      sweepDir: layout.sweepDir('sw'),
      report: layout.reportFile('sw', 'json'),
      trials: ['t2', 't3'],
      completed: 3,
    });
    expect(describeMissing(missing ?? { sweepDir: '', trials: [], completed: 0 })).toBe(
      `report.json and 2 of 3 completed trials' run.json are not under ${layout.sweepDir('sw')}`,
    );
  });

  it('says "is" of the report alone', async () => {
    const missing = await missingArtifacts(layout, status([['t1', 'failed']], '2026-12-02T10:00:00Z'));
    expect(missing && describeMissing(missing)).toBe(`report.json is not under ${layout.sweepDir('sw')}`);
  });
});
