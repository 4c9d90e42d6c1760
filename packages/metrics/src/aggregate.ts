import { HEAD_NAMES, type HeadName } from '@repo/model/config';
import { canonicalJson, configWithoutSeed } from './config-key.js';
import { addInto, type ConfusionMatrix, emptyMatrix, normaliseRows } from './confusion-matrix.js';
import { AggregationError, MetricsInputError } from './errors.js';
import { compareByObjective, DEFAULT_OBJECTIVE, type Objective, objectiveFor } from './objective.js';
import { runMetrics } from './run-metrics.js';
import { type CompletedRunRecord, type RunStatus, safeParseRunRecord } from './run-record.js';
import { mean, sampleStd } from './statistics.js';
import { analyseStudy, type StudyAnalysis } from './study-analysis.js';
import { splitParameters } from './varying-parameters.js';

/** A run record as read, not yet validated, and where it came from (its file). */
export interface RunInput {
  source: string;
  json: unknown;
}

export interface AggregateOptions {
  /** Ranks the leaderboard's groups (by their mean). Default: `combined` (see `combinedScore`), minimised. */
  objective?: Objective;
  /** Metrics to name the best single run for. Default: the objective, `position_mae_px`, `shape_acc`, `colour_acc`. */
  bestBy?: readonly string[];
}

export interface MetricSummary {
  mean: number;
  /** Sample standard deviation across the group's runs; null for a single run. */
  std: number | null;
  count: number;
}

/** A classification head's test confusion matrices summed over a group, and row-normalised. */
export interface HeadConfusion {
  labels: string[];
  summed: ConfusionMatrix;
  normalised: ConfusionMatrix;
}

/** Completed runs sharing one configuration (seed ignored). */
export interface RunGroup {
  /** Canonical JSON of the configuration without its seed. */
  key: string;
  config: Record<string, unknown>;
  count: number;
  runs: { runId: string; source: string; seed?: number }[];
  metrics: Record<string, MetricSummary>;
  /** A head the group's architecture lacks (a single-task baseline) is absent. */
  confusion: { shape?: HeadConfusion; colour?: HeadConfusion };
}

/** A run left out of the averages, and why. */
export interface RunListing {
  runId: string;
  source: string;
  status: Exclude<RunStatus, 'completed'>;
  /** The failure's error or the scheduler's reason, when the record gives one. */
  detail?: string;
}

export interface BestRun {
  objective: Objective;
  runId: string;
  source: string;
  value: number;
  /** Key of its group in the leaderboard. */
  group: string;
}

export interface RunAggregate {
  objective: Objective;
  counts: {
    total: number;
    completed: number;
    failed: number;
    stopped: number;
    running: number;
    invalid: number;
  };
  /** Groups, best mean objective first. */
  leaderboard: RunGroup[];
  best: BestRun[];
  failed: RunListing[];
  /** Running, or stopped early by the scheduler. */
  unfinished: RunListing[];
  /** Records that failed validation (or repeat a runId), never averaged. */
  invalid: { source: string; issues: readonly string[] }[];
  /** Hyperparameters (seed aside) that differ between configurations, and those every one shares. */
  parameters: { varying: string[]; constant: Record<string, unknown> };
  /** Statistics over seeds: intervals, verdicts, Pareto fronts, parameter importance. */
  study: StudyAnalysis;
}

interface ScoredRun {
  record: CompletedRunRecord;
  source: string;
  metrics: Record<string, number>;
}

/** Validates run records and aggregates the completed ones by configuration. */
export function aggregateRuns(inputs: readonly RunInput[], options: AggregateOptions = {}): RunAggregate {
  const objective = options.objective ?? DEFAULT_OBJECTIVE;
  const result: RunAggregate = {
    objective,
    counts: { total: inputs.length, completed: 0, failed: 0, stopped: 0, running: 0, invalid: 0 },
    leaderboard: [],
    best: [],
    failed: [],
    unfinished: [],
    invalid: [],
    parameters: { varying: [], constant: {} },
    study: analyseStudy([], { objective, parameters: [] }),
  };
  const seen = new Map<string, string>();
  const groups = new Map<string, ScoredRun[]>();
  for (const { source, json } of inputs) {
    const parsed = safeParseRunRecord(json, source);
    if (!parsed.ok) {
      result.invalid.push({ source, issues: parsed.error.issues });
      continue;
    }
    const record = parsed.record;
    const earlier = seen.get(record.runId);
    if (earlier !== undefined) {
      result.invalid.push({ source, issues: [`runId: ${record.runId} repeats the run of ${earlier}`] });
      continue;
    }
    seen.set(record.runId, source);
    if (record.status === 'completed') {
      const key = canonicalJson(configWithoutSeed(record.config));
      const group = groups.get(key) ?? [];
      group.push({ record, source, metrics: runMetrics(record) });
      groups.set(key, group);
    } else if (record.status === 'failed') {
      result.failed.push({ runId: record.runId, source, status: record.status, detail: record.error });
    } else {
      const listing: RunListing = { runId: record.runId, source, status: record.status };
      if (record.status === 'stopped-early-by-scheduler' && record.reason !== undefined)
        listing.detail = record.reason;
      result.unfinished.push(listing);
    }
  }
  result.counts.invalid = result.invalid.length;
  result.counts.failed = result.failed.length;
  result.counts.running = result.unfinished.filter((run) => run.status === 'running').length;
  result.counts.stopped = result.unfinished.length - result.counts.running;

  const scored = [...groups.values()].flat();
  result.counts.completed = scored.length;
  if (scored.length > 0 && !(objective.metric in scored[0]!.metrics)) {
    throw new MetricsInputError(
      `unknown objective metric "${objective.metric}"; known: ${Object.keys(scored[0]!.metrics).join(', ')}`,
    );
  }
  result.leaderboard = [...groups].map(([key, runs]) => summariseGroup(key, runs));
  // A one-head baseline's objective sums fewer terms than a three-head model's: not comparable, so
  // models with more heads rank first and each head set is ranked by the objective among itself.
  result.leaderboard.sort(
    (a, b) =>
      headCount(b.metrics) - headCount(a.metrics) ||
      compareByObjective(objective, groupMean(a, objective.metric), groupMean(b, objective.metric)),
  );
  const bestBy = options.bestBy ?? [objective.metric, 'position_mae_px', 'shape_acc', 'colour_acc'];
  const rankings = [...new Set(bestBy)].map((metric) =>
    metric === objective.metric ? objective : objectiveFor(metric),
  );
  const most = Math.max(...scored.map((run) => headCount(run.metrics)));
  result.best = rankings.flatMap((ranking) =>
    // The objective's best is among the models with the most heads, as the leaderboard's first.
    bestRun(
      ranking === objective ? scored.filter((run) => headCount(run.metrics) === most) : scored,
      ranking,
    ),
  );
  result.parameters = splitParameters(result.leaderboard.map((group) => group.config));
  result.study = analyseStudy(
    result.leaderboard.map((group) => ({
      key: group.key,
      config: group.config,
      runs: groups.get(group.key)!.map(({ record, metrics }) => ({
        ...seedOf(record),
        metrics,
        validation: lowestValidationLosses(record),
        taskConflict: conflictSeries(record),
      })),
    })),
    { objective, parameters: result.parameters.varying },
  );
  return result;
}

function summariseGroup(key: string, runs: ScoredRun[]): RunGroup {
  const first = runs[0]!;
  const values = new Map<string, number[]>();
  for (const run of runs) {
    for (const [name, value] of Object.entries(run.metrics)) {
      const list = values.get(name) ?? [];
      list.push(value);
      values.set(name, list);
    }
  }
  const metrics: Record<string, MetricSummary> = {};
  for (const [name, list] of values)
    metrics[name] = { mean: mean(list), std: sampleStd(list), count: list.length };
  return {
    key,
    config: configWithoutSeed(first.record.config),
    count: runs.length,
    runs: runs.map(({ record, source }) => ({ runId: record.runId, source, ...seedOf(record) })),
    metrics,
    confusion: {
      ...optional('shape', sumConfusion(runs, 'shape')),
      ...optional('colour', sumConfusion(runs, 'colour')),
    },
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The head's matrices summed over the group; undefined when its architecture lacks the head. */
function sumConfusion(runs: ScoredRun[], head: 'shape' | 'colour'): HeadConfusion | undefined {
  const labels = runs[0]!.record.test[head]?.labels;
  if (labels === undefined) return undefined;
  const summed = emptyMatrix(labels.length);
  for (const { record, source } of runs) {
    const report = record.test[head];
    if (report === undefined) {
      throw new AggregationError(source, `has no ${head} head, unlike other runs of the same configuration`);
    }
    if (report.labels.join('\n') !== labels.join('\n')) {
      throw new AggregationError(
        source,
        `${head} labels [${report.labels.join(', ')}] differ from [${labels.join(', ')}] of the same configuration`,
      );
    }
    addInto(summed, report.confusion);
  }
  return { labels: [...labels], summed, normalised: normaliseRows(summed) };
}

/** Heads a run (or a group, by its metric summaries) was scored on. */
function headCount(metrics: Readonly<Record<string, unknown>>): number {
  return HEAD_METRICS.filter((metric) => metrics[metric] !== undefined).length;
}

const HEAD_METRICS = ['position_mae_px', 'shape_acc', 'colour_acc'];

function groupMean(group: RunGroup, metric: string): number {
  return group.metrics[metric]?.mean ?? Number.NaN;
}

function bestRun(runs: ScoredRun[], objective: Objective): BestRun[] {
  let best: ScoredRun | undefined;
  for (const run of runs) {
    const value = run.metrics[objective.metric];
    if (value === undefined) continue;
    if (best === undefined || compareByObjective(objective, value, best.metrics[objective.metric]!) < 0)
      best = run;
  }
  if (best === undefined) return [];
  return [
    {
      objective,
      runId: best.record.runId,
      source: best.source,
      value: best.metrics[objective.metric]!,
      group: canonicalJson(configWithoutSeed(best.record.config)),
    },
  ];
}

/** The run's seed: the record's own, else its config's `seed`. */
/** Each head's lowest validation loss over the run's epochs (heads it lacks absent). */
function lowestValidationLosses(record: CompletedRunRecord): Partial<Record<HeadName, number>> {
  const lowest: Partial<Record<HeadName, number>> = {};
  for (const head of HEAD_NAMES) {
    for (const entry of record.history) {
      const loss = entry.val[`${head}_loss`];
      if (loss !== undefined && loss < (lowest[head] ?? Number.POSITIVE_INFINITY)) lowest[head] = loss;
    }
  }
  return lowest;
}

/** Each pair's task-conflict cosine per epoch (epochs without one skipped). */
function conflictSeries(record: CompletedRunRecord): Record<string, number[]> {
  const series: Record<string, number[]> = {};
  for (const entry of record.history) {
    for (const [pair, cosine] of Object.entries(entry.taskConflict ?? {})) {
      series[pair] = [...(series[pair] ?? []), cosine];
    }
  }
  return series;
}

function seedOf(record: CompletedRunRecord): { seed?: number } {
  const seed = record.seed ?? record.config.seed;
  return typeof seed === 'number' ? { seed } : {};
}
