/** Shape classes, in label order (label = index). */
export const SHAPES = ['circle', 'rectangle', 'triangle'] as const;
export type ShapeName = (typeof SHAPES)[number];

/** Colour classes, in label order, with their RGB fill. */
export const COLOURS = ['red', 'green', 'blue', 'yellow', 'pink', 'cyan'] as const;
export type ColourName = (typeof COLOURS)[number];
export const COLOUR_RGB: Readonly<Record<ColourName, readonly [number, number, number]>> = {
  red: [255, 0, 0],
  green: [0, 255, 0],
  blue: [0, 0, 255],
  yellow: [255, 255, 0],
  pink: [255, 0, 255],
  cyan: [0, 255, 255],
};

export const SPLITS = ['train', 'val', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];
