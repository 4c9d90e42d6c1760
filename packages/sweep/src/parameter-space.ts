import { HEAD_NAMES } from '@repo/model/config';
import { z } from 'zod';
import { type FieldPath, fromZod, type RawIssue, strictObject } from './issues.js';

/** A JSON value: what a trial config holds. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The kinds of distribution a parameter can be drawn from. */
export const DISTRIBUTION_KINDS = [
  'constant',
  'choice',
  'uniform',
  'log-uniform',
  'int-uniform',
  'dirichlet',
] as const;
export type DistributionKind = (typeof DISTRIBUTION_KINDS)[number];

/** Where one parameter's values come from. Ranges include both ends. */
export type Distribution =
  | { kind: 'constant'; value: JsonValue }
  | { kind: 'choice'; values: readonly JsonValue[] }
  | { kind: 'uniform' | 'log-uniform' | 'int-uniform'; min: number; max: number }
  /** An object `{ key: part }` drawn on the simplex: parts ≥ 0 summing to `total`. */
  | { kind: 'dirichlet'; keys: readonly string[]; concentration: readonly number[]; total: number };

/** One searched (or fixed) hyperparameter. */
export interface Parameter {
  /** Dotted path inside the trial config, e.g. `learningRate` or `lossWeights.position`. */
  name: string;
  distribution: Distribution;
}

/** Every parameter of a sweep, in file order (grid order and random draws follow it). */
export type ParameterSpace = readonly Parameter[];

/** A value a parameter can take (a constant, a choice, a range's end) with the field that wrote it. */
export interface ParameterValue {
  parameter: Parameter;
  value: JsonValue;
  /** The field holding the value, e.g. `parameters.learningRate.min`. */
  path: FieldPath;
  /** The parameter's own field, e.g. `parameters.learningRate`. */
  entry: FieldPath;
}

export interface ParsedParameters {
  space: Parameter[];
  /** The values to check against the trainer's schemas. */
  values: ParameterValue[];
  issues: RawIssue[];
}

const DISTRIBUTION_FIELDS = ['distribution', 'value', 'values', 'min', 'max'];
const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

const constantSchema = strictObject({ distribution: z.literal('constant').optional(), value: z.json() });
const choiceSchema = strictObject({
  distribution: z.literal('choice').optional(),
  values: z.array(z.json()).min(1, 'needs at least one value'),
});
const rangeSchema = (kind: 'uniform' | 'log-uniform' | 'int-uniform') => {
  const bound = kind === 'int-uniform' ? z.int() : z.number();
  return strictObject({
    distribution: z.literal(kind),
    min: kind === 'log-uniform' ? bound.positive('must be > 0 for log-uniform') : bound,
    max: bound,
  }).refine((range) => range.max > range.min, {
    path: ['max'],
    message: 'must be greater than min',
  });
};

const dirichletSchema = strictObject({
  distribution: z.literal('dirichlet'),
  /** The drawn object's keys. Default: the heads, position, shape, colour. */
  keys: z
    .array(z.string().regex(NAME, 'a key is letters, digits and "_", starting with a letter'))
    .min(2, 'needs at least two keys')
    .refine((keys) => new Set(keys).size === keys.length, 'keys must differ')
    .default([...HEAD_NAMES]),
  /** α, one for every key or one number for all. Default 1: uniform on the simplex. */
  concentration: z.union([z.number().gt(0), z.array(z.number().gt(0))]).default(1),
  /** What the parts sum to. Default: the number of keys, so 1 each is the simplex's centre. */
  total: z.number().gt(0).finite().optional(),
}).refine(
  (entry) => typeof entry.concentration === 'number' || entry.concentration.length === entry.keys.length,
  {
    path: ['concentration'],
    message: 'needs one value per key',
  },
);

/**
 * Reads the `parameters` mapping. Each entry is a constant (`batchSize: 16` or `{ value: … }`), a choice
 * (`{ values: [...] }`), a range (`{ distribution: uniform | log-uniform | int-uniform, min, max }`), a
 * point on the simplex (`{ distribution: dirichlet, keys?, concentration?, total? }`), or a group of
 * nested parameters (`lossWeights: { position: …, shape: … }`).
 */
export function parseParameters(raw: unknown, prefix: FieldPath = ['parameters']): ParsedParameters {
  const parsed: ParsedParameters = { space: [], values: [], issues: [] };
  if (!isRecord(raw) || Object.keys(raw).length === 0) {
    parsed.issues.push({
      path: prefix,
      message: 'expected a mapping of parameter names to values or distributions',
    });
    return parsed;
  }
  parseGroup(raw, [], prefix, parsed);
  return parsed;
}

/**
 * Variant `index` of a sweep: `base` (the sweep's `parameters`) with the variant's top-level keys
 * replacing or adding to it. Paths name the field that wrote each entry: `parameters.…` for the base's,
 * `variants.<index>.…` for the variant's.
 */
export function parseVariant(base: unknown, variant: unknown, index: number): ParsedParameters {
  const prefix: FieldPath = ['variants', index];
  const parsed: ParsedParameters = { space: [], values: [], issues: [] };
  if (!isRecord(variant) || Object.keys(variant).length === 0) {
    parsed.issues.push({
      path: prefix,
      message: 'expected a mapping of parameter names to values or distributions',
    });
    return parsed;
  }
  const kept = isRecord(base)
    ? Object.fromEntries(Object.entries(base).filter(([key]) => !(key in variant)))
    : {};
  parseGroup(kept, [], ['parameters'], parsed);
  parseGroup(variant, [], prefix, parsed);
  return parsed;
}

function parseGroup(group: Record<string, unknown>, names: string[], path: FieldPath, out: ParsedParameters) {
  for (const [key, entry] of Object.entries(group)) {
    const entryPath = [...path, key];
    if (!NAME.test(key)) {
      out.issues.push({
        path: entryPath,
        message: 'a parameter name is letters, digits and "_", starting with a letter',
      });
    } else if (Array.isArray(entry)) {
      out.issues.push({
        path: entryPath,
        message:
          'a bare list is ambiguous: write `values: [...]` for a choice or `value: [...]` for a constant list',
      });
    } else if (isRecord(entry) && !DISTRIBUTION_FIELDS.some((field) => field in entry)) {
      if (Object.keys(entry).length === 0) out.issues.push({ path: entryPath, message: 'empty group' });
      else parseGroup(entry, [...names, key], entryPath, out);
    } else {
      parseEntry(entry, [...names, key].join('.'), entryPath, out);
    }
  }
}

function parseEntry(entry: unknown, name: string, path: FieldPath, out: ParsedParameters) {
  if (!isRecord(entry)) {
    const value = entry as JsonValue;
    const parameter: Parameter = { name, distribution: { kind: 'constant', value } };
    out.space.push(parameter);
    out.values.push({ parameter, value, path, entry: path });
    return;
  }
  const kind =
    entry.distribution ?? ('values' in entry ? 'choice' : 'value' in entry ? 'constant' : undefined);
  if (kind === undefined) {
    out.issues.push({
      path: [...path, 'distribution'],
      message: 'required with min/max: one of uniform, log-uniform, int-uniform',
    });
    return;
  }
  if (!(DISTRIBUTION_KINDS as readonly unknown[]).includes(kind)) {
    out.issues.push({
      path: [...path, 'distribution'],
      message: `unknown distribution ${JSON.stringify(kind)}; allowed: ${DISTRIBUTION_KINDS.join(', ')}`,
    });
    return;
  }
  const distribution = parseDistribution(kind as DistributionKind, entry, path, out.issues);
  if (distribution === undefined) return;
  const parameter: Parameter = { name, distribution };
  out.space.push(parameter);
  out.values.push(...valuesOf(parameter, path));
}

function parseDistribution(
  kind: DistributionKind,
  entry: Record<string, unknown>,
  path: FieldPath,
  issues: RawIssue[],
): Distribution | undefined {
  if (kind === 'constant') {
    if (!('value' in entry) || entry.value === undefined) {
      issues.push({ path: [...path, 'value'], message: 'required for a constant' });
      return undefined;
    }
    const parsed = constantSchema.safeParse(entry);
    if (!parsed.success) {
      issues.push(...fromZod(parsed.error, path));
      return undefined;
    }
    return { kind, value: parsed.data.value as JsonValue };
  }
  if (kind === 'choice') {
    const parsed = choiceSchema.safeParse(entry);
    if (!parsed.success) {
      issues.push(...fromZod(parsed.error, path));
      return undefined;
    }
    const values = parsed.data.values as JsonValue[];
    const seen = new Map<string, number>();
    for (const [index, value] of values.entries()) {
      const key = JSON.stringify(value);
      const first = seen.get(key);
      if (first !== undefined) {
        issues.push({ path: [...path, 'values', index], message: `duplicate of values[${first}] (${key})` });
      }
      seen.set(key, index);
    }
    return { kind, values };
  }
  if (kind === 'dirichlet') {
    const parsed = dirichletSchema.safeParse(entry);
    if (!parsed.success) {
      issues.push(...fromZod(parsed.error, path));
      return undefined;
    }
    const { keys, concentration, total } = parsed.data;
    return {
      kind,
      keys,
      concentration: typeof concentration === 'number' ? keys.map(() => concentration) : concentration,
      total: total ?? keys.length,
    };
  }
  const parsed = rangeSchema(kind).safeParse(entry);
  if (!parsed.success) {
    issues.push(...fromZod(parsed.error, path));
    return undefined;
  }
  return { kind, min: parsed.data.min, max: parsed.data.max };
}

function valuesOf(parameter: Parameter, path: FieldPath): ParameterValue[] {
  const distribution = parameter.distribution;
  switch (distribution.kind) {
    case 'constant':
      return [{ parameter, value: distribution.value, path: [...path, 'value'], entry: path }];
    case 'choice':
      return distribution.values.map((value, index) => ({
        parameter,
        value,
        path: [...path, 'values', index],
        entry: path,
      }));
    case 'dirichlet':
      // The simplex's centre stands for every draw: the trainer takes any non-negative parts.
      return [{ parameter, value: simplexCentre(distribution), path, entry: path }];
    default:
      return [
        { parameter, value: distribution.min, path: [...path, 'min'], entry: path },
        { parameter, value: distribution.max, path: [...path, 'max'], entry: path },
      ];
  }
}

function simplexCentre(distribution: Extract<Distribution, { kind: 'dirichlet' }>): JsonValue {
  return Object.fromEntries(
    distribution.keys.map((key) => [key, distribution.total / distribution.keys.length]),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
