import type { z } from 'zod';
import {
  ARCHITECTURE_NAMES,
  type ArchitectureName,
  isArchitectureName,
  isSingleTaskArchitectureName,
  SHARES_LAYERS,
} from './architectures/architecture-names.js';
import { type ArchitectureOptions, architectureOptionsSchema } from './architectures/architecture-options.js';
import { TrialConfigError } from './errors.js';
import { LOSS_WEIGHTING_KINDS, type LossWeightingKind } from './loss-weighting-config.js';
import { type TrainConfig, trainConfigSchema } from './train-config.js';

/** A trial's flat hyperparameters split onto the model package's schemas, validated. */
export interface TrialSetup {
  arch: ArchitectureName;
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
  if (typeof arch === 'string' && isSingleTaskArchitectureName(arch)) {
    throw new TrialConfigError('arch', singleTaskRefusal(arch));
  }
  if (typeof arch !== 'string' || !isArchitectureName(arch)) {
    throw new TrialConfigError(
      'arch',
      `must be one of ${ARCHITECTURE_NAMES.join(', ')}, got ${JSON.stringify(arch)}`,
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
  const architecture = parseWith(architectureOptionsSchema, {
    ...architectureInput,
    imageSize: context.imageSize,
    seed: train.seed,
  });
  return { arch, architecture, train };
}

/** Why a single-task baseline (`stl-*`) is refused as a trial's architecture, for now. */
export function singleTaskRefusal(arch: string): string {
  return `${arch} is a single-task baseline that builds but does not train yet as a trial (the trial runner, metrics and reports assume three heads); trainable: ${ARCHITECTURE_NAMES.join(', ')}`;
}

/** Why `arch` cannot train with a weighting of this kind, or undefined if it can. */
export function weightingProblem(arch: ArchitectureName, kind: LossWeightingKind): string | undefined {
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
