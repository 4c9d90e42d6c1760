export { type BatchOptions, batches, batchFrom } from './batches.js';
export { type Dataset, openDataset } from './dataset-reader.js';
export {
  type DatasetCheck,
  type DatasetRepair,
  removeStaleTemporaries,
  repairDataset,
  type ShardProblem,
  verifyDataset,
} from './dataset-repair.js';
export {
  type DatasetSpec,
  type DatasetSpecInput,
  datasetId,
  datasetSpecSchema,
  GENERATOR_VERSION,
  shardCount,
  splitCount,
} from './dataset-spec.js';
export { DatasetFileError, ManifestError, ShardCorruptedError, ShardMissingError } from './errors.js';
export { generateSplit } from './generate-split.js';
export {
  COLOUR_RGB,
  COLOURS,
  type ColourName,
  SHAPES,
  type ShapeName,
  SPLITS,
  type SplitName,
} from './labels.js';
export { type DatasetManifest, MANIFEST_FILE, type ShardRecord } from './manifest.js';
export { type PreviewOptions, renderPreview } from './preview-grid.js';
export { finalizeDataset, type WriteDatasetOptions, writeDataset, writeShard } from './shard-writer.js';
export type { Batch, SplitData } from './split-data.js';
export { FileWriteError, TEMPORARY_NAME, writeFileWhole } from './whole-file.js';
