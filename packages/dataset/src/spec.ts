/**
 * `@repo/dataset/spec`: the dataset spec, its id and the label names, without the generator, the
 * readers or PNG (what planning and status readers need; it keeps `mtl status` from loading pngjs).
 */
export {
  type DatasetSpec,
  type DatasetSpecInput,
  datasetId,
  datasetSpecSchema,
  GENERATOR_VERSION,
  shardCount,
  splitCount,
} from './dataset-spec.js';
export { COLOURS, type ColourName, SHAPES, type ShapeName, SPLITS, type SplitName } from './labels.js';
export { MANIFEST_FILE } from './manifest.js';
