import type { Redis } from 'ioredis';
import { idSchema } from './ids.js';
import { DEFAULT_QUEUE_PREFIX, sweepKey } from './sweep-registry.js';

/**
 * What a TPE sweep decides on beyond its trials' records: which trials have ended
 * (`<prefix>:sweep:<id>:ended`, a set) and which suggested configurations were claimed
 * (`<prefix>:sweep:<id>:tpe`, configuration index → trial that claimed it). Counting ended trials and
 * claiming indexes are atomic, so two trainers finishing at once never suggest the same
 * configuration. The objective values themselves are in the records (TrialRecordStore).
 */
export class TpeProgress {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string = DEFAULT_QUEUE_PREFIX,
  ) {}

  /** Notes that a trial ended; returns how many have. Noting the same trial again (a retry) counts it once. */
  async recordEnded(sweepId: string, trialId: string): Promise<number> {
    const replies = await this.redis
      .multi()
      .sadd(this.key(sweepId, 'ended'), idSchema.parse(trialId))
      .scard(this.key(sweepId, 'ended'))
      .exec();
    const count = replies?.[1]?.[1];
    if (typeof count !== 'number') throw new Error(`could not note the end of ${trialId}`);
    return count;
  }

  /** Claims configuration `index` for `by`; true for the first claim only. */
  async claim(sweepId: string, index: number, by: string): Promise<boolean> {
    return (await this.redis.hsetnx(this.key(sweepId, 'tpe'), String(index), by)) === 1;
  }

  private key(sweepId: string, kind: 'ended' | 'tpe'): string {
    return sweepKey(this.prefix, sweepId, kind);
  }
}
