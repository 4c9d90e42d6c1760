import type { JsonValue, ParameterSpace } from './parameter-space.js';

/** One drawn value per parameter, by parameter name (`lossWeights.position`). */
export type ParameterPoint = Readonly<Record<string, JsonValue>>;

/** A trial's hyperparameters as the trainer reads them: flat keys, nested groups, `arch` required. */
export type TrialConfig = { arch: string } & Record<string, JsonValue>;

/**
 * Where `fineTune` is a boolean parameter, `true` fine-tunes with the trainer's default settings and
 * `false` leaves the key out (no fine-tuning): the trainer takes an object or nothing.
 */
const FINE_TUNE = 'fineTune';

/** The trial config of a point: dotted names become nested objects. */
export function configOf(point: ParameterPoint): TrialConfig {
  const config: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(point)) {
    if (name === FINE_TUNE && typeof value === 'boolean') {
      if (value) config[FINE_TUNE] = {};
      continue;
    }
    const keys = name.split('.');
    let node = config;
    for (const key of keys.slice(0, -1)) {
      const child = node[key];
      if (typeof child !== 'object' || child === null || Array.isArray(child)) node[key] = {};
      node = node[key] as Record<string, JsonValue>;
    }
    node[keys.at(-1) as string] = value;
  }
  return config as TrialConfig;
}

/**
 * The point a trial config was made from (the inverse of `configOf` over `space`): a constant or choice
 * parameter maps back to the candidate that yields the config's value, a range to the number found.
 */
export function pointOf(space: ParameterSpace, config: Readonly<Record<string, JsonValue>>): ParameterPoint {
  const point: Record<string, JsonValue> = {};
  for (const { name, distribution } of space) {
    const found = valueAt(config, name);
    if (distribution.kind === 'constant' || distribution.kind === 'choice') {
      const candidates = distribution.kind === 'constant' ? [distribution.value] : distribution.values;
      const match = candidates.find((candidate) =>
        sameJson(valueAt(configOf({ [name]: candidate }), name), found),
      );
      if (match !== undefined) point[name] = match;
    } else if (
      distribution.kind === 'dirichlet'
        ? typeof found === 'object' && found !== null
        : typeof found === 'number'
    ) {
      point[name] = found as JsonValue;
    }
  }
  return point;
}

function valueAt(config: Readonly<Record<string, JsonValue>>, name: string): JsonValue | undefined {
  let value: JsonValue | undefined = config;
  for (const key of name.split('.')) {
    value = typeof value === 'object' && value !== null && !Array.isArray(value) ? value[key] : undefined;
  }
  return value;
}

function sameJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
