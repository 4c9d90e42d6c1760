import { HEAD_NAMES, type HeadName } from '../heads.js';

/** The study's multi-task architectures, by name (TF-free: `ARCHITECTURES` maps each to its builder). */
export const ARCHITECTURE_NAMES = ['mtl-seed', 'branches-seed'] as const;

export type ArchitectureName = (typeof ARCHITECTURE_NAMES)[number];

/**
 * The single-task baselines: `mtl-seed`'s backbone with only the named head, trained on that head's
 * loss; a trial of one records, scores and reports only that head.
 */
export const SINGLE_TASK_ARCHITECTURES = {
  'stl-position': 'position',
  'stl-shape': 'shape',
  'stl-colour': 'colour',
} as const satisfies Record<string, HeadName>;

export type SingleTaskArchitectureName = keyof typeof SINGLE_TASK_ARCHITECTURES;

export const SINGLE_TASK_ARCHITECTURE_NAMES = Object.keys(
  SINGLE_TASK_ARCHITECTURES,
) as SingleTaskArchitectureName[];

/** Every architecture `buildModel` builds, and a trial's `arch` may name. */
export type ModelName = ArchitectureName | SingleTaskArchitectureName;

/** Every architecture a trial may name: the multi-task ones, then the single-task baselines. */
export const MODEL_NAMES: readonly ModelName[] = [...ARCHITECTURE_NAMES, ...SINGLE_TASK_ARCHITECTURE_NAMES];

/**
 * Whether the architecture's heads share layers (hard parameter sharing). GradNorm balances the heads'
 * gradients on the last shared layer, so it needs one. A single-task baseline has one head: nothing
 * is shared between heads.
 */
export const SHARES_LAYERS: Readonly<Record<ModelName, boolean>> = {
  'mtl-seed': true,
  'branches-seed': false,
  'stl-position': false,
  'stl-shape': false,
  'stl-colour': false,
};

/** The heads of a model, in `HEAD_NAMES` order: all three, or a single-task baseline's one. */
export function headsOf(name: ModelName): readonly HeadName[] {
  return isSingleTaskArchitectureName(name) ? [SINGLE_TASK_ARCHITECTURES[name]] : HEAD_NAMES;
}

export function isArchitectureName(name: string): name is ArchitectureName {
  return (ARCHITECTURE_NAMES as readonly string[]).includes(name);
}

export function isModelName(name: string): name is ModelName {
  return isArchitectureName(name) || isSingleTaskArchitectureName(name);
}

export function isSingleTaskArchitectureName(name: string): name is SingleTaskArchitectureName {
  return Object.hasOwn(SINGLE_TASK_ARCHITECTURES, name);
}
