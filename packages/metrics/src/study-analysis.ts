import { compareSamples, type SampleComparison } from './compare-samples.js';
import { formatParameterValue } from './format-values.js';
import { holmAdjust } from './holm.js';
import type { Direction, Objective } from './objective.js';
import { type ImportanceResult, parameterImportance } from './parameter-importance.js';
import { paretoFront } from './pareto.js';
import { type SampleSummary, summariseColumns } from './sample-summary.js';
import { analyseSharing, type SharingAnalysis } from './sharing.js';
import { type StudyGroup, seededValues } from './study-group.js';
import { summariseTaskConflict, type TaskConflictRow } from './task-conflict.js';
import { VERDICT_ALPHA, type Verdict, verdictFor } from './verdict.js';

/** A metric the study summarises with intervals, and which way is better. */
export interface StudyMetric {
  metric: string;
  direction: Direction;
  /** What a page calls it: `position MAE (px)`, `shape accuracy`, … */
  label: string;
  /** The head it scores, for the per-head verdicts; absent for the objective and the costs. */
  head?: 'position' | 'shape' | 'colour';
}

/**
 * The metrics with n, mean, std, standard error and intervals per configuration: the three heads' test
 * figures, macro F1, and the costs (parameters, training seconds). The objective is added in front.
 */
export const STUDY_METRICS: readonly StudyMetric[] = [
  { metric: 'position_mae_px', direction: 'minimize', label: 'position MAE (px)', head: 'position' },
  { metric: 'shape_acc', direction: 'maximize', label: 'shape accuracy', head: 'shape' },
  { metric: 'colour_acc', direction: 'maximize', label: 'colour accuracy', head: 'colour' },
  { metric: 'shape_macro_f1', direction: 'maximize', label: 'shape macro F1' },
  { metric: 'colour_macro_f1', direction: 'maximize', label: 'colour macro F1' },
  { metric: 'parameters', direction: 'minimize', label: 'parameters' },
  { metric: 'duration_s', direction: 'minimize', label: 'training time (s)' },
];

export interface VerdictRow {
  /** `position`, `shape`, `colour`, or `objective`. */
  head: string;
  metric: string;
  direction: Direction;
  /** Group keys: A is the leading configuration (best mean objective), B a runner-up. */
  a: string;
  b: string;
  comparison: SampleComparison;
  /** The t-test p-value after Holm–Bonferroni over every row of the table; null without a test. */
  adjustedP: number | null;
  verdict: Verdict;
}

export interface ParetoChart {
  x: string;
  y: string;
  /** Group keys on this pair's two-dimensional front. */
  front: string[];
}

export interface StudyAnalysis {
  /** The metrics summarised, objective first. */
  metrics: StudyMetric[];
  /** Per group key, per metric. */
  summaries: Record<string, Record<string, SampleSummary>>;
  verdicts: {
    /** How the p-values were corrected, for the page to state. */
    correction: 'holm';
    alpha: number;
    /** Comparisons in the table (what Holm divides by). */
    tests: number;
    rows: VerdictRow[];
  };
  pareto: {
    /** Minimised coordinates of the front: head errors, then costs present in every run. */
    objectives: string[];
    /** Group keys on the front over all `objectives`, in leaderboard order. */
    front: string[];
    /** Each group's mean of every coordinate (errors as fractions, parameters, seconds). */
    points: { key: string; values: Record<string, number> }[];
    charts: ParetoChart[];
  };
  /** Which hyperparameters explain the objective's variance across runs. */
  importance: ImportanceResult;
  /** "Does sharing help?": the shared model against single-task baselines, when the sweep has both. */
  sharing: SharingAnalysis | null;
  /** Per configuration and pair of heads, how their gradients on the shared layers agree. */
  taskConflict: TaskConflictRow[];
}

export interface StudyOptions {
  objective: Objective;
  /** Hyperparameters that vary between configurations. */
  parameters: readonly string[];
  /** Runners-up compared with the leader in the verdict table. Default 5. */
  rivals?: number;
  /** Seeds the bootstrap intervals. Default 0. */
  seed?: number;
}

/** Errors minimised on the Pareto front: accuracy becomes error so every coordinate is "lower is better". */
const PARETO_ERRORS: Record<string, (metrics: Record<string, number>) => number | undefined> = {
  position_mae_px: (m) => m.position_mae_px,
  shape_error: (m) => (m.shape_acc === undefined ? undefined : 1 - m.shape_acc),
  colour_error: (m) => (m.colour_acc === undefined ? undefined : 1 - m.colour_acc),
  parameters: (m) => m.parameters,
  duration_s: (m) => m.duration_s,
};

/**
 * The study's statistics over seeds for groups in leaderboard order (best mean objective first):
 * per-metric summaries with intervals, the verdict table (the leader against each runner-up, per head
 * and on the objective, Holm-corrected together), Pareto fronts of head errors and costs, and parameter
 * importance for the objective. Pure.
 */
export function analyseStudy(groups: readonly StudyGroup[], options: StudyOptions): StudyAnalysis {
  const { objective } = options;
  const metrics: StudyMetric[] = [
    ...(STUDY_METRICS.some((m) => m.metric === objective.metric)
      ? []
      : [{ metric: objective.metric, direction: objective.direction, label: objective.metric }]),
    ...STUDY_METRICS,
  ].filter((m) => groups.some((group) => group.runs.some((run) => run.metrics[m.metric] !== undefined)));
  const summaries: StudyAnalysis['summaries'] = {};
  groups.forEach((group, index) => {
    const columns: Record<string, number[]> = {};
    for (const { metric } of metrics) {
      const values = seededValues(group, metric).map((run) => run.value);
      if (values.length > 0) columns[metric] = values;
    }
    summaries[group.key] = summariseColumns(columns, { seed: (options.seed ?? 0) + index });
  });
  // Trade-offs between heads, and the objective's variance, compare like with like: only the models
  // scored on the leader's heads (the most; a single-task baseline's objective sums fewer terms).
  const peers = groups.filter((group) => headSet(group) === headSet(groups[0]));
  return {
    metrics,
    summaries,
    verdicts: verdictTable(groups, metrics, objective, options.parameters, options.rivals ?? 5),
    pareto: paretoOf(peers),
    importance: parameterImportance(
      peers.flatMap((group) =>
        group.runs.flatMap((run) => {
          const value = run.metrics[objective.metric];
          return value === undefined ? [] : [{ config: group.config, value }];
        }),
      ),
      options.parameters,
    ),
    sharing: analyseSharing(groups),
    taskConflict: summariseTaskConflict(groups),
  };
}

function verdictTable(
  groups: readonly StudyGroup[],
  metrics: readonly StudyMetric[],
  objective: Objective,
  parameters: readonly string[],
  rivals: number,
): StudyAnalysis['verdicts'] {
  const compared: StudyMetric[] = [
    ...metrics.filter((m) => m.head !== undefined),
    ...metrics.filter((m) => m.metric === objective.metric && m.head === undefined),
  ];
  const leader = groups[0];
  const name = (group: StudyGroup, rank: number) =>
    parameters.length > 0
      ? parameters.map((key) => `${key} ${formatParameterValue(group.config[key])}`).join(', ')
      : `#${rank + 1}`;
  const pending: (Omit<VerdictRow, 'adjustedP' | 'verdict'> & { names: { a: string; b: string } })[] = [];
  if (leader !== undefined) {
    // Runners-up scored on the same heads: a baseline's objective is not comparable with the leader's.
    const heads = headSet(leader);
    const peers = groups.slice(1).filter((group) => headSet(group) === heads);
    for (const rival of peers.slice(0, rivals)) {
      const index = groups.indexOf(rival) - 1;
      for (const m of compared) {
        const values = { a: seededValues(leader, m.metric), b: seededValues(rival, m.metric) };
        // A head one of the two lacks (a single-task baseline) has nothing to compare: no row, not NaN.
        if (values.a.length === 0 || values.b.length === 0) continue;
        pending.push({
          names: { a: name(leader, 0), b: name(rival, index + 1) },
          head: m.head ?? 'objective',
          metric: m.metric,
          direction: m.direction,
          a: leader.key,
          b: rival.key,
          comparison: compareSamples(values.a, values.b),
        });
      }
    }
  }
  const adjusted = holmAdjust(pending.map((row) => row.comparison.pValue));
  const rows = pending.map(({ names, ...row }, i) => ({
    ...row,
    adjustedP: adjusted[i] ?? null,
    verdict: verdictFor(row.comparison, adjusted[i] ?? null, row.direction, names),
  }));
  return {
    correction: 'holm',
    alpha: VERDICT_ALPHA,
    tests: adjusted.filter((p) => p !== null).length,
    rows,
  };
}

/** Which head metrics a group's runs have, as one comparable string. */
function headSet(group: StudyGroup | undefined): string {
  const metrics = group?.runs[0]?.metrics ?? {};
  return ['position_mae_px', 'shape_acc', 'colour_acc'].filter((m) => metrics[m] !== undefined).join(',');
}

function paretoOf(groups: readonly StudyGroup[]): StudyAnalysis['pareto'] {
  const means = groups.map((group) => {
    const values: Record<string, number> = {};
    for (const [name, read] of Object.entries(PARETO_ERRORS)) {
      const list = group.runs.map((run) => read(run.metrics)).filter((v): v is number => v !== undefined);
      if (list.length === group.runs.length && list.length > 0)
        values[name] = list.reduce((sum, v) => sum + v, 0) / list.length;
    }
    return { key: group.key, values };
  });
  const objectives = Object.keys(PARETO_ERRORS).filter((name) =>
    means.every((m) => m.values[name] !== undefined),
  );
  const frontOf = (axes: readonly string[]) =>
    paretoFront(means.map((m) => ({ id: m.key, values: axes.map((axis) => m.values[axis]!) })));
  const heads = ['position_mae_px', 'shape_error', 'colour_error'].filter((h) => objectives.includes(h));
  const cost = objectives.includes('parameters')
    ? 'parameters'
    : objectives.includes('duration_s')
      ? 'duration_s'
      : undefined;
  const pairs: [string, string][] = [
    ...(cost ? heads.map((head) => [cost, head] as [string, string]) : []),
    ...heads.flatMap((x, i) => heads.slice(i + 1).map((y) => [x, y] as [string, string])),
  ];
  return {
    objectives,
    front: means.length > 0 && objectives.length > 0 ? frontOf(objectives) : [],
    points: means,
    charts: pairs.map(([x, y]) => ({ x, y, front: frontOf([x, y]) })),
  };
}
