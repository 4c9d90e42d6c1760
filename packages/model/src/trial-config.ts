import type { z } from 'zod';
import {
  ARCHITECTURE_NAMES,
  type ArchitectureName,
  isArchitectureName,
} from './architectures/architecture-names.js';
import { type ArchitectureOptions, architectureOptionsSchema } from './architectures/architecture-options.js';
import { TrialConfigError } from './errors.js';
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
 * Maps a flat trial config (`{ arch, widthMultiplier?, dropout?, learningRate?, batchSize?, epochs?,
 * earlyStopping?, lossWeights?, fineTune?, seed? }`) onto `ArchitectureOptions` and `TrainConfig`.
 * `seed` (argument, else the config's key, else 0) seeds initialisation, shuffling and dropout alike.
 * An unknown key or a bad value fails with a TrialConfigError naming the field.
 */
export function parseTrialConfig(
  config: Readonly<Record<string, unknown>>,
  context: { imageSize: number; seed?: number },
): TrialSetup {
  const { arch, ...rest } = config;
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
  if (context.seed !== undefined) trainInput.seed = context.seed;
  const train = parseWith(trainConfigSchema, trainInput);
  const architecture = parseWith(architectureOptionsSchema, {
    ...architectureInput,
    imageSize: context.imageSize,
    seed: train.seed,
  });
  return { arch, architecture, train };
}

function parseWith<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : (issue?.path.join('.') ?? '');
  throw new TrialConfigError(field, issue?.message ?? 'invalid');
}
