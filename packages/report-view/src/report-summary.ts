import {
  type BestRun,
  type Direction,
  type Objective,
  type RunGroup,
  type SampleSummary,
  STUDY_METRICS,
  type StudyAnalysis,
} from '@repo/metrics';
import type { HeadMatrix, ReportView, RunView } from './report-view.js';
import type { SweepView } from './sweep-view.js';

export const REPORT_SUMMARY_FORMAT = 'mtl-report-summary';
export const REPORT_SUMMARY_VERSION = 3;

/** Runs per page of the runs table and of the per-run detail files. */
export const RUNS_PAGE_SIZE = 50;

/** Leading configurations whose summed confusion matrices the summary keeps. */
export const CONFUSION_GROUPS = 3;

/** Test figures every compact run row carries, after the objective. */
export const RUN_ROW_METRICS = [
  'position_mae_px',
  'position_euclid_px_median',
  'position_euclid_px_p90',
  'shape_acc',
  'colour_acc',
  'epochs',
  'duration_s',
] as const;

/** Where every figure of a report comes from: runs are scored once, on the held-out test split. */
export const REPORT_SPLIT = 'test';

/** A configuration of the leaderboard: its runs' study statistics, nothing per run. */
export interface LeaderboardRow {
  key: string;
  /** 1 is the best mean objective. */
  rank: number;
  config: Record<string, unknown>;
  count: number;
  /** Seeds of its runs, in run order. */
  seeds: number[];
  /** n, mean, std, standard error and intervals of every study metric (and the objective). */
  stats: Record<string, SampleSummary>;
  /** Test confusion matrices summed over its runs; for the leading `CONFUSION_GROUPS` only. */
  confusion?: { shape?: HeadMatrix; colour?: HeadMatrix };
}

/** One completed run as the runs table lists it. */
export interface RunRow {
  trialId: string;
  runId: string;
  /** Rank of its configuration in the leaderboard. */
  rank: number;
  seed?: number;
  metrics: Record<string, number>;
}

/** A "best" figure: always which metric, on which split, which way. */
export interface BestFigure {
  metric: string;
  split: typeof REPORT_SPLIT;
  direction: Direction;
  trialId: string;
  runId: string;
  value: number;
}

/**
 * A sweep's report in compact form: what a page shows first and `mtl report` prints, a few hundred
 * KB at 1,000 trials. Per-run details (curves, confusion matrices, sample predictions) are in pages of
 * `RUNS_PAGE_SIZE` runs beside it, fetched when a run is opened.
 */
export interface ReportSummary {
  format: typeof REPORT_SUMMARY_FORMAT;
  version: typeof REPORT_SUMMARY_VERSION;
  sweepId: string;
  name: string;
  datasetId?: string;
  /** As when summarised; a page shows the sweep's live state instead. */
  state: string;
  /** When the report view was aggregated. */
  generatedAt: string;
  /** Built from the run records as they were, before the reporter wrote the report. */
  provisional: boolean;
  counts: ReportView['counts'] & { invalid: number };
  objective: Objective & { split: typeof REPORT_SPLIT };
  /** Hyperparameters that vary (the tables' columns) and those shared by every configuration. */
  parameters: { varying: string[]; constant: Record<string, unknown> };
  leaderboard: LeaderboardRow[];
  study: Omit<StudyAnalysis, 'summaries'>;
  best: BestFigure[];
  /** Completed runs, best objective first; `pages` pages of `pageSize`. */
  runs: { total: number; pageSize: number; pages: number; rows: RunRow[] };
  failed: ReportView['failed'];
  stopped: ReportView['stopped'];
  cancelled: ReportView['cancelled'];
  pending: ReportView['pending'];
  invalid: ReportView['aggregate']['invalid'];
  /** Set when this is a comparison of sweeps (see `loadComparison`): which, and whether runs paired by seed. */
  comparison?: { sweeps: { sweepId: string; name: string }[]; paired: boolean };
}

/** A page of runs in detail (what opening a run fetches), and the sample images they draw on. */
export interface RunDetails {
  runs: RunView[];
  samples: SweepView['samples'];
}

/**
 * The compact summary of a report view and its runs in detail pages (page 1 first). `state` is the
 * sweep's when summarised (default: running while trials are pending, else completed).
 */
export function summariseReportView(
  view: ReportView,
  options: { state?: string; provisional?: boolean; pageSize?: number } = {},
): { summary: ReportSummary; runPages: RunView[][] } {
  const pageSize = options.pageSize ?? RUNS_PAGE_SIZE;
  const { aggregate } = view;
  const { summaries, ...study } = aggregate.study;
  const rankOf = new Map(aggregate.leaderboard.map((group, i) => [group.key, i + 1]));
  const trialOf = new Map(view.runs.map((run) => [run.runId, run.trialId]));
  const rowMetrics = [view.objective.metric, ...RUN_ROW_METRICS, 'parameters'];
  const summary: ReportSummary = {
    format: REPORT_SUMMARY_FORMAT,
    version: REPORT_SUMMARY_VERSION,
    sweepId: view.sweepId,
    name: view.name,
    ...(view.datasetId !== undefined ? { datasetId: view.datasetId } : {}),
    state: options.state ?? (view.counts.pending > 0 ? 'running' : 'completed'),
    generatedAt: view.generatedAt,
    provisional: options.provisional ?? false,
    counts: { ...view.counts, invalid: aggregate.counts.invalid },
    objective: { ...view.objective, split: REPORT_SPLIT },
    parameters: aggregate.parameters,
    leaderboard: aggregate.leaderboard.map((group, i) => ({
      key: group.key,
      rank: i + 1,
      config: group.config,
      count: group.count,
      seeds: group.runs.flatMap((run) => (run.seed === undefined ? [] : [run.seed])),
      stats: summaries[group.key] ?? {},
      ...(i < CONFUSION_GROUPS
        ? {
            confusion: {
              ...(group.confusion.shape ? { shape: headMatrix(group.confusion.shape) } : {}),
              ...(group.confusion.colour ? { colour: headMatrix(group.confusion.colour) } : {}),
            },
          }
        : {}),
    })),
    study,
    best: aggregate.best.map((best) => bestFigure(best, trialOf)),
    runs: {
      total: view.runs.length,
      pageSize,
      pages: Math.ceil(view.runs.length / pageSize),
      rows: view.runs.map((run) => ({
        trialId: run.trialId,
        runId: run.runId,
        rank: rankOf.get(run.group) ?? 0,
        ...(run.seed !== undefined ? { seed: run.seed } : {}),
        metrics: pick(run.metrics, rowMetrics),
      })),
    },
    failed: view.failed,
    stopped: view.stopped,
    cancelled: view.cancelled,
    pending: view.pending,
    invalid: aggregate.invalid,
  };
  const runPages: RunView[][] = [];
  for (let start = 0; start < view.runs.length; start += pageSize)
    runPages.push(view.runs.slice(start, start + pageSize));
  return { summary, runPages };
}

/** The study metric's label, or the metric name itself. */
export function metricLabel(metric: string): string {
  return STUDY_METRICS.find((m) => m.metric === metric)?.label ?? metric;
}

function bestFigure(best: BestRun, trialOf: ReadonlyMap<string, string>): BestFigure {
  return {
    metric: best.objective.metric,
    split: REPORT_SPLIT,
    direction: best.objective.direction,
    trialId: trialOf.get(best.runId) ?? best.runId,
    runId: best.runId,
    value: best.value,
  };
}

function headMatrix(head: NonNullable<RunGroup['confusion']['shape']>): HeadMatrix {
  return { labels: head.labels, counts: head.summed, normalised: head.normalised };
}

function pick(metrics: Record<string, number>, names: readonly string[]): Record<string, number> {
  const picked: Record<string, number> = {};
  for (const name of names) if (metrics[name] !== undefined) picked[name] = metrics[name];
  return picked;
}
