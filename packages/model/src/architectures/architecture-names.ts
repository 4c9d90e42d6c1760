import type { HeadName } from '../heads.js';

/** The study's trainable architectures, by name (TF-free: `ARCHITECTURES` maps each to its builder). */
export const ARCHITECTURE_NAMES = ['mtl-seed', 'branches-seed'] as const;

export type ArchitectureName = (typeof ARCHITECTURE_NAMES)[number];

/**
 * The single-task baselines: `mtl-seed`'s backbone with only the named head. They build and `train`
 * trains them on that head's loss, but the trial runner, metrics and reports still assume three
 * heads, so `parseTrialConfig` refuses them as a trial's `arch` rather than fail inside a worker.
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

/** Every architecture `buildModel` builds. */
export type ModelName = ArchitectureName | SingleTaskArchitectureName;

/**
 * Whether the architecture's heads share layers (hard parameter sharing). GradNorm balances the heads'
 * gradients on the last shared layer, so it needs one.
 */
export const SHARES_LAYERS: Readonly<Record<ArchitectureName, boolean>> = {
  'mtl-seed': true,
  'branches-seed': false,
};

export function isArchitectureName(name: string): name is ArchitectureName {
  return (ARCHITECTURE_NAMES as readonly string[]).includes(name);
}

export function isSingleTaskArchitectureName(name: string): name is SingleTaskArchitectureName {
  return Object.hasOwn(SINGLE_TASK_ARCHITECTURES, name);
}
