import { readFile } from 'node:fs/promises';
import { writeFileWhole } from '@repo/dataset';
import * as tf from '@tensorflow/tfjs-core';
import type { EarlyStoppingState } from './early-stopping.js';
import { CheckpointError } from './errors.js';
import type { HistoryEntry } from './history.js';
import type { LossWeighterState } from './loss-weighting.js';

/** A tensor with a name, as optimizers list their slots. */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

const MAGIC = 'MTLCKPT1';
const VERSION = 1;

/** The JSON part of a checkpoint: everything but tensors. */
export interface CheckpointState {
  /** Identifies the run (config + model + data sizes); a checkpoint of another run is refused. */
  fingerprint: string;
  /** Epochs completed. The next epoch's shuffle and dropout seeds derive from (seed, epoch). */
  epoch: number;
  /** Early stopping fired or the last epoch ran: resuming only restores the result. */
  finished: boolean;
  earlyStopping: EarlyStoppingState;
  history: HistoryEntry[];
  /** Who wrote it (a trainer names its sandbox, `host/pid`): shows which of two workers a checkpoint came from. */
  writer?: string;
  /** The loss weighting's learned values (their Adam slots are among the optimizer's). */
  lossWeighting?: LossWeighterState;
}

/**
 * All a run needs to continue after its last completed epoch: model weights (trainable and batch-norm
 * statistics, in `model.getWeights()` order), the best epoch's weights, and the optimizer's slots.
 */
export interface TrainCheckpoint {
  state: CheckpointState;
  weights: tf.Tensor[];
  bestWeights: tf.Tensor[];
  optimizer: NamedTensor[];
}

interface Header {
  version: number;
  state: CheckpointState;
  counts: { weights: number; bestWeights: number; optimizer: number };
  optimizerNames: string[];
  specs: tf.io.WeightsManifestEntry[];
}

/**
 * Writes the checkpoint as one file (magic, header length, JSON header, weight bytes), atomically:
 * a kill during the write leaves the previous epoch's checkpoint.
 */
export async function writeCheckpoint(file: string, checkpoint: TrainCheckpoint): Promise<void> {
  const named: NamedTensor[] = [
    ...checkpoint.weights.map((tensor, i) => ({ name: `weights/${i}`, tensor })),
    ...checkpoint.bestWeights.map((tensor, i) => ({ name: `best/${i}`, tensor })),
    ...checkpoint.optimizer.map(({ tensor }, i) => ({ name: `optimizer/${i}`, tensor })),
  ];
  const { data, specs } = await tf.io.encodeWeights(named);
  const header: Header = {
    version: VERSION,
    state: checkpoint.state,
    counts: {
      weights: checkpoint.weights.length,
      bestWeights: checkpoint.bestWeights.length,
      optimizer: checkpoint.optimizer.length,
    },
    optimizerNames: checkpoint.optimizer.map(({ name }) => name),
    specs,
  };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(MAGIC.length + 4);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(json.length, MAGIC.length);
  await writeFileWhole(file, Buffer.concat([prefix, json, new Uint8Array(data)]));
}

/** Reads a checkpoint; `undefined` if there is no file. The caller owns (disposes) the tensors. */
export async function readCheckpoint(file: string): Promise<TrainCheckpoint | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CheckpointError(file, `cannot read: ${(error as Error).message}`, { cause: error });
  }
  const header = parseHeader(file, bytes);
  const start = MAGIC.length + 4 + bytes.readUInt32LE(MAGIC.length);
  const data = bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + bytes.length) as ArrayBuffer;
  let tensors: tf.NamedTensorMap;
  try {
    tensors = tf.io.decodeWeights(data, header.specs);
  } catch (error) {
    throw new CheckpointError(file, `weights are damaged: ${(error as Error).message}`, { cause: error });
  }
  const group = (prefix: string, count: number) =>
    Array.from({ length: count }, (_, i) => {
      const tensor = tensors[`${prefix}/${i}`];
      if (tensor === undefined) throw new CheckpointError(file, `missing tensor ${prefix}/${i}`);
      return tensor;
    });
  return {
    state: header.state,
    weights: group('weights', header.counts.weights),
    bestWeights: group('best', header.counts.bestWeights),
    optimizer: group('optimizer', header.counts.optimizer).map((tensor, i) => ({
      name: header.optimizerNames[i] ?? `optimizer/${i}`,
      tensor,
    })),
  };
}

function parseHeader(file: string, bytes: Buffer): Header {
  if (bytes.length < MAGIC.length + 4 || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw new CheckpointError(file, 'not a training checkpoint (bad magic)');
  }
  const length = bytes.readUInt32LE(MAGIC.length);
  if (MAGIC.length + 4 + length > bytes.length) throw new CheckpointError(file, 'truncated header');
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + length)) as Header;
  } catch (error) {
    throw new CheckpointError(file, 'header is not valid JSON', { cause: error });
  }
  if (header.version !== VERSION) {
    throw new CheckpointError(file, `checkpoint version ${header.version}, expected ${VERSION}`);
  }
  const expected = header.specs.reduce((sum, spec) => sum + byteSize(spec), 0);
  if (bytes.length - (MAGIC.length + 4 + length) !== expected) {
    throw new CheckpointError(file, `weights are truncated (expected ${expected} bytes)`);
  }
  return header;
}

function byteSize(spec: tf.io.WeightsManifestEntry): number {
  const elements = spec.shape.reduce((a, b) => a * b, 1);
  return elements * (spec.dtype === 'bool' ? 1 : 4);
}
