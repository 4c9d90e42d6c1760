import { createHash } from 'node:crypto';
import type { DatasetSpec } from '@repo/dataset';
import { parseTrialConfig, TrialConfigError } from '@repo/model/config';
import stringify from 'safe-stable-stringify';
import { SweepSpecError } from './errors.js';
import type { JsonValue, ParameterSpace } from './parameter-space.js';
import { createRng } from './rng.js';
import { samplePoint } from './sample.js';
import { gridSize, type SchedulerSpec, type SweepObjective, type SweepSpec, spacesOf } from './sweep-spec.js';
import { type Observation, suggest } from './tpe.js';
import { configOf, type ParameterPoint, pointOf, type TrialConfig } from './trial-config.js';

/** Version of the expansion (order, draws, ids): part of every sweep id, like the dataset's generator version. */
export const PLANNER_VERSION = 'mtl-sweep/1';

/** One trial to run: a configuration and the seed of its initialisation, shuffles and dropout. */
export interface PlannedTrial {
  trialId: string;
  config: TrialConfig;
  seed: number;
}

/** A sweep ready to enqueue (the shape of @repo/contracts' SweepPlan). */
export interface SweepPlan {
  sweepId: string;
  name: string;
  dataset: DatasetSpec;
  /** What ranks trials: the spec's objective (default val_combined, minimised). */
  objective: SweepObjective;
  /** Early stopping the trainers apply after each epoch; absent for `scheduler: none`. */
  scheduler?: Exclude<SchedulerSpec, { kind: 'none' }>;
  trials: PlannedTrial[];
}

/** A finished trial's configuration and objective (the TPE metric's best value over its epochs). */
export interface TrialResult {
  config: Readonly<Record<string, JsonValue>>;
  value: number;
}

/**
 * Content address of a sweep: `<name-slug>-<12 hex of sha256 over the planner version and the
 * canonical validated spec>`. Formatting, comments and defaults written out or left implicit do not
 * change it; any change to what would run does.
 */
export function sweepId(spec: SweepSpec): string {
  const slug = spec.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  const hash = createHash('sha256')
    .update(`${PLANNER_VERSION}\n${stringify(spec)}`)
    .digest('hex');
  return `${slug.replace(/-+$/, '') || 'sweep'}-${hash.slice(0, 12)}`;
}

/** Configurations the sweep runs in all (each once per seed); for tpe, including those suggested later. */
export function configurationCount(spec: SweepSpec): number {
  return spec.search.kind === 'grid' ? gridSize(spec) : spec.search.trials;
}

/**
 * Expands a spec into its trials, configuration-major (trial k·repeats + r is configuration k with seed
 * r), ids `t000`, `t001`, …: grid is the cartesian product in parameter order (the last varies fastest);
 * random draws configuration k from stream k of the search seed; tpe plans its `startup` random
 * configurations (see `suggestTrials` for the rest). Every configuration is checked by the trainer's
 * own parser, so a plan that validates here never fails a worker on its config.
 */
export function planSweep(spec: SweepSpec): SweepPlan {
  const points = planPoints(spec);
  if (spec.variants !== undefined) refuseRepeats(points);
  const trials = points.flatMap((point, k) => trialsOf(spec, point, k));
  const { search, scheduler } = spec;
  return {
    sweepId: sweepId(spec),
    name: spec.name,
    dataset: spec.dataset,
    objective: spec.objective,
    ...(scheduler.kind === 'none' ? {} : { scheduler }),
    trials,
  };
}

/**
 * The next tpe configuration (index `configIndex`, from `startup` on) as trials, one per seed, suggested
 * from the finished trials' results: the repeats of a configuration count as one observation, their
 * mean. Deterministic: the same results give the same suggestion.
 */
export function suggestTrials(
  spec: SweepSpec,
  results: readonly TrialResult[],
  configIndex: number,
): PlannedTrial[] {
  const search = spec.search;
  if (search.kind !== 'tpe') throw new Error(`suggestTrials needs search tpe, not ${search.kind}`);
  if (!Number.isInteger(configIndex) || configIndex < search.startup || configIndex >= search.trials) {
    throw new RangeError(
      `configIndex must be a whole number in [${search.startup}, ${search.trials}), got ${configIndex}`,
    );
  }
  const point = suggest(
    spec.parameters,
    observationsOf(spec.parameters, results),
    createRng(search.seed, configIndex),
    {
      startup: search.startup,
      candidates: search.candidates,
      gamma: search.gamma,
      direction: spec.objective.direction,
    },
  );
  return trialsOf(spec, point, configIndex);
}

function planPoints(spec: SweepSpec): ParameterPoint[] {
  const search = spec.search;
  if (search.kind === 'grid') return spacesOf(spec).flatMap(gridPoints);
  const count = search.kind === 'random' ? search.trials : search.startup;
  return Array.from({ length: count }, (_, k) => samplePoint(spec.parameters, createRng(search.seed, k)));
}

/** Two variants that give one configuration would run it twice: refused, naming the two. */
function refuseRepeats(points: readonly ParameterPoint[]): void {
  const first = new Map<string, number>();
  points.forEach((point, k) => {
    const key = stringify(configOf(point)) ?? '';
    const earlier = first.get(key);
    if (earlier !== undefined)
      throw new SweepSpecError([
        {
          path: 'variants',
          message: `configurations ${earlier} and ${k} are both ${key}: a variant repeats another's configuration`,
        },
      ]);
    first.set(key, k);
  });
}

function gridPoints(space: ParameterSpace): ParameterPoint[] {
  let points: Record<string, JsonValue>[] = [{}];
  for (const { name, distribution } of space) {
    const values =
      distribution.kind === 'choice' ? distribution.values : [(distribution as { value: JsonValue }).value];
    points = points.flatMap((point) => values.map((value) => ({ ...point, [name]: value })));
  }
  return points;
}

/** Configuration `configIndex` (`point`) once per seed, checked by the trainer's parser; ids `t<k·repeats + r>`. */
export function trialsOf(spec: SweepSpec, point: ParameterPoint, configIndex: number): PlannedTrial[] {
  const config = configOf(point) as TrialConfig;
  const width = Math.max(3, String(configurationCount(spec) * spec.seeds.length - 1).length);
  const trials = spec.seeds.map((seed, r) => ({
    trialId: `t${String(configIndex * spec.seeds.length + r).padStart(width, '0')}`,
    config,
    seed,
  }));
  checkConfig(spec, trials[0] as PlannedTrial);
  return trials;
}

function checkConfig(spec: SweepSpec, trial: PlannedTrial): void {
  try {
    parseTrialConfig(trial.config, { imageSize: spec.dataset.imageSize, seed: trial.seed });
  } catch (error) {
    if (!(error instanceof TrialConfigError)) throw error;
    throw new SweepSpecError([
      {
        path: 'parameters',
        message: `trial ${trial.trialId} ${JSON.stringify(trial.config)}: ${error.message}`,
      },
    ]);
  }
}

function observationsOf(space: ParameterSpace, results: readonly TrialResult[]): Observation[] {
  const byConfig = new Map<string, { point: ParameterPoint; values: number[] }>();
  for (const result of results) {
    const key = stringify(result.config);
    const entry = byConfig.get(key) ?? { point: pointOf(space, result.config), values: [] };
    entry.values.push(result.value);
    byConfig.set(key, entry);
  }
  return [...byConfig.values()].map(({ point, values }) => ({
    point,
    value: values.reduce((sum, value) => sum + value, 0) / values.length,
  }));
}
