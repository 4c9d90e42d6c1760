/** The study's architectures, by name (TF-free: `ARCHITECTURES` maps each to its builder). */
export const ARCHITECTURE_NAMES = ['mtl-seed', 'branches-seed'] as const;

export type ArchitectureName = (typeof ARCHITECTURE_NAMES)[number];

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
