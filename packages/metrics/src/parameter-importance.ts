import { canonicalJson } from './config-key.js';
import { mean } from './statistics.js';

/** One run: its hyperparameters (seed left out) and the value being explained. */
export interface ImportanceRun {
  config: Record<string, unknown>;
  value: number;
}

export interface ParameterImportance {
  parameter: string;
  /** Share of the value's variance across runs that this parameter's levels explain (η², 0…1). */
  importance: number;
  /** Levels the runs were split into (numeric parameters with many values are binned). */
  levels: number;
}

export interface ImportanceResult {
  /** Most important first. */
  parameters: ParameterImportance[];
  /**
   * Share of the variance left within configurations (repeats differing only by seed): what no
   * hyperparameter can explain, the floor to read the others against. Null without repeats.
   */
  seedNoise: number | null;
}

/** Numeric parameters with more distinct values than this are split into this many rank bins. */
export const IMPORTANCE_BINS = 4;

/**
 * First-order variance decomposition, fANOVA's main effects read off the runs themselves instead of a
 * fitted forest: for each parameter, the runs are grouped by its value (numeric ones with many values in
 * `IMPORTANCE_BINS` bins of equally many distinct values, by rank, so the scale — log or linear — does not matter) and
 * importance is η² = Σ nₖ (meanₖ − mean)² / Σ (v − mean)². It is exact for a grid and an estimate for a
 * random search, where parameters vary together; interactions are not split out. Zero total variance
 * gives every parameter 0.
 */
export function parameterImportance(
  runs: readonly ImportanceRun[],
  parameters: readonly string[],
): ImportanceResult {
  const values = runs.map((run) => run.value);
  const centre = mean(values);
  let total = 0;
  for (const value of values) total += (value - centre) ** 2;
  const share = (labels: readonly string[]): number =>
    total > 0 ? betweenSquares(labels, values, centre) / total : 0;
  const result = parameters.map((parameter) => {
    const labels = levelLabels(runs.map((run) => run.config[parameter]));
    return { parameter, importance: share(labels), levels: new Set(labels).size };
  });
  result.sort((a, b) => b.importance - a.importance || a.parameter.localeCompare(b.parameter));
  const configs = runs.map((run) => canonicalJson(run.config));
  const repeated = new Set(configs).size < configs.length;
  return { parameters: result, seedNoise: repeated && total > 0 ? 1 - share(configs) : repeated ? 0 : null };
}

function betweenSquares(labels: readonly string[], values: readonly number[], centre: number): number {
  const groups = new Map<string, number[]>();
  labels.forEach((label, i) => {
    const group = groups.get(label) ?? [];
    group.push(values[i]!);
    groups.set(label, group);
  });
  let sum = 0;
  for (const group of groups.values()) sum += group.length * (mean(group) - centre) ** 2;
  return sum;
}

/** A level per run: its value as JSON, or for many-valued numbers its rank bin. */
function levelLabels(values: readonly unknown[]): string[] {
  const numeric = values.every((value) => typeof value === 'number');
  const distinct = [...new Set(values.map((value) => JSON.stringify(value ?? null)))];
  if (!numeric || distinct.length <= IMPORTANCE_BINS)
    return values.map((value) => JSON.stringify(value ?? null));
  const sorted = [...new Set(values as number[])].sort((a, b) => a - b);
  const bin = new Map(
    sorted.map((value, rank) => [value, Math.floor((rank * IMPORTANCE_BINS) / sorted.length)]),
  );
  return (values as number[]).map((value) => `bin ${bin.get(value)}`);
}
