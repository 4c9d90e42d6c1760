import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileWhole } from '@repo/dataset';
import * as tf from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import { SavedModelError } from './errors.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/**
 * Saves the model in TF.js layers format (`model.json` + `weights.bin`) into `dir` through our own
 * node:fs handler, so it works on every backend (tfjs-node's `file://` needs the native one). Weights
 * are written first and `model.json` last, each atomically: a reader never sees a half-saved model.
 */
export async function saveModel(model: LayersModel, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = tf.io.concatenateArrayBuffers(artifacts.weightData ?? []);
      await writeFileWhole(join(dir, WEIGHTS_BIN), Buffer.from(weights));
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers`,
        convertedBy: null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      await writeFileWhole(join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

/** Loads a model that `saveModel` (or any TF.js layers-format writer with local paths) wrote to `dir`. */
export async function loadModel(dir: string): Promise<LayersModel> {
  const jsonFile = join(dir, MODEL_JSON);
  const modelJson = parseModelJson(jsonFile, await readOrFail(jsonFile));
  const artifacts = await tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
    const specs = manifest.flatMap((group) => group.weights);
    const buffers: ArrayBuffer[] = [];
    for (const path of manifest.flatMap((group) => group.paths)) {
      const bytes = await readOrFail(join(dir, path));
      buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer);
    }
    return [specs, tf.io.concatenateArrayBuffers(buffers)];
  });
  const expected = (artifacts.weightSpecs ?? []).reduce(
    (sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1) * 4,
    0,
  );
  const actual = (artifacts.weightData as ArrayBuffer | undefined)?.byteLength ?? 0;
  if (actual !== expected) {
    throw new SavedModelError(
      join(dir, WEIGHTS_BIN),
      `holds ${actual} bytes, model.json expects ${expected}`,
    );
  }
  try {
    return await loadLayersModel({ load: async () => artifacts });
  } catch (error) {
    throw new SavedModelError(jsonFile, `cannot build the model: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

async function readOrFail(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SavedModelError(file, code === 'ENOENT' ? 'missing' : `cannot read (${code})`, {
      cause: error,
    });
  }
}

function parseModelJson(file: string, bytes: Buffer): tf.io.ModelJSON {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new SavedModelError(file, 'is not valid JSON', { cause: error });
  }
  const candidate = json as Partial<tf.io.ModelJSON> | null;
  if (typeof candidate?.modelTopology !== 'object' || !Array.isArray(candidate.weightsManifest)) {
    throw new SavedModelError(file, 'is not a TF.js layers model (modelTopology or weightsManifest missing)');
  }
  return candidate as tf.io.ModelJSON;
}
