import type { Redis } from 'ioredis';
import { idSchema } from './ids.js';
import { DEFAULT_QUEUE_PREFIX } from './sweep-registry.js';

/** Validation metrics of one epoch, by name without the `val_` prefix (e.g. `loss`, `shape_acc`). */
export type EpochMetrics = Record<string, number>;

/**
 * The validation curves of a sweep's trials, in one Redis hash per sweep
 * (`<prefix>:sweep:<id>:curves`, field `<trialId>.<epoch>`, value the epoch's val metrics as JSON).
 * Trainers record each training epoch; schedulers and status readers read every trial's curve in one
 * call. One field per epoch makes recording idempotent: a resumed or retried trial rewrites its epochs.
 */
export class TrialCurves {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string = DEFAULT_QUEUE_PREFIX,
  ) {}

  /** Records a trial's validation metrics after `epoch` (1-based). */
  async record(sweepId: string, trialId: string, epoch: number, val: EpochMetrics): Promise<void> {
    await this.redis.hset(this.key(sweepId), `${idSchema.parse(trialId)}.${epoch}`, JSON.stringify(val));
  }

  /**
   * Every trial's curve: trial id → val metrics of epochs 1, 2, …, cut at the first missing epoch
   * (a curve is only used as a prefix without gaps).
   */
  async all(sweepId: string): Promise<Map<string, EpochMetrics[]>> {
    const fields = await this.redis.hgetall(this.key(sweepId));
    const byTrial = new Map<string, Map<number, EpochMetrics>>();
    for (const [field, value] of Object.entries(fields)) {
      const dot = field.lastIndexOf('.');
      const trialId = field.slice(0, dot);
      const epochs = byTrial.get(trialId) ?? new Map<number, EpochMetrics>();
      epochs.set(Number(field.slice(dot + 1)), JSON.parse(value) as EpochMetrics);
      byTrial.set(trialId, epochs);
    }
    const curves = new Map<string, EpochMetrics[]>();
    for (const [trialId, epochs] of byTrial) {
      const curve: EpochMetrics[] = [];
      for (let epoch = 1; epochs.has(epoch); epoch++) curve.push(epochs.get(epoch) as EpochMetrics);
      curves.set(trialId, curve);
    }
    return curves;
  }

  private key(sweepId: string): string {
    return `${this.prefix}:sweep:${idSchema.parse(sweepId)}:curves`;
  }
}
