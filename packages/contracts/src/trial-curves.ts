import type { Redis } from 'ioredis';
import { idSchema } from './ids.js';
import { DEFAULT_QUEUE_PREFIX, sweepKey } from './sweep-registry.js';

/** Metrics of one epoch by name (e.g. `loss`, `shape_acc`). */
export type EpochMetrics = Record<string, number>;

/** One training epoch of a trial: its train and validation metrics (@repo/model's HistoryEntry). */
export interface EpochRecord {
  epoch: number;
  train: EpochMetrics;
  val: EpochMetrics;
  /** Each head's loss weight at the end of the epoch. */
  lossWeights?: EpochMetrics;
  /** Cosine similarity of each pair of heads' gradients on the shared backbone after the epoch. */
  taskConflict?: EpochMetrics;
}

/**
 * The training curves of a sweep's trials, in one Redis hash per sweep (`<prefix>:sweep:<id>:curves`,
 * field `<trialId>.<epoch>`, value the epoch's train and val metrics as JSON). Trainers record each
 * training epoch; schedulers and status readers read every trial's curve in one call; a trial the
 * scheduler stops takes its history from here (resumed epochs included). One field per epoch makes
 * recording idempotent: a resumed or retried trial rewrites its epochs.
 */
export class TrialCurves {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string = DEFAULT_QUEUE_PREFIX,
  ) {}

  /** Records a trial's epoch (1-based `entry.epoch`). */
  async record(sweepId: string, trialId: string, entry: EpochRecord): Promise<void> {
    const { epoch, train, val, lossWeights, taskConflict } = entry;
    await this.redis.hset(
      this.key(sweepId),
      `${idSchema.parse(trialId)}.${epoch}`,
      JSON.stringify({
        epoch,
        train,
        val,
        ...(lossWeights ? { lossWeights } : {}),
        ...(taskConflict ? { taskConflict } : {}),
      }),
    );
  }

  /**
   * Every trial's curve: trial id → epochs 1, 2, …, cut at the first missing epoch (a curve is only
   * used as a prefix without gaps).
   */
  async all(sweepId: string): Promise<Map<string, EpochRecord[]>> {
    const fields = await this.redis.hgetall(this.key(sweepId));
    const byTrial = new Map<string, Map<number, EpochRecord>>();
    for (const [field, value] of Object.entries(fields)) {
      const dot = field.lastIndexOf('.');
      const trialId = field.slice(0, dot);
      const epochs = byTrial.get(trialId) ?? new Map<number, EpochRecord>();
      epochs.set(Number(field.slice(dot + 1)), JSON.parse(value) as EpochRecord);
      byTrial.set(trialId, epochs);
    }
    const curves = new Map<string, EpochRecord[]>();
    for (const [trialId, epochs] of byTrial) {
      const curve: EpochRecord[] = [];
      for (let epoch = 1; epochs.has(epoch); epoch++) curve.push(epochs.get(epoch) as EpochRecord);
      curves.set(trialId, curve);
    }
    return curves;
  }

  private key(sweepId: string): string {
    return sweepKey(this.prefix, sweepId, 'curves');
  }
}
