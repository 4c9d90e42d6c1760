import type { TrialJob, TrialSummary } from '@repo/contracts';
import { COLOURS, SHAPES, type SplitData } from '@repo/dataset';
import { type HistoryEntry, predict } from '@repo/model';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** What a trained trial's model does on the test split. */
export interface TrialEvaluation {
  /** Headline metrics for the job summary: shape_acc, colour_acc, position_mae_px. */
  headline: Record<string, number>;
  /** Test-split confusion matrices, rows = true class, columns = predicted. */
  confusion: { labels: { shape: string[]; colour: string[] }; shape: number[][]; colour: number[][] };
  /** The trial's run record. */
  record(input: RunRecordInput): unknown;
}

export interface RunRecordInput {
  trial: TrialJob;
  params: number;
  backend: string;
  history: { train: HistoryEntry[]; fineTune?: HistoryEntry[] };
  summary: TrialSummary;
}

/** Predicts the test split and scores the three heads. */
export function evaluateTrial(model: LayersModel, test: SplitData): TrialEvaluation {
  const prediction = predict(model, test);
  const shape = confusion(test.shapes, prediction.shapes, SHAPES.length);
  const colour = confusion(test.colours, prediction.colours, COLOURS.length);
  let distance = 0;
  for (let i = 0; i < test.count * 2; i++)
    distance += Math.abs(test.positions[i]! - prediction.positions[i]!);
  const headline = {
    shape_acc: accuracy(shape),
    colour_acc: accuracy(colour),
    position_mae_px: test.count > 0 ? distance / (test.count * 2) : Number.NaN,
  };
  return {
    headline,
    confusion: { labels: { shape: [...SHAPES], colour: [...COLOURS] }, shape, colour },
    record: ({ trial, params, backend, history, summary }) => ({
      sweepId: trial.sweepId,
      trialId: trial.trialId,
      datasetId: trial.datasetId,
      config: trial.config,
      seed: trial.seed,
      params,
      backend,
      history: history.train,
      test: headline,
      durationMs: summary.durationMs,
    }),
  };
}

function confusion(truth: Uint8Array, predicted: Uint8Array, classes: number): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) matrix[truth[i]!]![predicted[i]!]!++;
  return matrix;
}

function accuracy(matrix: number[][]): number {
  const total = matrix.flat().reduce((a, b) => a + b, 0);
  const right = matrix.reduce((sum, row, i) => sum + row[i]!, 0);
  return total > 0 ? right / total : Number.NaN;
}
