import { type DatasetSpec, datasetSpecSchema, SPLITS, shardCount, splitCount } from '@repo/dataset';
import { type Direction, defaultDirection } from '@repo/metrics';
import { fitsImageSize, headsOf, isModelName, type ModelName, minImageSize } from '@repo/model/config';
import { z } from 'zod';
import { SweepSpecError } from './errors.js';
import { formatPath, fromZod, type RawIssue, strictObject } from './issues.js';
import { DEFAULT_SWEEP_METRIC, OBJECTIVE_METRICS, type ObjectiveMetric } from './metrics.js';
import { checkParameterValues, maxEpochs } from './parameter-checks.js';
import {
  type ParameterSpace,
  type ParameterValue,
  type ParsedParameters,
  parseParameters,
  parseVariant,
} from './parameter-space.js';
import type { AshaOptions } from './schedulers/asha.js';

/** Longest `description` (characters): it is stored with the sweep in Redis. */
export const MAX_DESCRIPTION = 2_000;

/** Most trials one sweep may hold (repeats included), unless `allowLarge`. */
export const MAX_TRIALS = 10_000;

/** Most `variants` a spec may list. */
export const MAX_VARIANTS = 100;
/**
 * Most dataset shards (all splits), unless `allowLarge`: each is a generator job and a Redis entry
 * in the sweep's flow (100,000 shards took 56 s and 170 MB of Redis to enqueue).
 */
export const MAX_SHARDS = 1_000;
/** The ceilings with `allowLarge` (`mtl sweep --allow-large`). */
export const LARGE_LIMITS = { trials: 100_000, shards: 100_000 } as const;

/** What validation may accept beyond the everyday limits. */
export interface SweepSpecOptions {
  /** Lift MAX_TRIALS and MAX_SHARDS to LARGE_LIMITS (an explicit decision: `--allow-large`). Default false. */
  allowLarge?: boolean;
}

const uint32 = z.int().min(0).max(0xffff_ffff);
const trials = z.int().min(1).max(LARGE_LIMITS.trials);
const metric = z.enum(OBJECTIVE_METRICS);
const direction = z.enum(['minimize', 'maximize']);
/** `search: grid` means `search: { kind: grid }`; likewise for the scheduler. */
const kindShorthand = (value: unknown) => (typeof value === 'string' ? { kind: value } : value);

const searchSchema = z.preprocess(
  kindShorthand,
  z.discriminatedUnion('kind', [
    strictObject({ kind: z.literal('grid') }),
    strictObject({
      kind: z.literal('random'),
      /** Configurations to draw (each runs once per seed). Required. */
      trials,
      /** Seed of the draws. Default 0. */
      seed: uint32.default(0),
    }),
    strictObject({
      kind: z.literal('tpe'),
      /** Configurations in all (each runs once per seed). Required. */
      trials,
      /** Seed of the draws. Default 0. */
      seed: uint32.default(0),
      /** Configurations drawn at random before the model takes over. Default min(10, trials). */
      startup: z.int().min(1).optional(),
      /** Candidates drawn from the good-trials density per suggestion. Default 24. */
      candidates: z.int().min(1).max(10_000).default(24),
      /** Share of the observed configurations counted as good. Default 0.25. */
      gamma: z.number().gt(0).lt(1).default(0.25),
    }),
  ]),
);

const schedulerSchema = z.preprocess(
  kindShorthand,
  z
    .discriminatedUnion('kind', [
      strictObject({ kind: z.literal('none') }),
      strictObject({
        kind: z.literal('asha'),
        /** Default: the sweep's objective metric. */
        metric: metric.optional(),
        /** Default: the objective's direction for its metric, else by the metric (rates maximised). */
        direction: direction.optional(),
        /** First rung (epochs); later rungs multiply by the reduction factor. Default 1. */
        gracePeriod: z.int().min(1).optional(),
        /** η: each rung keeps the top 1/η of the trials that reached it. Default 3. */
        reductionFactor: z.int().min(2).max(100).default(3),
        /** Explicit rungs (epochs, increasing), instead of gracePeriod × η^k. */
        milestones: z
          .array(z.int().min(1))
          .min(1)
          .refine((list) => list.every((epoch, i) => i === 0 || epoch > (list[i - 1] as number)), {
            message: 'must be strictly increasing',
          })
          .optional(),
      }),
      strictObject({
        kind: z.literal('median'),
        /** Default: the sweep's objective metric. */
        metric: metric.optional(),
        /** Default: the objective's direction for its metric, else by the metric (rates maximised). */
        direction: direction.optional(),
        /** Epochs every trial trains before it can be stopped. Default 1. */
        gracePeriod: z.int().min(1).default(1),
        /** Other trials that must have reached an epoch before a trial is judged there. Default 3. */
        minTrials: z.int().min(1).default(3),
      }),
    ])
    .refine((scheduler) => !('milestones' in scheduler && scheduler.milestones && scheduler.gracePeriod), {
      path: ['gracePeriod'],
      message: 'set either milestones or gracePeriod, not both',
    }),
);

const sweepFileSchema = strictObject({
  /** Human name for listings; also prefixes the sweep id. Required. */
  name: z.string().trim().min(1).max(200),
  /** Free text for people; stored with the sweep, so bounded. */
  description: z.string().max(MAX_DESCRIPTION).optional(),
  /** The dataset every trial trains on (see @repo/dataset's DatasetSpec). Required. */
  dataset: z.unknown(),
  /**
   * What ranks the trials (status, best trial, TPE, the schedulers' default): the trial's best value of
   * a validation metric over its epochs. Default `val_combined`, minimised; the direction defaults by
   * the metric (accuracies maximised). The report ranks by the same metric on test where there is one.
   */
  objective: strictObject({
    metric: metric.default(DEFAULT_SWEEP_METRIC),
    direction: direction.optional(),
  }).default({
    metric: DEFAULT_SWEEP_METRIC,
  }),
  /** grid, random or tpe. Required. */
  search: searchSchema,
  /** The parameter space (see parameter-space.ts). Required. */
  parameters: z.unknown(),
  /**
   * Sub-spaces run side by side, for parameters that only make sense together (GradNorm needs shared
   * layers; a single-task baseline takes static weights only): each variant's top-level keys replace
   * or add to `parameters`, and a grid search runs the union of the variants' grids.
   */
  variants: z.array(z.unknown()).min(1, 'needs at least one variant').max(MAX_VARIANTS).optional(),
  /** Seeds per configuration (0, 1, …). Default 1, or the length of `seeds`. */
  repeats: z.int().min(1).max(100).optional(),
  /** Explicit seeds per configuration, instead of 0 … repeats − 1. */
  seeds: z.array(uint32).min(1).max(100).optional(),
  /** Early stopping across trials. Default none. */
  scheduler: schedulerSchema.default({ kind: 'none' }),
});

type SweepFile = z.output<typeof sweepFileSchema>;
type SearchFile = SweepFile['search'];

/** How configurations are chosen. */
export type SearchSpec =
  | { kind: 'grid' }
  | { kind: 'random'; trials: number; seed: number }
  | (Extract<SearchFile, { kind: 'tpe' }> & { startup: number });

/** The metric that ranks a sweep's trials, and which way is better. */
export interface SweepObjective {
  metric: ObjectiveMetric;
  direction: Direction;
}

/** Early stopping across trials, its metric and direction resolved; ASHA rungs explicit. */
export type SchedulerSpec = { kind: 'none' } | MedianSettings | AshaSettings;

/** The median rule's settings, resolved. */
export type MedianSettings = Omit<
  Extract<SweepFile['scheduler'], { kind: 'median' }>,
  'metric' | 'direction'
> &
  SweepObjective;

/** ASHA's settings with its rungs resolved (gracePeriod defaults to 1). */
export type AshaSettings = { kind: 'asha' } & AshaOptions;

/** A validated sweep spec: everything `planSweep` needs, with defaults filled in. */
export interface SweepSpec {
  name: string;
  description?: string;
  dataset: DatasetSpec;
  objective: SweepObjective;
  search: SearchSpec;
  /** The file's `parameters`: the space itself, or with `variants` what they share. */
  parameters: ParameterSpace;
  /** With `variants`: each variant's whole space (`parameters` with its keys applied), in file order. */
  variants?: ParameterSpace[];
  /** The seeds each configuration runs with (`repeats` of them). */
  seeds: number[];
  scheduler: SchedulerSpec;
}

/** Validates a parsed sweep file (e.g. YAML turned into JS); throws a SweepSpecError naming every bad field. */
export function validateSweepSpec(input: unknown, file?: string, options: SweepSpecOptions = {}): SweepSpec {
  const result = checkSweepSpec(input, options);
  if ('issues' in result) {
    throw new SweepSpecError(
      result.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
      file,
    );
  }
  return result.spec;
}

/** The spec, or every issue found (with segment paths, so a caller can place them in a file). */
export function checkSweepSpec(
  input: unknown,
  options: SweepSpecOptions = {},
): { spec: SweepSpec } | { issues: RawIssue[] } {
  const file = sweepFileSchema.safeParse(input);
  const issues: RawIssue[] = file.success ? [] : fromZod(file.error).map(explainRenamed);
  const raw = isRecord(input) ? input : {};
  for (const key of ['dataset', 'parameters']) {
    if (isRecord(input) && raw[key] === undefined) issues.push({ path: [key], message: 'required' });
  }
  const dataset = datasetSpecSchema.safeParse(raw.dataset);
  if (!dataset.success && raw.dataset !== undefined) issues.push(...datasetIssues(dataset.error));
  const parameters = raw.parameters === undefined ? undefined : parseParameters(raw.parameters);
  const variants = Array.isArray(raw.variants)
    ? raw.variants.map((variant, i) => parseVariant(raw.parameters, variant, i))
    : undefined;
  // The spaces trials are drawn from: the variants' when there are any, else `parameters`.
  const spaces: ParsedParameters[] = variants ?? (parameters === undefined ? [] : [parameters]);
  if (parameters !== undefined) {
    // Values are checked whatever else is wrong, so one run reports every bad parameter.
    const imageSize = dataset.success
      ? dataset.data.imageSize
      : datasetSpecSchema.shape.imageSize.parse(undefined);
    issues.push(...parameters.issues);
    for (const space of spaces) {
      issues.push(...space.issues);
      // A variant that is not a mapping has nothing to check (and must not read as missing `arch`).
      if (space.values.length > 0) issues.push(...checkParameterValues(space.values, imageSize));
    }
  }
  if (
    !file.success ||
    !dataset.success ||
    parameters === undefined ||
    spaces.some((space) => space.issues.length > 0)
  ) {
    return { issues: dedupe(issues) };
  }
  const objective = resolveObjective(file.data.objective);
  const spec: SweepSpec = {
    name: file.data.name,
    ...(file.data.description === undefined ? {} : { description: file.data.description }),
    dataset: dataset.data,
    objective,
    search: resolveSearch(file.data.search),
    parameters: parameters.space,
    ...(variants === undefined ? {} : { variants: variants.map((variant) => variant.space) }),
    seeds: file.data.seeds ?? Array.from({ length: file.data.repeats ?? 1 }, (_, i) => i),
    scheduler: resolveScheduler(file.data.scheduler, objective),
  };
  const limits = options.allowLarge ? LARGE_LIMITS : { trials: MAX_TRIALS, shards: MAX_SHARDS };
  issues.push(
    ...checkSeeds(file.data),
    ...checkSearch(
      spec,
      limits.trials,
      spaces.flatMap((space) => space.values),
    ),
    ...checkScheduler(spec),
    ...checkObjectiveHeads(spec),
    ...checkRunnable(spec, limits.shards),
  );
  return issues.length > 0 ? { issues: dedupe(issues) } : { spec };
}

const LARGE_HINT = 'mtl sweep --allow-large lifts it';

/**
 * What the dataset schema allows but no trial can run on: an image too small for an architecture,
 * an empty train, validation or test split, or more shards than the limit.
 */
function checkRunnable(spec: SweepSpec, maxShards: number): RawIssue[] {
  const issues: RawIssue[] = [];
  const d = spec.dataset;
  const archs = specArchitectures(spec);
  for (const arch of archs) {
    if (!fitsImageSize(arch, d.imageSize)) {
      const max = datasetSpecSchema.shape.imageSize.unwrap().maxValue;
      issues.push({
        path: ['dataset', 'imageSize'],
        message: `${d.imageSize} px is too small for ${arch} (its layers leave no pixel); allowed: ${minImageSize(arch)}–${max} px for ${arch}`,
      });
    }
  }
  const val = splitCount(d, 'val');
  if (splitCount(d, 'train') < 1 || val < 1) {
    issues.push({
      path: ['dataset', 'valFraction'],
      message:
        `${d.valFraction} of ${d.samples} samples leaves ${val} validation and ${d.samples - val} training images; ` +
        `a trial needs both (early stopping reads val): allowed: above 0 and below 1, giving 1 to ${Math.max(1, d.samples - 1)} validation images`,
    });
  }
  if (d.test < 1) {
    issues.push({
      path: ['dataset', 'test'],
      message: 'a trial is evaluated once on the test split, which is empty; allowed: 1 or more test images',
    });
  }
  const shards = SPLITS.reduce((sum, split) => sum + shardCount(d, split), 0);
  if (shards > maxShards) {
    const fewest = Math.ceil((d.samples + d.test) / maxShards);
    issues.push({
      path: ['dataset', 'shardSize'],
      message: `${d.shardSize} images a shard makes ${shards} shards; at most ${maxShards}: a shardSize of ${fewest} or more${maxShards === MAX_SHARDS ? ` (or ${LARGE_HINT})` : ''}`,
    });
  }
  return issues;
}

function resolveSearch(search: SearchFile): SearchSpec {
  if (search.kind !== 'tpe') return search;
  return { ...search, startup: search.startup ?? Math.min(10, search.trials) };
}

function resolveObjective(objective: SweepFile['objective']): SweepObjective {
  return { metric: objective.metric, direction: objective.direction ?? defaultDirection(objective.metric) };
}

function resolveScheduler(scheduler: SweepFile['scheduler'], objective: SweepObjective): SchedulerSpec {
  if (scheduler.kind === 'none') return scheduler;
  const metric = scheduler.metric ?? objective.metric;
  const direction =
    scheduler.direction ?? (metric === objective.metric ? objective.direction : defaultDirection(metric));
  if (scheduler.kind === 'median') return { ...scheduler, metric, direction };
  const { gracePeriod, milestones, ...rest } = scheduler;
  return {
    ...rest,
    metric,
    direction,
    gracePeriod: gracePeriod ?? 1,
    ...(milestones === undefined ? {} : { milestones }),
  };
}

/** Fields of earlier spec versions get a message that says what replaced them. */
function explainRenamed(issue: RawIssue): RawIssue {
  const [section, key] = issue.path;
  if (!issue.message.startsWith('unknown field') || issue.path.length !== 2) return issue;
  if (key === 'mode' && (section === 'search' || section === 'scheduler' || section === 'objective'))
    return { ...issue, message: 'renamed: write direction: minimize or direction: maximize' };
  if (section === 'search' && key === 'metric')
    return { ...issue, message: 'the search optimises the sweep objective: write objective: { metric: … }' };
  return issue;
}

function checkSeeds(file: SweepFile): RawIssue[] {
  const issues: RawIssue[] = [];
  if (file.seeds !== undefined && file.repeats !== undefined && file.seeds.length !== file.repeats) {
    issues.push({
      path: ['repeats'],
      message: `is ${file.repeats} but seeds lists ${file.seeds.length}; give one of them, or make them agree`,
    });
  }
  const seen = new Set<number>();
  for (const [index, seed] of (file.seeds ?? []).entries()) {
    if (seen.has(seed)) issues.push({ path: ['seeds', index], message: `duplicate seed ${seed}` });
    seen.add(seed);
  }
  return issues;
}

/** Each space a sweep draws from: its variants', or its one parameter space. */
export function spacesOf(spec: SweepSpec): readonly ParameterSpace[] {
  return spec.variants ?? [spec.parameters];
}

/** `values`: every value of every space, whose `entry` names the field that wrote its parameter. */
function checkSearch(spec: SweepSpec, maxTrials: number, values: readonly ParameterValue[]): RawIssue[] {
  const hint = maxTrials === MAX_TRIALS ? ` (${LARGE_HINT})` : '';
  const issues: RawIssue[] = [];
  const search = spec.search;
  if (spec.variants !== undefined && search.kind !== 'grid') {
    return [
      {
        path: ['variants'],
        message: `variants take search: grid (the sweep runs the union of their grids); ${search.kind} draws from one space`,
      },
    ];
  }
  if (search.kind === 'grid') {
    for (const { parameter, entry } of values) {
      const { kind } = parameter.distribution;
      if (kind !== 'choice' && kind !== 'constant') {
        issues.push({
          path: [...entry, 'distribution'],
          message: `grid search needs value or values; a ${kind} range needs search random or tpe`,
        });
      }
    }
    const configurations = gridSize(spec);
    const trials = configurations * spec.seeds.length;
    if (trials > maxTrials) {
      issues.push({
        path: [spec.variants === undefined ? 'parameters' : 'variants'],
        message: `the grid has ${configurations} configurations × ${spec.seeds.length} seeds = ${trials} trials; at most ${maxTrials}${hint}`,
      });
    }
    return issues;
  }
  if (search.trials * spec.seeds.length > maxTrials) {
    issues.push({
      path: ['search', 'trials'],
      message: `${search.trials} × ${spec.seeds.length} seeds = ${search.trials * spec.seeds.length} trials; at most ${maxTrials}${hint}`,
    });
  }
  if (search.kind === 'tpe') {
    if (search.startup > search.trials) {
      issues.push({
        path: ['search', 'startup'],
        message: `must be at most search.trials (${search.trials})`,
      });
    }
    if (spec.parameters.every((parameter) => parameter.distribution.kind === 'constant')) {
      issues.push({ path: ['parameters'], message: 'tpe needs at least one parameter that varies' });
    }
  }
  return issues;
}

/** Configurations of a grid: the product of its choices' sizes, summed over the variants. */
export function gridSize(spec: SweepSpec): number {
  return spacesOf(spec).reduce(
    (sum, space) =>
      sum +
      space.reduce(
        (count, { distribution }) =>
          count * (distribution.kind === 'choice' ? distribution.values.length : 1),
        1,
      ),
    0,
  );
}

/** Every valid architecture the spec's `arch` parameter can take. */
function specArchitectures(spec: SweepSpec): Set<ModelName> {
  return new Set(
    spacesOf(spec)
      .flat()
      .filter((parameter) => parameter.name === 'arch')
      .flatMap(({ distribution }) =>
        distribution.kind === 'constant'
          ? [distribution.value]
          : distribution.kind === 'choice'
            ? distribution.values
            : [],
      )
      .filter((name): name is ModelName => typeof name === 'string' && isModelName(name)),
  );
}

/**
 * An objective (or scheduler metric) of a head some architecture of the sweep lacks: a single-task
 * baseline's trials would have no value to rank by. `val_loss` and `val_combined` (the sum over the
 * heads a run has) exist for every architecture.
 */
function checkObjectiveHeads(spec: SweepSpec): RawIssue[] {
  const metrics: { path: (string | number)[]; metric: string }[] = [
    { path: ['objective', 'metric'], metric: spec.objective.metric },
  ];
  if (spec.scheduler.kind !== 'none' && spec.scheduler.metric !== spec.objective.metric) {
    metrics.push({ path: ['scheduler', 'metric'], metric: spec.scheduler.metric });
  }
  const archs = [...specArchitectures(spec)];
  return metrics.flatMap(({ path, metric }): RawIssue[] => {
    const head = /^(?:val_)?(position|shape|colour)_/.exec(metric)?.[1];
    const lacking = archs.find((arch) => head !== undefined && !(headsOf(arch) as string[]).includes(head));
    if (head === undefined || lacking === undefined) return [];
    return [
      {
        path,
        message: `${metric} is a metric of the ${head} head, which ${lacking} lacks (it has ${headsOf(lacking).join(', ')}); allowed: val_loss, val_combined (over the heads each run has) or a metric of a head every architecture of the sweep has`,
      },
    ];
  });
}

function checkScheduler(spec: SweepSpec): RawIssue[] {
  const scheduler = spec.scheduler;
  if (scheduler.kind !== 'asha') return [];
  const most = Math.max(...spacesOf(spec).map(maxEpochs));
  const beyond = (epoch: number) => `epoch ${epoch} is beyond the most epochs a trial trains (${most})`;
  if (scheduler.milestones !== undefined) {
    return scheduler.milestones.flatMap((epoch, index): RawIssue[] =>
      epoch >= most ? [{ path: ['scheduler', 'milestones', index], message: beyond(epoch) }] : [],
    );
  }
  return scheduler.gracePeriod >= most
    ? [{ path: ['scheduler', 'gracePeriod'], message: beyond(scheduler.gracePeriod) }]
    : [];
}

const DATASET_FIELDS = Object.keys(datasetSpecSchema.shape).join(', ');

function datasetIssues(error: z.ZodError): RawIssue[] {
  return fromZod(error, ['dataset']).map((issue) =>
    issue.message.startsWith('Unrecognized key')
      ? { ...issue, message: `unknown field; allowed: ${DATASET_FIELDS}` }
      : issue,
  );
}

/** The same field may be reported by the file schema and a closer check: keep the first of each. */
function dedupe(issues: RawIssue[]): RawIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${formatPath(issue.path)}\n${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
