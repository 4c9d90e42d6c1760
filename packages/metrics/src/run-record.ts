import { z } from 'zod';
import { InvalidRunRecordError } from './errors.js';

/** Identifies a run record file; bumped whenever a field changes meaning. */
export const RUN_RECORD_FORMAT = 'mtl-run-record';
export const RUN_RECORD_VERSION = 1;

const finite = z.number();
const count = z.int().min(0);
const timestamp = z.iso.datetime({ offset: true });
/**
 * Per-epoch figures by name. Checked by one predicate rather than a record-of-numbers schema: a sweep
 * holds ~60 of these per run, and this keeps validating 1,000 runs fast (`mtl-bench aggregate`).
 */
const metricValues = z.custom<Record<string, number>>(isMetricValues, {
  error: 'must map metric names to finite numbers',
});

/** One epoch of training, as @repo/model's `HistoryEntry`. */
export const historyEntrySchema = z.strictObject({
  epoch: z.int().min(1),
  train: metricValues,
  val: metricValues,
  /** Each head's loss weight at the end of the epoch (absent in records written before weightings). */
  lossWeights: metricValues.optional(),
  /** Cosine similarity of each pair of heads' gradients on the shared backbone after the epoch. */
  taskConflict: metricValues.optional(),
});

const axisErrorsSchema = z.strictObject({ x: finite, y: finite, mean: finite });

const regressionMetricsSchema = z.strictObject({
  count: z.int().min(1),
  maePx: axisErrorsSchema,
  maeNorm: axisErrorsSchema,
  euclideanPx: z.strictObject({ median: finite, p90: finite }),
});

const averageSchema = z.strictObject({ precision: finite, recall: finite, f1: finite, support: count });

const classificationReportSchema = z
  .strictObject({
    labels: z.array(z.string().min(1)).min(1),
    confusion: z.array(z.array(count)),
    perClass: z.array(averageSchema.extend({ label: z.string() })),
    accuracy: finite,
    macro: averageSchema,
    weighted: averageSchema,
  })
  .superRefine((report, context) => {
    const size = report.labels.length;
    if (report.confusion.length !== size || report.confusion.some((row) => row.length !== size)) {
      context.addIssue({
        code: 'custom',
        path: ['confusion'],
        message: `must be ${size}×${size} (one row per label)`,
      });
    }
    if (report.perClass.map((row) => row.label).join('\n') !== report.labels.join('\n')) {
      context.addIssue({
        code: 'custom',
        path: ['perClass'],
        message: 'must list the labels in their order',
      });
    }
  });

/**
 * Final test metrics and confusion matrices of the heads the model has (an `Evaluation`): all three, or
 * one for a single-task baseline. A head the model lacks is absent, never zeros.
 */
export const evaluationSchema = z
  .strictObject({
    imageSize: z.int().min(1),
    position: regressionMetricsSchema.optional(),
    shape: classificationReportSchema.optional(),
    colour: classificationReportSchema.optional(),
  })
  .refine((evaluation) => evaluation.position || evaluation.shape || evaluation.colour, {
    message: 'must score at least one head (position, shape, colour)',
  });

const common = {
  format: z.literal(RUN_RECORD_FORMAT),
  version: z.literal(RUN_RECORD_VERSION),
  runId: z.string().min(1),
  sweepId: z.string().min(1).optional(),
  /** Hyperparameters, generic JSON. Grouping ignores its `seed` key. */
  config: z.record(z.string(), z.json()),
  /** The trial's seed when it is kept outside `config`; grouping ignores it too. */
  seed: z.int().min(0).optional(),
  /** `id`: the dataset's content address; `sha256`: of its manifest file, which pins every shard. */
  dataset: z.strictObject({
    id: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'hex sha256'),
  }),
  /** TF.js backend the run trained on (`tensorflow`, `wasm`, `cpu`). */
  backend: z.string().min(1),
  /** Threads the backend computed with (wasm: its XNNPACK pool, cpu: 1); absent for tensorflow. */
  threads: z.int().min(1).optional(),
  /** Versions of the packages that shaped the result, e.g. `{ "@tensorflow/tfjs-core": "4.22.0" }`. */
  packages: z.record(z.string(), z.string()),
  startedAt: timestamp,
  /** Per-epoch history of training. */
  history: z.array(historyEntrySchema),
  /** Per-epoch history of the position-head fine-tuning, when the config asks for one. */
  fineTuneHistory: z.array(historyEntrySchema).optional(),
};

/**
 * A versioned record of one run. `status`:
 * - `completed`: trained (early stopping by the trainer's own patience included) and scored on the
 *   test split; it carries `test` and `modelPath` and is the only status aggregated.
 * - `failed`: ended by an error (`error`).
 * - `stopped-early-by-scheduler`: ended by the sweep scheduler (e.g. pruned for poor validation
 *   figures) before its planned training finished; not scored, so not comparable.
 * - `running`: still going (no `endedAt`).
 */
export const runRecordSchema = z
  .discriminatedUnion('status', [
    z.strictObject({
      ...common,
      status: z.literal('completed'),
      endedAt: timestamp,
      test: evaluationSchema,
      modelPath: z.string().min(1),
      /** Trainable and fixed weights of the model, a cost the report weighs against accuracy. */
      parameters: z.int().min(1).optional(),
    }),
    z.strictObject({ ...common, status: z.literal('failed'), endedAt: timestamp, error: z.string().min(1) }),
    z.strictObject({
      ...common,
      status: z.literal('stopped-early-by-scheduler'),
      endedAt: timestamp,
      /** Why the scheduler stopped it. */
      reason: z.string().min(1).optional(),
    }),
    z.strictObject({ ...common, status: z.literal('running') }),
  ])
  .superRefine((record, context) => {
    const epochs = record.history.map((entry) => entry.epoch);
    if (epochs.some((epoch, i) => epoch !== i + 1)) {
      context.addIssue({
        code: 'custom',
        path: ['history'],
        message: 'epochs must run 1, 2, 3, … without gaps',
      });
    }
    if ('endedAt' in record && Date.parse(record.endedAt) < Date.parse(record.startedAt)) {
      context.addIssue({ code: 'custom', path: ['endedAt'], message: 'is before startedAt' });
    }
  });

export type RunRecord = z.output<typeof runRecordSchema>;
export type RunStatus = RunRecord['status'];
export type CompletedRunRecord = Extract<RunRecord, { status: 'completed' }>;

/** Validates one run record; throws `InvalidRunRecordError` naming `source` and each bad field. */
export function parseRunRecord(json: unknown, source: string): RunRecord {
  const result = runRecordSchema.safeParse(json);
  if (!result.success) throw new InvalidRunRecordError(source, describeIssues(result.error));
  return result.data;
}

/** Like `parseRunRecord`, returning the error instead of throwing it. */
export function safeParseRunRecord(
  json: unknown,
  source: string,
): { ok: true; record: RunRecord } | { ok: false; error: InvalidRunRecordError } {
  const result = runRecordSchema.safeParse(json);
  return result.success
    ? { ok: true, record: result.data }
    : { ok: false, error: new InvalidRunRecordError(source, describeIssues(result.error)) };
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map(
    (issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(record)'}: ${issue.message}`,
  );
}

function isMetricValues(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  for (const key in value) {
    if (!Number.isFinite((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}
