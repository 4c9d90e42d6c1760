export { COLOUR_RGB, COLOURS, type ColourName, SHAPES, type ShapeName, SPLITS, type SplitName } from './labels.js';
export type { Batch, SplitData } from './split-data.js';
