import type { z } from 'zod';
import {
  headsOf,
  isModelName,
  isSingleTaskArchitectureName,
  MODEL_NAMES,
  type ModelName,
  SHARES_LAYERS,
} from './architectures/architecture-names.js';
import { type ArchitectureOptions, architectureOptionsSchema } from './architectures/architecture-options.js';
import { TrialConfigError } from './errors.js';
import { LOSS_WEIGHTING_KINDS, type LossWeightingKind } from './loss-weighting-config.js';
import { type TrainConfig, trainConfigSchema } from './train-config.js';

/** A trial's flat hyperparameters split onto the model package's schemas, validated. */
export interface TrialSetup {
  /** A multi-task architecture or a single-task baseline (`stl-*`, trained and scored on its one head). */
  arch: ModelName;
  /** `imageSize` comes from the dataset, `seed` from the trial. */
  architecture: ArchitectureOptions;
  train: TrainConfig;
}

/** Keys of a flat trial config that size the architecture; `arch` names it; every other key is training's. */
const ARCHITECTURE_KEYS = ['widthMultiplier', 'dropout'] as const;

/**
 * The shorthand of static weighting, as sweeps wrote it before `lossWeighting` had kinds:
 * `lossWeights: { position: 2 }` is `lossWeighting: { kind: static, weights: { position: 2 } }`.
 */
export const LOSS_WEIGHTS_SHORTHAND = 'lossWeights';

/**
 * Maps a flat trial config (`{ arch, widthMultiplier?, dropout?, learningRate?, batchSize?, epochs?,
 * earlyStopping?, lossWeighting? | lossWeights?, fineTune?, seed? }`) onto `ArchitectureOptions` and
 * `TrainConfig` (`lossWeights` is the shorthand of static weighting).
 * `seed` (argument, else the config's key, else 0) seeds initialisation, shuffling and dropout alike.
 * An unknown key or a bad value fails with a TrialConfigError naming the field.
 */
export function parseTrialConfig(
  config: Readonly<Record<string, unknown>>,
  context: { imageSize: number; seed?: number },
): TrialSetup {
  const { arch, ...rest } = config;
  if (typeof arch !== 'string' || !isModelName(arch)) {
    throw new TrialConfigError(
      'arch',
      `must be one of ${MODEL_NAMES.join(', ')}, got ${JSON.stringify(arch)}`,
    );
  }
  const architectureInput: Record<string, unknown> = {};
  const trainInput: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    if ((ARCHITECTURE_KEYS as readonly string[]).includes(key)) architectureInput[key] = value;
    else trainInput[key] = value;
  }
  const shorthand = LOSS_WEIGHTS_SHORTHAND in trainInput;
  if (shorthand) {
    if ('lossWeighting' in trainInput) {
      throw new TrialConfigError(
        LOSS_WEIGHTS_SHORTHAND,
        'give lossWeighting or its shorthand lossWeights, not both',
      );
    }
    trainInput.lossWeighting = { kind: 'static', weights: trainInput[LOSS_WEIGHTS_SHORTHAND] };
    delete trainInput[LOSS_WEIGHTS_SHORTHAND];
  }
  if (context.seed !== undefined) trainInput.seed = context.seed;
  // A fault in the shorthand is named as written: `lossWeights.position`, not `lossWeighting.weights.position`.
  const train = parseWith(
    trainConfigSchema,
    trainInput,
    shorthand ? ['lossWeighting.weights', 'lossWeights'] : undefined,
  );
  const unfit = weightingProblem(arch, train.lossWeighting.kind);
  if (unfit !== undefined) {
    throw new TrialConfigError(shorthand ? LOSS_WEIGHTS_SHORTHAND : 'lossWeighting.kind', unfit);
  }
  // What `train` and `fineTune` would refuse of a one-head model, refused here, before a worker takes it.
  if (isSingleTaskArchitectureName(arch)) {
    const [head] = headsOf(arch);
    if (
      train.lossWeighting.kind === 'static' &&
      head !== undefined &&
      train.lossWeighting.weights[head] === 0
    ) {
      throw new TrialConfigError(
        `${shorthand ? LOSS_WEIGHTS_SHORTHAND : 'lossWeighting.weights'}.${head}`,
        zeroWeightProblem(arch),
      );
    }
    if (train.fineTune !== undefined) throw new TrialConfigError('fineTune', fineTuneProblem(arch));
  }
  const architecture = parseWith(architectureOptionsSchema, {
    ...architectureInput,
    imageSize: context.imageSize,
    seed: train.seed,
  });
  return { arch, architecture, train };
}

/** Why a single-task baseline's one head cannot have the static weight 0. */
export function zeroWeightProblem(arch: ModelName): string {
  return `${arch} trains only ${headsOf(arch).join(', ')}, whose weight is 0: nothing would be learned`;
}

/** Why a single-task baseline cannot be fine-tuned (it retrains the position head of a three-head model). */
export function fineTuneProblem(arch: ModelName): string {
  return `${arch} has only ${headsOf(arch).join(', ')}: fine-tuning retrains the position head of a three-head model; leave fineTune out`;
}

/** Why `arch` cannot train with a weighting of this kind, or undefined if it can. */
export function weightingProblem(arch: ModelName, kind: LossWeightingKind): string | undefined {
  if (isSingleTaskArchitectureName(arch) && kind !== 'static') {
    // Learned and dynamic weightings balance heads against each other; one head has nothing to balance.
    return `${kind} balances the heads' losses against each other, and ${arch} has only ${headsOf(arch).join(', ')}; allowed with ${arch}: static`;
  }
  if (kind !== 'gradnorm' || SHARES_LAYERS[arch]) return undefined;
  const allowed = LOSS_WEIGHTING_KINDS.filter((k) => k !== 'gradnorm').join(', ');
  return `gradnorm balances gradients on a layer every head shares, and ${arch} shares none; allowed with ${arch}: ${allowed}`;
}

function parseWith<T extends z.ZodType>(
  schema: T,
  input: unknown,
  rename?: readonly [from: string, to: string],
): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  const keys =
    issue?.code === 'unrecognized_keys' ? issue.keys.map((key) => (path ? `${path}.${key}` : key)) : [path];
  const field = keys
    .map((key) =>
      rename && (key === rename[0] || key.startsWith(`${rename[0]}.`))
        ? rename[1] + key.slice(rename[0].length)
        : key,
    )
    .join(', ');
  throw new TrialConfigError(field, issue?.message ?? 'invalid');
}
