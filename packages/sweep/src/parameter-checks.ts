import {
  ARCHITECTURE_NAMES,
  fineTuneProblem,
  HEAD_NAMES,
  headsOf,
  isModelName,
  isSingleTaskArchitectureName,
  LOSS_WEIGHTING_KINDS,
  LOSS_WEIGHTS_SHORTHAND,
  type LossWeightingKind,
  MODEL_NAMES,
  type ModelName,
  parseTrialConfig,
  TrialConfigError,
  trainConfigSchema,
  weightingProblem,
  zeroWeightProblem,
} from '@repo/model/config';
import { formatPath, type RawIssue } from './issues.js';
import type { JsonValue, ParameterSpace, ParameterValue } from './parameter-space.js';
import { configOf, type ParameterPoint } from './trial-config.js';

/** Top-level keys the trainer reads from a trial config (`seed` comes from `repeats`/`seeds`). */
export const PARAMETER_NAMES = [
  'arch',
  'widthMultiplier',
  'dropout',
  ...Object.keys(trainConfigSchema.shape).filter((key) => key !== 'seed'),
  LOSS_WEIGHTS_SHORTHAND,
];

/** The parameter whose value decides which fields its siblings (`lossWeighting.temperature`, …) may have. */
const WEIGHTING_KIND = 'lossWeighting.kind';

/**
 * Checks every value a parameter can take against the trainer's own schemas (through the model
 * package's `parseTrialConfig`), so a bad value fails here, naming its field, and never in a worker.
 */
export function checkParameterValues(values: readonly ParameterValue[], imageSize: number): RawIssue[] {
  const issues: RawIssue[] = [];
  if (!values.some((value) => value.parameter.name === 'arch')) {
    issues.push({
      path: ['parameters', 'arch'],
      message: `required: the architecture, one of ${MODEL_NAMES.join(', ')}`,
    });
  }
  const once = new Set<string>();
  const reportOnce = (issue: RawIssue) => {
    const key = formatPath(issue.path);
    if (!once.has(key)) issues.push(issue);
    once.add(key);
  };
  for (const value of values) {
    const { name, distribution } = value.parameter;
    const top = name.split('.')[0] as string;
    if (top === 'seed') {
      reportOnce({ path: value.entry, message: 'seeds are not a parameter: set repeats or seeds' });
    } else if (!PARAMETER_NAMES.includes(top)) {
      const hint = closest(top, PARAMETER_NAMES);
      reportOnce({
        path: value.entry,
        message: `unknown parameter${hint ? ` (did you mean ${hint}?)` : ''}; allowed: ${PARAMETER_NAMES.join(', ')}`,
      });
    } else if (name === 'arch') {
      if (distribution.kind !== 'constant' && distribution.kind !== 'choice') {
        reportOnce({ path: [...value.entry, 'distribution'], message: 'arch takes value or values (names)' });
      } else if (typeof value.value !== 'string' || !isModelName(value.value)) {
        issues.push({
          path: value.path,
          message: `unknown architecture ${JSON.stringify(value.value)}; allowed: ${MODEL_NAMES.join(', ')}`,
        });
      }
    } else {
      const problem = problemInContext(name, value.value, values, imageSize);
      if (problem?.startsWith('Unrecognized key'))
        reportOnce({ path: value.entry, message: 'unknown parameter' });
      else if (problem !== undefined) issues.push({ path: value.path, message: problem });
    }
  }
  return [
    ...issues,
    ...checkWholeNumbers(values, imageSize, once),
    ...checkWeightingFits(values),
    ...checkFineTuneFits(values),
    ...checkBaselineWeights(values),
    ...checkAllZeroWeights(values),
  ];
}

/** The architectures a sweep's `arch` parameter can take (valid names only). */
function sweepArchitectures(values: readonly ParameterValue[]): ModelName[] {
  return values
    .filter((v) => v.parameter.name === 'arch' && typeof v.value === 'string' && isModelName(v.value))
    .map((v) => v.value as ModelName);
}

/**
 * A loss weighting some architecture of the sweep cannot train with (GradNorm without a shared layer,
 * anything but static weights on a single-task baseline): the grid or random draws would pair them,
 * so the spec is refused at the weighting's value.
 */
function checkWeightingFits(values: readonly ParameterValue[]): RawIssue[] {
  const archs = sweepArchitectures(values);
  const issues: RawIssue[] = [];
  for (const value of values) {
    const kind =
      value.parameter.name === WEIGHTING_KIND
        ? value.value
        : value.parameter.name === 'lossWeighting' && isObject(value.value)
          ? value.value.kind
          : undefined;
    if (typeof kind !== 'string' || !(LOSS_WEIGHTING_KINDS as readonly string[]).includes(kind)) continue;
    const problem = archs
      .map((arch) => weightingProblem(arch, kind as LossWeightingKind))
      .find((p) => p !== undefined);
    if (problem !== undefined) issues.push({ path: value.path, message: problem });
  }
  return issues;
}

/** Fine-tuning beside a single-task baseline: the draws would pair them, and it needs three heads. */
function checkFineTuneFits(values: readonly ParameterValue[]): RawIssue[] {
  const single = sweepArchitectures(values).find(isSingleTaskArchitectureName);
  if (single === undefined) return [];
  return values
    .filter((value) => value.parameter.name.split('.')[0] === 'fineTune')
    .slice(0, 1)
    .map((value) => ({ path: value.entry, message: fineTuneProblem(single) }));
}

/** A static weight of 0 on a baseline's one head (it would learn nothing), wherever the spec gives it. */
function checkBaselineWeights(values: readonly ParameterValue[]): RawIssue[] {
  const baselines = sweepArchitectures(values).filter(isSingleTaskArchitectureName);
  return values.flatMap((value): RawIssue[] => {
    const weights = weightsIn(value.parameter.name, value.value);
    const arch = baselines.find((a) => headsOf(a).some((head) => weights?.[head] === 0));
    return arch === undefined ? [] : [{ path: value.path, message: zeroWeightProblem(arch) }];
  });
}

/**
 * Static weights written per head (a group) that are 0 for every head whatever is drawn: no loss would
 * count. Each value alone is valid, so this is named at the group (a whole weights object is checked
 * by the trainer's schema with the other values).
 */
function checkAllZeroWeights(values: readonly ParameterValue[]): RawIssue[] {
  const message = `all weights are 0, so no head's loss counts; allowed: weights ≥ 0, at least one of ${HEAD_NAMES.join(', ')} above 0`;
  const issues: RawIssue[] = [];
  for (const prefix of [LOSS_WEIGHTS_SHORTHAND, 'lossWeighting.weights']) {
    const perHead = values.filter((value) => value.parameter.name.startsWith(`${prefix}.`));
    const heads = new Set(perHead.map((value) => value.parameter.name.slice(prefix.length + 1)));
    if (HEAD_NAMES.every((head) => heads.has(head)) && perHead.every((value) => value.value === 0))
      issues.push({ path: perHead[0]!.entry.slice(0, -1), message });
  }
  return issues;
}

/** The per-head weights a parameter's value sets: `lossWeights(.head)`, `lossWeighting(.weights(.head))`. */
function weightsIn(name: string, value: JsonValue): { [head: string]: JsonValue } | undefined {
  for (const prefix of [LOSS_WEIGHTS_SHORTHAND, 'lossWeighting.weights']) {
    if (name === prefix) return isObject(value) ? value : undefined;
    if (name.startsWith(`${prefix}.`)) return { [name.slice(prefix.length + 1)]: value };
  }
  if (name === 'lossWeighting' && isObject(value) && isObject(value.weights ?? null)) {
    return value.weights as { [head: string]: JsonValue };
  }
  return undefined;
}

function isObject(value: JsonValue): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A uniform or log-uniform range over a parameter that takes whole numbers would draw invalid values. */
function checkWholeNumbers(
  values: readonly ParameterValue[],
  imageSize: number,
  reported: Set<string>,
): RawIssue[] {
  const issues: RawIssue[] = [];
  for (const { parameter, entry } of values) {
    const { name, distribution } = parameter;
    if (distribution.kind !== 'uniform' && distribution.kind !== 'log-uniform') continue;
    if (reported.has(formatPath(entry)) || reported.has(`${name}#fraction`)) continue;
    reported.add(`${name}#fraction`);
    const ends = [distribution.min, distribution.max].map((end) =>
      trainerProblem({ [name]: end }, imageSize),
    );
    if (ends.some((problem) => problem !== undefined)) continue;
    const inside = distribution.min + (distribution.max - distribution.min) * 0.4142;
    const problem = trainerProblem({ [name]: inside }, imageSize);
    if (problem !== undefined) {
      issues.push({
        path: [...entry, 'distribution'],
        message: `${distribution.kind} draws fractions, which ${name} rejects (${problem}); use int-uniform or values`,
      });
    }
  }
  return issues;
}

/**
 * What the trainer says of parameter `name` at `value`. A field of a loss weighting
 * (`lossWeighting.temperature`) is checked beside each kind the sweep gives `lossWeighting.kind`:
 * it is a problem only if no kind takes it.
 */
function problemInContext(
  name: string,
  value: JsonValue,
  values: readonly ParameterValue[],
  imageSize: number,
): string | undefined {
  if (!name.startsWith('lossWeighting.') || name === WEIGHTING_KIND) {
    return trainerProblem({ [name]: value }, imageSize);
  }
  const kinds = values.filter((v) => v.parameter.name === WEIGHTING_KIND).map((v) => v.value);
  const problems = (kinds.length > 0 ? kinds : [undefined]).map((kind) =>
    trainerProblem({ ...(kind === undefined ? {} : { [WEIGHTING_KIND]: kind }), [name]: value }, imageSize),
  );
  return problems.includes(undefined) ? undefined : problems[0];
}

/**
 * What the trainer would say of a config holding `point` (and a valid arch), or undefined if fine.
 * The message names the field inside a parameter's value when the fault is deeper than the parameter
 * (`kind: unknown kind; …` for a `lossWeighting` value).
 */
export function trainerProblem(point: ParameterPoint, imageSize: number): string | undefined {
  try {
    parseTrialConfig({ ...configOf(point), arch: ARCHITECTURE_NAMES[0] }, { imageSize, seed: 0 });
    return undefined;
  } catch (error) {
    if (!(error instanceof TrialConfigError)) throw error;
    const prefix = `${error.field}: `;
    const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
    const names = Object.keys(point);
    const owner = names.find((name) => error.field.startsWith(`${name}.`));
    return owner === undefined ? message : `${error.field.slice(owner.length + 1)}: ${message}`;
  }
}

/** The most epochs any trial of the space trains (the trainer's default when `epochs` is not set). */
export function maxEpochs(space: ParameterSpace): number {
  const epochs = space.find((parameter) => parameter.name === 'epochs')?.distribution;
  if (epochs === undefined) return trainConfigSchema.parse({}).epochs;
  const candidates =
    epochs.kind === 'constant'
      ? [epochs.value]
      : epochs.kind === 'choice'
        ? epochs.values
        : 'max' in epochs
          ? [epochs.max]
          : [];
  return Math.max(...candidates.filter((value): value is number => typeof value === 'number'));
}

/** The candidate within two edits of `name` (a likely typo), if there is one. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(substitution, (previous[j] as number) + 1, (current[j - 1] as number) + 1);
    }
    previous = current;
  }
  return previous[b.length] as number;
}
