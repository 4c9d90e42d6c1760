import stringify from 'safe-stable-stringify';
import { SweepExtensionError } from './errors.js';
import { type PlannedTrial, planSweep, suggestTrials, type TrialResult, trialsOf } from './plan-sweep.js';
import { createRng } from './rng.js';
import { samplePoint } from './sample.js';
import type { SweepSpec } from './sweep-spec.js';
import type { TrialConfig } from './trial-config.js';

/** How to grow a sweep: more seeds per configuration, more configurations, or a changed parameter space. */
export type SweepExtensionRequest =
  | { kind: 'seeds'; seeds: number }
  | { kind: 'trials'; trials: number }
  | { kind: 'spec'; spec: SweepSpec };

/** What extending adds: the trials to enqueue, and the spec the sweep has from now on. */
export interface SweepExtension {
  spec: SweepSpec;
  trials: PlannedTrial[];
}

export interface ExtensionContext {
  /** The sweep's trials so far (planned and added), in order. */
  existing: readonly PlannedTrial[];
  /** Ended trials' objectives, for a TPE sweep's suggestions (warm start from every one). */
  results?: readonly TrialResult[];
  /**
   * Trial numbers below this are taken even when no trial has them yet: a TPE sweep's trainers add
   * `t<n>` up to its configurations × seeds as results arrive, so new ids start above that.
   */
  reserved?: number;
}

/**
 * Plans the trials that grow a sweep, deterministic for a given sweep: `seeds` runs every
 * configuration so far with the next seeds (the smallest non-negative integers not used yet) up to
 * that many; `trials` draws (random) or suggests (TPE, from every ended trial at once) configurations
 * up to that many in all, as a spec with that many would; `spec` adds the configurations and seeds
 * of a changed spec that the sweep has not run, over the same dataset, objective and scheduler.
 * Trial ids continue after the highest so far (`t<n>`), so they never collide with an existing one.
 * Throws a SweepExtensionError naming the field when the request cannot grow the sweep.
 */
export function planExtension(
  spec: SweepSpec,
  request: SweepExtensionRequest,
  context: ExtensionContext,
): SweepExtension {
  const grown = candidates(spec, request, context);
  const seen = new Set(context.existing.map(pairKey));
  const fresh = grown.trials.filter((trial) => !seen.has(pairKey(trial)));
  if (fresh.length === 0)
    throw new SweepExtensionError(request.kind, 'adds no trial the sweep has not run already');
  const first = Math.max(context.reserved ?? 0, ...context.existing.map(trialNumber).map((n) => n + 1));
  const width = Math.max(3, String(first + fresh.length - 1).length);
  return {
    spec: grown.spec,
    trials: fresh.map((trial, i) => ({ ...trial, trialId: `t${String(first + i).padStart(width, '0')}` })),
  };
}

function candidates(
  spec: SweepSpec,
  request: SweepExtensionRequest,
  context: ExtensionContext,
): SweepExtension {
  switch (request.kind) {
    case 'seeds':
      return moreSeeds(spec, request.seeds, context.existing);
    case 'trials':
      return moreTrials(spec, request.trials, context.results ?? []);
    case 'spec':
      return changedSpec(spec, request.spec);
  }
}

function moreSeeds(spec: SweepSpec, count: number, existing: readonly PlannedTrial[]): SweepExtension {
  if (count <= spec.seeds.length)
    throw new SweepExtensionError('seeds', `the sweep runs ${spec.seeds.length} seeds already: ask for more`);
  const seeds = [...spec.seeds];
  for (let next = 0; seeds.length < count; next++) if (!seeds.includes(next)) seeds.push(next);
  const configs = new Map<string, TrialConfig>();
  for (const trial of existing) configs.set(stringify(trial.config) ?? '', trial.config);
  const trials = [...configs.values()].flatMap((config) =>
    seeds.map((seed) => ({ trialId: '', config, seed })),
  );
  return { spec: { ...spec, seeds }, trials };
}

function moreTrials(spec: SweepSpec, count: number, results: readonly TrialResult[]): SweepExtension {
  const { search } = spec;
  if (search.kind === 'grid')
    throw new SweepExtensionError('trials', 'a grid has no further configurations: extend it with a spec');
  if (count <= search.trials)
    throw new SweepExtensionError(
      'trials',
      `the sweep has ${search.trials} configurations already: ask for more`,
    );
  const grown: SweepSpec = { ...spec, search: { ...search, trials: count } };
  const trials: PlannedTrial[] = [];
  for (let k = search.trials; k < count; k++) {
    trials.push(
      ...(search.kind === 'tpe'
        ? suggestTrials(grown, results, k)
        : trialsOf(grown, samplePoint(spec.parameters, createRng(search.seed, k)), k)),
    );
  }
  return { spec: grown, trials };
}

function changedSpec(spec: SweepSpec, next: SweepSpec): SweepExtension {
  for (const field of ['dataset', 'objective', 'scheduler'] as const) {
    if (stringify(spec[field]) !== stringify(next[field]))
      throw new SweepExtensionError(
        `spec.${field}`,
        `differs from the sweep's: its trials would not be comparable (enqueue it as a sweep of its own)`,
      );
  }
  if (next.search.kind === 'tpe')
    throw new SweepExtensionError(
      'spec.search',
      'a tpe spec cannot extend a sweep: extend a tpe sweep with --trials',
    );
  // Validates every configuration as planning does; the ids are assigned by the caller.
  return { spec: next, trials: planSweep(next).trials };
}

function pairKey(trial: PlannedTrial): string {
  return `${trial.seed}:${stringify(trial.config)}`;
}

function trialNumber(trial: PlannedTrial): number {
  const match = /^t(\d+)$/.exec(trial.trialId);
  return match ? Number(match[1]) : -1;
}
