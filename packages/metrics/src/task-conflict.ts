import { type SampleSummary, summariseSample } from './sample-summary.js';
import type { StudyGroup } from './study-group.js';

/** One configuration's task conflict for one pair of heads, over its runs. */
export interface TaskConflictRow {
  /** Group key of the configuration. */
  key: string;
  /** `position-shape`, `position-colour` or `shape-colour`. */
  pair: string;
  /** Per run, the cosine averaged over its epochs; summarised over the runs (95 % interval). */
  mean: SampleSummary;
  /** Per run, the cosine after its last epoch; summarised over the runs. */
  last: SampleSummary;
  /** Share of all the runs' epochs with a negative cosine (the heads pulling the shared layers apart). */
  negativeShare: number;
}

/**
 * Task conflict per configuration and pair of heads, from each run's per-epoch cosine similarities of
 * the heads' gradients on the shared backbone (`taskConflict` in its history), in group order. Groups
 * whose runs recorded none (no shared layer, one head) have no rows.
 */
export function summariseTaskConflict(groups: readonly StudyGroup[]): TaskConflictRow[] {
  return groups.flatMap((group) => {
    const pairs = [...new Set(group.runs.flatMap((run) => Object.keys(run.taskConflict ?? {})))].sort();
    return pairs.flatMap((pair): TaskConflictRow[] => {
      const series = group.runs.map((run) => run.taskConflict?.[pair] ?? []).filter((s) => s.length > 0);
      if (series.length === 0) return [];
      const epochs = series.flat();
      return [
        {
          key: group.key,
          pair,
          mean: summariseSample(series.map((s) => s.reduce((sum, v) => sum + v, 0) / s.length)),
          last: summariseSample(series.map((s) => s.at(-1)!)),
          negativeShare: epochs.filter((v) => v < 0).length / epochs.length,
        },
      ];
    });
  });
}
