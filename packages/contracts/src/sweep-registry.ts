import type { Redis } from 'ioredis';
import { z } from 'zod';
import { idSchema } from './ids.js';
import { type TrialSpec, trialSpecSchema } from './job-payloads.js';
import { type SweepPlan, sweepPlanSchema } from './sweep-plan.js';

/** Default BullMQ key prefix of every queue, and of the sweep registry's keys. */
export const DEFAULT_QUEUE_PREFIX = 'mtl';

/**
 * The Redis key of a sweep's hash (`<prefix>:sweep:<id>`), or of one of the structures kept beside it
 * (`<prefix>:sweep:<id>:<part>`: added trials, curves, TPE progress). The id is checked first.
 */
export function sweepKey(prefix: string, sweepId: string, part?: string): string {
  const key = `${prefix}:sweep:${idSchema.parse(sweepId)}`;
  return part === undefined ? key : `${key}:${part}`;
}

const sweepInfoSchema = z.object({
  sweepId: idSchema,
  name: z.string(),
  datasetId: z.string(),
  trialCount: z.coerce.number().int(),
  createdAt: z.string(),
  plan: z.string().transform((text) => sweepPlanSchema.parse(JSON.parse(text))),
  reportedAt: z.string().optional(),
  reportFile: z.string().optional(),
  /** Set by `markCancelled`: trainers stop its trials at their next epoch. */
  cancelledAt: z.string().optional(),
  /**
   * The validated @repo/sweep SweepSpec (plain JSON) the sweep was planned from, as extended since
   * (`mtl sweep extend`); absent for sweeps enqueued without it.
   */
  spec: z
    .string()
    .transform((text) => z.record(z.string(), z.json()).parse(JSON.parse(text)))
    .optional(),
});

/** A @repo/sweep SweepSpec as plain JSON (this package does not depend on @repo/sweep). */
export type SweepSpecJson = Record<string, z.core.util.JSONType>;

/** What Redis knows of a sweep: enough for a CLI on another machine to list and inspect it. */
export type SweepInfo = z.output<typeof sweepInfoSchema>;

/**
 * Sweep metadata in Redis, beside the queues: a sorted set of sweep ids by creation time
 * (`<prefix>:sweeps`) and one hash per sweep (`<prefix>:sweep:<id>`).
 */
export class SweepRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string = DEFAULT_QUEUE_PREFIX,
  ) {}

  /** Records a sweep once; returns false (and changes nothing) when it is already recorded. */
  async record(
    plan: SweepPlan,
    datasetId: string,
    options: { spec?: SweepSpecJson; createdAt?: Date } = {},
  ): Promise<boolean> {
    const createdAt = options.createdAt ?? new Date();
    const key = this.sweepKey(plan.sweepId);
    const created = await this.redis.hsetnx(key, 'createdAt', createdAt.toISOString());
    if (created === 0) return false;
    await this.redis
      .multi()
      .hset(key, {
        sweepId: plan.sweepId,
        name: plan.name ?? plan.sweepId,
        datasetId,
        trialCount: plan.trials.length,
        plan: JSON.stringify(plan),
        ...(options.spec ? { spec: JSON.stringify(options.spec) } : {}),
      })
      .zadd(this.indexKey(), 'NX', createdAt.getTime(), plan.sweepId)
      .exec();
    return true;
  }

  /** Notes where the sweep's report was written and when. */
  async markReported(sweepId: string, reportFile: string, at = new Date()): Promise<void> {
    await this.redis.hset(this.sweepKey(sweepId), { reportFile, reportedAt: at.toISOString() });
  }

  /**
   * Marks a sweep cancelled (trainers look before each trial and after each epoch). Returns false
   * when no sweep has that id; cancelling twice keeps the first time.
   */
  async markCancelled(sweepId: string, at = new Date()): Promise<boolean> {
    const key = this.sweepKey(sweepId);
    if ((await this.redis.hexists(key, 'plan')) === 0) return false;
    await this.redis.hsetnx(key, 'cancelledAt', at.toISOString());
    return true;
  }

  /** Lifts a cancel (resuming the sweep); returns whether it had been cancelled. */
  async clearCancelled(sweepId: string): Promise<boolean> {
    return (await this.redis.hdel(this.sweepKey(sweepId), 'cancelledAt')) === 1;
  }

  /**
   * Deletes every key of the sweep: its hash, its index entry and the structures kept beside it
   * (`<prefix>:sweep:<id>:*`: trial records, added trials, TPE progress, rung values). Its queue jobs
   * are the producer's to remove (`PipelineProducer.forgetSweep`).
   */
  async forget(sweepId: string): Promise<void> {
    const key = this.sweepKey(sweepId);
    // Ids are letters, digits, "-" and "_" (idSchema): nothing in the pattern is a glob character.
    const beside = this.redis.scanStream({ match: `${key}:*`, count: 500 });
    for await (const keys of beside as AsyncIterable<string[]>) {
      if (keys.length > 0) await this.redis.unlink(...keys);
    }
    await this.redis.multi().unlink(key).zrem(this.indexKey(), sweepId).exec();
  }

  /** Whether the sweep was cancelled: one small Redis call, cheap enough for every epoch. */
  async isCancelled(sweepId: string): Promise<boolean> {
    return (await this.redis.hexists(this.sweepKey(sweepId), 'cancelledAt')) === 1;
  }

  /** Replaces the spec the sweep is extended from (`mtl sweep extend` grew it). */
  async setSpec(sweepId: string, spec: SweepSpecJson): Promise<void> {
    await this.redis.hset(this.sweepKey(sweepId), 'spec', JSON.stringify(spec));
  }

  /** Records trials added to a running sweep (a TPE suggestion, an extension); see `trials`. */
  async addTrials(sweepId: string, trials: readonly TrialSpec[]): Promise<void> {
    if (trials.length === 0) return;
    await this.redis.rpush(this.addedKey(sweepId), ...trials.map((trial) => JSON.stringify(trial)));
  }

  /** Every trial of a sweep: its plan's, then those added while it ran, each id once. */
  async trials(sweepId: string, info?: SweepInfo): Promise<TrialSpec[]> {
    const plan = (info ?? (await this.get(sweepId)))?.plan.trials ?? [];
    const added = await this.redis.lrange(this.addedKey(sweepId), 0, -1);
    const seen = new Set(plan.map((trial) => trial.trialId));
    const trials = [...plan];
    for (const text of added) {
      const trial = trialSpecSchema.parse(JSON.parse(text));
      if (seen.has(trial.trialId)) continue;
      seen.add(trial.trialId);
      trials.push(trial);
    }
    return trials;
  }

  /** One sweep, or undefined when none has that id. */
  async get(sweepId: string): Promise<SweepInfo | undefined> {
    const fields = await this.redis.hgetall(this.sweepKey(sweepId));
    if (fields.plan === undefined) return undefined;
    return sweepInfoSchema.parse(fields);
  }

  /** Sweep ids, newest first. */
  async list(options: { offset?: number; limit?: number } = {}): Promise<string[]> {
    const offset = options.offset ?? 0;
    const limit = options.limit ?? 100;
    return this.redis.zrevrange(this.indexKey(), offset, offset + limit - 1);
  }

  private indexKey(): string {
    return `${this.prefix}:sweeps`;
  }

  private addedKey(sweepId: string): string {
    return sweepKey(this.prefix, sweepId, 'added');
  }

  private sweepKey(sweepId: string): string {
    return sweepKey(this.prefix, sweepId);
  }
}
