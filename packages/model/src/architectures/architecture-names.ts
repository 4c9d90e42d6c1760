/** The study's architectures, by name (TF-free: `ARCHITECTURES` maps each to its builder). */
export const ARCHITECTURE_NAMES = ['mtl-seed', 'branches-seed'] as const;

export type ArchitectureName = (typeof ARCHITECTURE_NAMES)[number];

export function isArchitectureName(name: string): name is ArchitectureName {
  return (ARCHITECTURE_NAMES as readonly string[]).includes(name);
}
