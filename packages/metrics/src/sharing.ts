import {
  type HeadName,
  isModelName,
  isSingleTaskArchitectureName,
  SHARES_LAYERS,
  SINGLE_TASK_ARCHITECTURES,
} from '@repo/model/config';
import { compareSamples, type SampleComparison } from './compare-samples.js';
import { holmAdjust } from './holm.js';
import type { Direction } from './objective.js';
import { type SampleSummary, summariseSample } from './sample-summary.js';
import { type StudyGroup, seededValues } from './study-group.js';
import { VERDICT_ALPHA, verdictFor } from './verdict.js';

/** The test metric each head is judged on, and which way is better. */
const HEAD_METRICS: Record<HeadName, { metric: string; direction: Direction }> = {
  position: { metric: 'position_mae_px', direction: 'minimize' },
  shape: { metric: 'shape_acc', direction: 'maximize' },
  colour: { metric: 'colour_acc', direction: 'maximize' },
};

export type SharingVerdictKind = 'helps' | 'hurts' | 'no-difference' | 'too-small';

/** One head: the chosen multi-task configuration against that head's single-task model. */
export interface SharingRow {
  head: HeadName;
  metric: string;
  direction: Direction;
  /** Group keys of the multi-task (shared) and the single-task configuration compared. */
  mtl: string;
  stl: string;
  /** MTL − STL on the test split, paired by seed where at least three seeds are shared. */
  comparison: SampleComparison;
  /** The t-test p-value after Holm–Bonferroni over the heads compared; null without a test. */
  adjustedP: number | null;
  verdict: { kind: SharingVerdictKind; text: string };
}

/** What one model costs against the single-task models that replace it. */
export interface SharingCost {
  /** The multi-task configuration chosen for the most heads. */
  mtl: string;
  /** The single-task configurations (one per head that has one), in head order. */
  stl: string[];
  /** Heads the single-task side covers; fewer than three means the sums are partial. */
  heads: HeadName[];
  parameters: { mtl: number | null; stl: number | null };
  /** Training seconds: the MTL configuration's runs, and the sum of the STL configurations' means. */
  seconds: { mtl: SampleSummary | null; stl: number | null };
}

/** "Does sharing help?": present when a sweep has a shared multi-task model and a single-task baseline. */
export interface SharingAnalysis {
  /** How configurations were chosen: by each head's validation loss, never by test figures. */
  selection: 'validation-loss';
  rows: SharingRow[];
  /** Heads with no single-task baseline in the sweep. */
  missing: HeadName[];
  correction: 'holm';
  alpha: number;
  cost: SharingCost;
}

type Role = { kind: 'shared' } | { kind: 'single'; head: HeadName };

/** A configuration's role in the sharing question, from its `arch`: hard sharing, one head, or neither. */
function roleOf(group: StudyGroup): Role | undefined {
  const arch = group.config.arch;
  if (typeof arch !== 'string' || !isModelName(arch)) return undefined;
  if (isSingleTaskArchitectureName(arch)) return { kind: 'single', head: SINGLE_TASK_ARCHITECTURES[arch] };
  return SHARES_LAYERS[arch] ? { kind: 'shared' } : undefined;
}

/**
 * The study's central question, per head: is the hard-sharing model better or worse on that head
 * than a model trained for the head alone? For each head with a single-task baseline, the shared
 * configuration and the baseline configuration with the lowest mean validation loss of that head are
 * compared on the test metric (same seeds paired), Holm-corrected over the heads. Null when the sweep
 * lacks either side. `groups` are in leaderboard order, which breaks ties.
 */
export function analyseSharing(groups: readonly StudyGroup[]): SharingAnalysis | null {
  const shared = groups.filter((group) => roleOf(group)?.kind === 'shared');
  const single = new Map<HeadName, StudyGroup[]>();
  for (const group of groups) {
    const role = roleOf(group);
    if (role?.kind === 'single') single.set(role.head, [...(single.get(role.head) ?? []), group]);
  }
  if (shared.length === 0 || single.size === 0) return null;

  const pending: Omit<SharingRow, 'adjustedP' | 'verdict'>[] = [];
  const missing: HeadName[] = [];
  const chosenStl: { head: HeadName; group: StudyGroup }[] = [];
  const mtlVotes = new Map<StudyGroup, number>();
  for (const head of Object.keys(HEAD_METRICS) as HeadName[]) {
    const baselines = single.get(head);
    if (baselines === undefined) {
      missing.push(head);
      continue;
    }
    const mtl = chooseByValidation(shared, head);
    const stl = chooseByValidation(baselines, head);
    chosenStl.push({ head, group: stl });
    mtlVotes.set(mtl, (mtlVotes.get(mtl) ?? 0) + 1);
    const { metric, direction } = HEAD_METRICS[head];
    const a = seededValues(mtl, metric);
    const b = seededValues(stl, metric);
    if (a.length === 0 || b.length === 0) continue;
    pending.push({ head, metric, direction, mtl: mtl.key, stl: stl.key, comparison: compareSamples(a, b) });
  }
  const adjusted = holmAdjust(pending.map((row) => row.comparison.pValue));
  const rows = pending.map((row, i) => ({
    ...row,
    adjustedP: adjusted[i] ?? null,
    verdict: sharingVerdict(row.comparison, adjusted[i] ?? null, row.direction),
  }));
  // Map iteration follows insertion (head order), so a tie goes to the first head's choice.
  const costMtl = [...mtlVotes].reduce((best, entry) => (entry[1] > best[1] ? entry : best))[0];
  return {
    selection: 'validation-loss',
    rows,
    missing,
    correction: 'holm',
    alpha: VERDICT_ALPHA,
    cost: costOf(costMtl, chosenStl),
  };
}

/** The group with the lowest mean validation loss of `head` (leaderboard order breaks ties and gaps). */
function chooseByValidation(candidates: readonly StudyGroup[], head: HeadName): StudyGroup {
  let best = candidates[0]!;
  let bestScore = validationScore(best, head);
  for (const group of candidates.slice(1)) {
    const score = validationScore(group, head);
    if (score < bestScore) {
      best = group;
      bestScore = score;
    }
  }
  return best;
}

function validationScore(group: StudyGroup, head: HeadName): number {
  const values = group.runs.map((run) => run.validation?.[head]).filter((v): v is number => v !== undefined);
  return values.length === 0
    ? Number.POSITIVE_INFINITY
    : values.reduce((sum, v) => sum + v, 0) / values.length;
}

function sharingVerdict(
  comparison: SampleComparison,
  adjustedP: number | null,
  direction: Direction,
): SharingRow['verdict'] {
  const verdict = verdictFor(comparison, adjustedP, direction);
  if (verdict.kind === 'a-better') return { kind: 'helps', text: 'sharing helps' };
  if (verdict.kind === 'b-better') return { kind: 'hurts', text: 'sharing hurts (negative transfer)' };
  return { kind: verdict.kind, text: verdict.text };
}

function costOf(mtl: StudyGroup, stl: readonly { head: HeadName; group: StudyGroup }[]): SharingCost {
  const mtlSeconds = seededValues(mtl, 'duration_s').map((run) => run.value);
  return {
    mtl: mtl.key,
    stl: stl.map(({ group }) => group.key),
    heads: stl.map(({ head }) => head),
    parameters: {
      mtl: meanOf(mtl, 'parameters'),
      stl: sumOrNull(stl.map(({ group }) => meanOf(group, 'parameters'))),
    },
    seconds: {
      mtl: mtlSeconds.length > 0 ? summariseSample(mtlSeconds) : null,
      stl: sumOrNull(stl.map(({ group }) => meanOf(group, 'duration_s'))),
    },
  };
}

function sumOrNull(values: readonly (number | null)[]): number | null {
  return values.some((v) => v === null) ? null : values.reduce<number>((sum, v) => sum + v!, 0);
}

function meanOf(group: StudyGroup, metric: string): number | null {
  const values = seededValues(group, metric);
  return values.length === 0 ? null : values.reduce((sum, run) => sum + run.value, 0) / values.length;
}
