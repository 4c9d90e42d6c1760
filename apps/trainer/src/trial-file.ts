import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  parseTrialRecord,
  type TrialRecord,
  type TrialRecordState,
  type TrialSummary,
  trialSummarySchema,
} from '@repo/contracts';
import type { TrialDir } from '@repo/trial-runner';

/** The trial record's mirror in the trial directory, written when the trial ends, before run.json. */
export const TRIAL_FILE = 'trial.json';
/** What trial directories held before the record (a trial job's return value): still read. */
const LEGACY_SUMMARY_FILE = 'summary.json';

/** Writes the record (state and curve) to `trial.json`. */
export async function writeTrialFile(dir: TrialDir, record: TrialRecord): Promise<void> {
  await dir.writeJson(TRIAL_FILE, record);
}

/** How a recorded trial ended: what its record says, from trial.json, or from an older summary.json. */
export type TrialEnding = Pick<TrialRecordState, 'status' | 'result' | 'decision' | 'objective'>;

/** Reads how a recorded trial directory's trial ended (trial.json, else a legacy summary.json). */
export async function readTrialEnding(dir: TrialDir): Promise<TrialEnding> {
  const file = join(dir.dir, TRIAL_FILE);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text !== undefined) {
    const { status, result, decision, objective } = parseTrialRecord(text, file);
    return {
      status,
      ...(result ? { result } : {}),
      ...(decision ? { decision } : {}),
      ...(objective === undefined ? {} : { objective }),
    };
  }
  const legacy = join(dir.dir, LEGACY_SUMMARY_FILE);
  const summary: TrialSummary = trialSummarySchema.parse(JSON.parse(await readFile(legacy, 'utf8')));
  const { sweepId: _sweepId, trialId: _trialId, stoppedByScheduler, ...result } = summary;
  return stoppedByScheduler === undefined
    ? { status: 'completed', result }
    : {
        status: 'stopped',
        result,
        decision: { action: 'stop', epoch: summary.epochs || 1, reason: stoppedByScheduler },
      };
}
