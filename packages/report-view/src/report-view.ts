import { trialSummarySchema } from '@repo/contracts/records';
import {
  evaluationSchema,
  historyEntrySchema,
  type Objective,
  type RunAggregate,
  type StudyAnalysis,
  samplePredictionsSchema,
} from '@repo/metrics';
import { z } from 'zod';

/** Identifies `sweeps/<id>/report.json`; the version is bumped whenever a field changes meaning. */
export const REPORT_VIEW_FORMAT = 'mtl-sweep-report';
/**
 * 1: the reporter's counts and aggregate only (pages re-aggregated run records); 2: the whole view;
 * 3: the aggregate adds the study's statistics (intervals, verdicts, Pareto fronts, importance);
 * 4: and "Does sharing help?" (the shared model against single-task baselines) and task conflict.
 */
export const REPORT_VIEW_VERSION = 4;

const count = z.int().min(0);
const matrix = z.array(z.array(z.number()));
const trialReason = z.strictObject({ trialId: z.string(), reason: z.string() });

const objectiveSchema: z.ZodType<Objective> = z.strictObject({
  metric: z.string().min(1),
  direction: z.enum(['minimize', 'maximize']),
});

const metricSummarySchema = z.strictObject({ mean: z.number(), std: z.number().nullable(), count });
const headConfusionSchema = z.strictObject({
  labels: z.array(z.string()),
  summed: matrix,
  normalised: matrix,
});
const runListingSchema = z.strictObject({
  runId: z.string(),
  source: z.string(),
  status: z.enum(['failed', 'stopped-early-by-scheduler', 'running']),
  detail: z.string().optional(),
});

const interval = z.tuple([z.number(), z.number()]);
const direction = z.enum(['minimize', 'maximize']);
const sampleSummarySchema = z.strictObject({
  n: count,
  mean: z.number(),
  std: z.number().nullable(),
  se: z.number().nullable(),
  ci95: interval.nullable(),
  bootstrap95: interval.optional(),
});
const comparisonSchema = z.strictObject({
  kind: z.enum(['paired', 'welch']),
  nA: count,
  nB: count,
  meanA: z.number(),
  meanB: z.number(),
  meanDiff: z.number(),
  ci95: interval.nullable(),
  pValue: z.number().nullable(),
  df: z.number().nullable(),
  wilcoxonPValue: z.number().optional(),
  cohenD: z.number().nullable().optional(),
});

const head = z.enum(['position', 'shape', 'colour']);

const sharingSchema = z.strictObject({
  selection: z.literal('validation-loss'),
  rows: z.array(
    z.strictObject({
      head,
      metric: z.string(),
      direction,
      mtl: z.string(),
      stl: z.string(),
      comparison: comparisonSchema,
      adjustedP: z.number().nullable(),
      verdict: z.strictObject({
        kind: z.enum(['helps', 'hurts', 'no-difference', 'too-small']),
        text: z.string(),
      }),
    }),
  ),
  missing: z.array(head),
  correction: z.literal('holm'),
  alpha: z.number(),
  cost: z.strictObject({
    mtl: z.string(),
    stl: z.array(z.string()),
    heads: z.array(head),
    parameters: z.strictObject({ mtl: z.number().nullable(), stl: z.number().nullable() }),
    seconds: z.strictObject({ mtl: sampleSummarySchema.nullable(), stl: z.number().nullable() }),
  }),
});

/** `@repo/metrics`' `StudyAnalysis`: intervals, verdicts, Pareto fronts, importance, sharing. */
const studySchema: z.ZodType<StudyAnalysis> = z.strictObject({
  metrics: z.array(
    z.strictObject({
      metric: z.string(),
      direction,
      label: z.string(),
      head: head.optional(),
    }),
  ),
  summaries: z.record(z.string(), z.record(z.string(), sampleSummarySchema)),
  verdicts: z.strictObject({
    correction: z.literal('holm'),
    alpha: z.number(),
    tests: count,
    rows: z.array(
      z.strictObject({
        head: z.string(),
        metric: z.string(),
        direction,
        a: z.string(),
        b: z.string(),
        comparison: comparisonSchema,
        adjustedP: z.number().nullable(),
        verdict: z.strictObject({
          kind: z.enum(['a-better', 'b-better', 'no-difference', 'too-small']),
          text: z.string(),
        }),
      }),
    ),
  }),
  pareto: z.strictObject({
    objectives: z.array(z.string()),
    front: z.array(z.string()),
    points: z.array(z.strictObject({ key: z.string(), values: z.record(z.string(), z.number()) })),
    charts: z.array(z.strictObject({ x: z.string(), y: z.string(), front: z.array(z.string()) })),
  }),
  importance: z.strictObject({
    parameters: z.array(z.strictObject({ parameter: z.string(), importance: z.number(), levels: count })),
    seedNoise: z.number().nullable(),
  }),
  sharing: sharingSchema.nullable(),
  taskConflict: z.array(
    z.strictObject({
      key: z.string(),
      pair: z.string(),
      mean: sampleSummarySchema,
      last: sampleSummarySchema,
      negativeShare: z.number(),
    }),
  ),
});

/** `@repo/metrics`' `RunAggregate` as it is stored (typed against it, so the two cannot drift). */
const runAggregateSchema: z.ZodType<RunAggregate> = z.strictObject({
  objective: objectiveSchema,
  counts: z.strictObject({
    total: count,
    completed: count,
    failed: count,
    stopped: count,
    running: count,
    invalid: count,
  }),
  leaderboard: z.array(
    z.strictObject({
      key: z.string(),
      config: z.record(z.string(), z.json()),
      count,
      runs: z.array(z.strictObject({ runId: z.string(), source: z.string(), seed: count.optional() })),
      metrics: z.record(z.string(), metricSummarySchema),
      /** A head the group's architecture lacks (a single-task baseline) is absent. */
      confusion: z.strictObject({
        shape: headConfusionSchema.optional(),
        colour: headConfusionSchema.optional(),
      }),
    }),
  ),
  best: z.array(
    z.strictObject({
      objective: objectiveSchema,
      runId: z.string(),
      source: z.string(),
      value: z.number(),
      group: z.string(),
    }),
  ),
  failed: z.array(runListingSchema),
  unfinished: z.array(runListingSchema),
  invalid: z.array(z.strictObject({ source: z.string(), issues: z.array(z.string()) })),
  parameters: z.strictObject({ varying: z.array(z.string()), constant: z.record(z.string(), z.unknown()) }),
  study: studySchema,
});

const headMatrixSchema = z.strictObject({ labels: z.array(z.string()), counts: matrix, normalised: matrix });

/** One completed run: everything its page section shows. */
export const runViewSchema = z.strictObject({
  runId: z.string(),
  trialId: z.string(),
  /** Key of its configuration's group in the leaderboard (canonical JSON of the config without seed). */
  group: z.string(),
  config: z.record(z.string(), z.json()),
  seed: count.optional(),
  /** Every flat metric of `runMetrics` (`combined`, `position_mae_px`, `shape_acc`, …). */
  metrics: z.record(z.string(), z.number()),
  /** Test images are imageSize × imageSize pixels. */
  imageSize: z.int().min(1),
  position: evaluationSchema.shape.position,
  /** The run's classification heads; one it lacks (stl-position lacks both) is absent. */
  confusion: z.strictObject({ shape: headMatrixSchema.optional(), colour: headMatrixSchema.optional() }),
  history: z.array(historyEntrySchema),
  fineTuneHistory: z.array(historyEntrySchema).optional(),
  /** From the trial's predictions.json, when it has one: sample predictions, position error histogram. */
  predictions: z
    .strictObject({
      samples: samplePredictionsSchema.shape.samples,
      /** Absent for a run without a position head. */
      errors: z.strictObject({ edges: z.array(z.number()), counts: z.array(count) }).optional(),
    })
    .optional(),
});

/**
 * `sweeps/<id>/report.json`: a sweep's report, aggregated once by the reporter when the sweep ends
 * (and again on re-aggregation). The web pages, `/api/sweeps/<id>` and `mtl report` read it as it is.
 */
export const reportViewSchema = z.strictObject({
  format: z.literal(REPORT_VIEW_FORMAT),
  version: z.literal(REPORT_VIEW_VERSION),
  sweepId: z.string(),
  name: z.string(),
  /** The dataset every trial trained on; absent only in a provisional view with no run yet. */
  datasetId: z.string().optional(),
  generatedAt: z.iso.datetime({ offset: true }),
  /** Ranks configurations and runs. */
  objective: objectiveSchema,
  counts: z.strictObject({
    trials: count,
    completed: count,
    stopped: count,
    failed: count,
    cancelled: count,
    pending: count,
  }),
  /** The trainers' summaries of the completed trials, in the sweep's order (empty in a provisional view). */
  completed: z.array(trialSummarySchema),
  /** Stopped by the sweep's scheduler: not scored on the test split, so not in the aggregate. */
  stopped: z.array(z.strictObject({ trialId: z.string(), epochs: count, reason: z.string() })),
  /** Failed for good, or whose run record cannot be read or is invalid (`aggregate.invalid`), with the reason. */
  failed: z.array(trialReason),
  /** Trials of a cancelled sweep that never ran or were stopped by the cancel. */
  cancelled: z.array(trialReason),
  /** Trials not ended yet (an early re-aggregation, or a provisional view). */
  pending: z.array(z.string()),
  /** The completed runs aggregated by configuration (seed ignored): leaderboard, best runs. */
  aggregate: runAggregateSchema,
  /** Completed runs, best objective first. */
  runs: z.array(runViewSchema),
  /** Config keys whose values differ between runs: the axes of the hyperparameter view. */
  hyperparameters: z.array(z.string()),
});

export type ReportView = z.output<typeof reportViewSchema>;
export type RunView = z.output<typeof runViewSchema>;
export type HeadMatrix = NonNullable<RunView['confusion']['shape']>;
