import type { Redis } from 'ioredis';
import { idSchema } from './ids.js';
import { DEFAULT_QUEUE_PREFIX, sweepKey } from './sweep-registry.js';

/**
 * The bookkeeping of a TPE sweep in Redis: the objective of each trial that ended
 * (`<prefix>:sweep:<id>:results`, trial id → value) and which suggested configurations were claimed
 * (`<prefix>:sweep:<id>:tpe`, configuration index → trial that claimed it). Counting results and
 * claiming indexes are atomic, so two trainers finishing at once never suggest the same configuration.
 */
export class TpeProgress {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string = DEFAULT_QUEUE_PREFIX,
  ) {}

  /**
   * Records a trial's objective; returns how many trials have a result now. Recording the same trial
   * again (a retry) changes the value but not the count.
   */
  async recordResult(sweepId: string, trialId: string, value: number): Promise<number> {
    const replies = await this.redis
      .multi()
      .hset(this.key(sweepId, 'results'), idSchema.parse(trialId), String(value))
      .hlen(this.key(sweepId, 'results'))
      .exec();
    const count = replies?.[1]?.[1];
    if (typeof count !== 'number') throw new Error(`could not record the result of ${trialId}`);
    return count;
  }

  /** Every recorded result: trial id → objective value. */
  async results(sweepId: string): Promise<Map<string, number>> {
    const fields = await this.redis.hgetall(this.key(sweepId, 'results'));
    return new Map(Object.entries(fields).map(([trialId, value]) => [trialId, Number(value)]));
  }

  /** Claims configuration `index` for `by`; true for the first claim only. */
  async claim(sweepId: string, index: number, by: string): Promise<boolean> {
    return (await this.redis.hsetnx(this.key(sweepId, 'tpe'), String(index), by)) === 1;
  }

  private key(sweepId: string, kind: 'results' | 'tpe'): string {
    return sweepKey(this.prefix, sweepId, kind);
  }
}
