import { evaluateHeads } from '../evaluate-heads.js';

export const SHAPE_LABELS = ['circle', 'rectangle', 'triangle'];
export const COLOUR_LABELS = ['red', 'green', 'blue', 'yellow', 'pink', 'cyan'];

export interface FixtureOptions {
  runId?: string;
  config?: Record<string, unknown>;
  /** Every test sample's position is off by this many pixels on both axes (MAE = errorPx). */
  errorPx?: number;
  /** Predicted shape class per sample; default correct (`[0, 1, 2, 0]`). */
  shapePred?: number[];
  status?: string;
}

/** A valid run record (JSON as a file would hold it) with a real Evaluation of four test samples. */
export function runRecordJson(options: FixtureOptions = {}): Record<string, unknown> {
  const errorPx = options.errorPx ?? 2;
  const truth = [10, 20, 30, 40, 50, 60, 70, 80];
  const test = evaluateHeads({
    imageSize: 128,
    position: { true: truth, pred: truth.map((value) => value + errorPx) },
    shape: { true: [0, 1, 2, 0], pred: options.shapePred ?? [0, 1, 2, 0], labels: SHAPE_LABELS },
    colour: { true: [0, 1, 2, 3], pred: [0, 1, 2, 3], labels: COLOUR_LABELS },
  });
  const base = {
    format: 'mtl-run-record',
    version: 1,
    runId: options.runId ?? 'run-1',
    config: options.config ?? { arch: 'mtl-seed', learningRate: 0.001, seed: 1 },
    dataset: { id: 'a'.repeat(64), sha256: 'b'.repeat(64) },
    backend: 'wasm',
    packages: { '@tensorflow/tfjs-core': '4.22.0' },
    startedAt: '2025-01-01T10:00:00.000Z',
    history: [
      { epoch: 1, train: { loss: 1.2 }, val: { loss: 1.1 } },
      { epoch: 2, train: { loss: 0.8 }, val: { loss: 0.9 } },
    ],
  };
  const endedAt = '2025-01-01T10:01:30.000Z';
  switch (options.status ?? 'completed') {
    case 'failed':
      return { ...base, status: 'failed', endedAt, error: 'out of memory' };
    case 'running':
      return { ...base, status: 'running' };
    case 'stopped-early-by-scheduler':
      return { ...base, status: 'stopped-early-by-scheduler', endedAt, reason: 'pruned at epoch 2' };
    default:
      return { ...base, status: 'completed', endedAt, test, modelPath: `models/${options.runId ?? 'run-1'}` };
  }
}
