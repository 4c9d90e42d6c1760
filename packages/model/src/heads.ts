/** The network's heads, in the model's output order and the order of every per-head vector. */
export const HEAD_NAMES = ['position', 'shape', 'colour'] as const;

export type HeadName = (typeof HEAD_NAMES)[number];
