import type { HeadName } from '@repo/model/config';
import type { SeededValue } from './compare-samples.js';

/** One configuration's completed runs: their seeds and flat metrics. */
export interface StudyGroup {
  key: string;
  config: Record<string, unknown>;
  runs: readonly {
    seed?: number;
    metrics: Record<string, number>;
    /**
     * Each head's lowest validation loss over the run's epochs: what chooses between configurations
     * where the test split must not (the "Does sharing help?" comparison).
     */
    validation?: Partial<Record<HeadName, number>>;
    /** Per pair of heads (`position-shape`, …), the cosine of their gradients after each epoch. */
    taskConflict?: Record<string, number[]>;
  }[];
}

/** A group's values of a metric with their seeds (runs lacking the metric left out). */
export function seededValues(group: StudyGroup, metric: string): SeededValue[] {
  return group.runs.flatMap((run) => {
    const value = run.metrics[metric];
    if (value === undefined) return [];
    return [run.seed === undefined ? { value } : { seed: run.seed, value }];
  });
}
