import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRIAL_RECORD_VERSION, type TrialRecord, TrialRecordVersionError } from '@repo/contracts';
import { TrialDir } from '@repo/trial-runner';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTrialEnding, writeTrialFile } from './trial-file.js';

const result = {
  runFile: 'sweeps/s/trials/t/run.json',
  epochs: 3,
  bestEpoch: 2,
  stoppedEarly: false,
  resumedEpochs: 1,
  test: { shape_acc: 0.9 },
  durationMs: 10,
  trainMs: 8,
  cpuMs: 9,
  peakRssMiB: 100,
};

describe('trial.json', () => {
  let dir: TrialDir;

  beforeEach(async () => {
    dir = new TrialDir(await mkdtemp(join(tmpdir(), 'trial-file-')));
  });

  afterEach(async () => {
    await rm(dir.dir, { recursive: true, force: true });
  });

  it('reads back how the mirrored record ended', async () => {
    const record: TrialRecord = {
      version: TRIAL_RECORD_VERSION,
      sweepId: 's',
      trialId: 't',
      jobId: 's.t',
      datasetId: 'd',
      config: { arch: 'mtl-seed' },
      seed: 1,
      status: 'stopped',
      attempts: 2,
      updatedAt: new Date(0).toISOString(),
      objective: 12.5,
      decision: { action: 'stop', epoch: 3, reason: 'rung 3' },
      result,
      curve: [{ epoch: 1, train: { loss: 1 }, val: { loss: 2 } }],
    };
    await writeTrialFile(dir, record);
    expect(await readTrialEnding(dir)).toEqual({
      status: 'stopped',
      result,
      objective: 12.5,
      decision: { action: 'stop', epoch: 3, reason: 'rung 3' },
    });
  });

  it('reads a trial directory from before the record (summary.json)', async () => {
    await writeFile(join(dir.dir, 'summary.json'), JSON.stringify({ sweepId: 's', trialId: 't', ...result }));
    expect(await readTrialEnding(dir)).toEqual({ status: 'completed', result });
    await writeFile(
      join(dir.dir, 'summary.json'),
      JSON.stringify({ sweepId: 's', trialId: 't', ...result, stoppedByScheduler: 'median' }),
    );
    expect(await readTrialEnding(dir)).toMatchObject({
      status: 'stopped',
      decision: { action: 'stop', epoch: 3, reason: 'median' },
    });
  });

  it('names the file of a damaged or foreign record', async () => {
    await writeFile(join(dir.dir, 'trial.json'), '{"version": 7');
    await expect(readTrialEnding(dir)).rejects.toThrow(TrialRecordVersionError);
    await expect(readTrialEnding(dir)).rejects.toThrow(
      /trial\.json: not a trial record this release reads \(not JSON\)/,
    );
    await writeFile(join(dir.dir, 'trial.json'), '{"version": 7}');
    await expect(readTrialEnding(dir)).rejects.toThrow(/version 7, this release reads 1/);
  });
});
