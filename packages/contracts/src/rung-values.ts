import type { Redis } from 'ioredis';
import { idSchema } from './ids.js';
import { DEFAULT_QUEUE_PREFIX, sweepKey } from './sweep-registry.js';

/**
 * Each trial's best value of the sweep scheduler's metric up to each training epoch: one Redis hash
 * per sweep and epoch (`<prefix>:sweep:<id>:best:<epoch>`, field: trial id). It is what ASHA and
 * median stopping compare at an epoch, so a trainer decides after epoch e from one read of epoch e's
 * hash (a value per trial, as Optuna's successive halving keeps a rung value per trial) instead of
 * every trial's whole curve. The trainer running a trial writes its values; a resumed trial writes
 * them again, to the same fields.
 */
export class RungValues {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string = DEFAULT_QUEUE_PREFIX,
  ) {}

  /**
   * Records the trial's value at `epoch` and returns its best up to that epoch (`better(a, b)`: a
   * beats b), which is what is stored: the previous epoch's best is read back, so a trial resumed in
   * another process goes on from it.
   */
  async record(
    sweepId: string,
    trialId: string,
    epoch: number,
    value: number,
    better: (a: number, b: number) => boolean,
  ): Promise<number> {
    const field = idSchema.parse(trialId);
    const previous = epoch > 1 ? await this.redis.hget(this.key(sweepId, epoch - 1), field) : null;
    const before = previous === null ? Number.NaN : Number(previous);
    const best = Number.isNaN(before) || better(value, before) ? value : before;
    await this.redis.hset(this.key(sweepId, epoch), field, String(best));
    return best;
  }

  /** Every trial's best value up to `epoch`, of the trials that have reached it. */
  async at(sweepId: string, epoch: number): Promise<Map<string, number>> {
    const fields = await this.redis.hgetall(this.key(sweepId, epoch));
    return new Map(Object.entries(fields).map(([trialId, value]) => [trialId, Number(value)]));
  }

  private key(sweepId: string, epoch: number): string {
    return sweepKey(this.prefix, sweepId, `best:${epoch}`);
  }
}
