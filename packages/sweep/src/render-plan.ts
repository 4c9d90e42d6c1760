import { datasetId, splitCount } from '@repo/dataset';
import { formatParameterValue } from '@repo/metrics';
import stringify from 'safe-stable-stringify';
import type { JsonValue, ParameterSpace } from './parameter-space.js';
import { configurationCount, type PlannedTrial, type SweepPlan } from './plan-sweep.js';
import { printable } from './printable.js';
import { type SchedulerSpec, type SweepSpec, spacesOf } from './sweep-spec.js';
import { pointOf } from './trial-config.js';

/** A summary of the sweep (id, dataset, search, scheduler, constants) followed by its trial table. */
export function renderPlan(spec: SweepSpec, plan: SweepPlan): string {
  const configs = configurationCount(spec);
  const seeds = spec.seeds.length;
  const total = `${configs} configuration${configs === 1 ? '' : 's'} × ${seeds} seed${seeds === 1 ? '' : 's'} = ${configs * seeds} trials`;
  const search = spec.search;
  const searchLine =
    search.kind === 'grid'
      ? `grid: ${total}`
      : search.kind === 'random'
        ? `random (seed ${search.seed}): ${total}`
        : `tpe (seed ${search.seed}): ${total}; the first ${search.startup} configurations are drawn at random ` +
          `(below), the rest suggested as results arrive (objective: best ${spec.objective.metric}, ${spec.objective.direction})`;
  const d = spec.dataset;
  const constants = sharedConstants(spacesOf(spec)).map(
    ({ name, value }) => `${name}=${formatParameterValue(value)}`,
  );
  const lines = [
    ['sweep', `${plan.sweepId} (${printable(spec.name)})`],
    ...(spec.description ? [['about', printable(spec.description)]] : []),
    [
      'dataset',
      `${datasetId(d).slice(0, 12)}: ${d.imageSize}×${d.imageSize} px, train ${splitCount(d, 'train')} / ` +
        `val ${splitCount(d, 'val')} / test ${splitCount(d, 'test')}, seed ${d.seed}, shards of ${d.shardSize}`,
    ],
    ['objective', `${spec.objective.metric} on val (${spec.objective.direction})`],
    ['search', searchLine],
    ['scheduler', describeScheduler(spec.scheduler)],
    ['seeds', spec.seeds.join(', ')],
    ...(constants.length > 0 ? [['constants', constants.join(', ')]] : []),
  ];
  const header = lines.map(([label, text]) => `${(label as string).padEnd(10)}${text}`).join('\n');
  return `${header}\n\n${renderTrialTable(spec, plan.trials)}`;
}

/** One row per trial: id, seed, and every parameter that is not constant (arch always). */
export function renderTrialTable(spec: SweepSpec, trials: readonly PlannedTrial[]): string {
  const spaces = spacesOf(spec);
  const shared = new Set(sharedConstants(spaces).map(({ name }) => name));
  const columns = [...new Set(spaces.flat().map((parameter) => parameter.name))].filter(
    (name) => name === 'arch' || !shared.has(name),
  );
  const rows = trials.map((trial) => {
    const point = pointIn(spaces, trial.config);
    return [trial.trialId, String(trial.seed), ...columns.map((name) => formatParameterValue(point[name]))];
  });
  const table = [['trial', 'seed', ...columns], ...rows];
  const widths = table[0]?.map((_, c) => Math.max(...table.map((row) => (row[c] as string).length))) ?? [];
  return table
    .map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c] as number))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Parameters constant, with one value, in every space: the header's line, not a column. */
function sharedConstants(spaces: readonly ParameterSpace[]): { name: string; value: JsonValue }[] {
  const constantIn = (space: ParameterSpace, name: string) => {
    const found = space.find((parameter) => parameter.name === name)?.distribution;
    return found?.kind === 'constant' ? (stringify(found.value) ?? '') : undefined;
  };
  return (spaces[0] ?? []).flatMap(({ name, distribution }) => {
    if (distribution.kind !== 'constant') return [];
    const value = constantIn(spaces[0]!, name);
    return spaces.every((space) => constantIn(space, name) === value)
      ? [{ name, value: distribution.value }]
      : [];
  });
}

/** The point of a trial in the space it came from (the one whose every parameter its config matches). */
function pointIn(spaces: readonly ParameterSpace[], config: Readonly<Record<string, JsonValue>>) {
  const points = spaces.map((space) => ({ space, point: pointOf(space, config) }));
  return (points.find(({ space, point }) => Object.keys(point).length === space.length) ?? points[0])!.point;
}

function describeScheduler(scheduler: SchedulerSpec): string {
  switch (scheduler.kind) {
    case 'none':
      return 'none (each trial runs to its own early stopping)';
    case 'asha': {
      const rungs =
        scheduler.milestones?.join(', ') ??
        `${scheduler.gracePeriod}, ${scheduler.gracePeriod * scheduler.reductionFactor}, …`;
      return `asha on ${scheduler.metric} (${scheduler.direction}): at epochs ${rungs} keep the top 1/${scheduler.reductionFactor}`;
    }
    case 'median':
      return (
        `median on ${scheduler.metric} (${scheduler.direction}): from epoch ${scheduler.gracePeriod}, ` +
        `with ≥ ${scheduler.minTrials} other trials at the same epoch`
      );
  }
}
