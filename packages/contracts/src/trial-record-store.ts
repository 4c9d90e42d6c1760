import type { Redis } from 'ioredis';
import type { z } from 'zod';
import { idSchema } from './ids.js';
import type { TrialSpec } from './job-payloads.js';
import { DEFAULT_QUEUE_PREFIX, sweepKey } from './sweep-registry.js';
import {
  type EpochRecord,
  epochRecordSchema,
  TRIAL_RECORD_VERSION,
  type TrialIdentity,
  type TrialRecord,
  type TrialRecordState,
  type TrialRecordStatus,
  trialRecordSchema,
  trialRecordStateSchema,
} from './trial-record.js';
import { TrialRecordFencedError } from './trial-record-fenced-error.js';
import { TrialRecordVersionError } from './trial-record-version-error.js';

// Sets fields only while the record's fence is still the writer's (ARGV[1]): a stale attempt writes nothing.
const FENCED_HSET = `
if redis.call('HGET', KEYS[1], 'fence') ~= ARGV[1] then return 0 end
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1`;

// Replaces the state only if it is still what the caller read (ARGV[1], '' for none): a compare-and-set.
const STATE_CAS = `
local current = redis.call('HGET', KEYS[1], 'state') or ''
if current ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2])
return 1`;

const EPOCH_FIELD = 'epoch:';

/**
 * Each trial's record, one Redis hash per trial (`<prefix>:sweep:<id>:trial:<trialId>`): field
 * `state` (the small JSON of TrialRecordState), one field per training epoch (`epoch:<n>`: writing an
 * epoch again, as a resumed attempt does, is idempotent) and `fence`. The process running an attempt
 * is the record's one writer (`startAttempt`); a status that changes outside an attempt (waiting for
 * a dataset, `mtl retry`) goes through `setStatus`, a compare-and-set that never overwrites a running
 * attempt. Everything else reads.
 */
export class TrialRecordStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string = DEFAULT_QUEUE_PREFIX,
  ) {}

  /**
   * Starts an attempt: takes the record's next fence (any earlier attempt's writes fail from now on),
   * then marks it running with one more attempt. `beforeWrite` runs before each of the writer's
   * writes (the trainer confirms its job lock there).
   */
  async startAttempt(
    identity: TrialIdentity,
    writer: string,
    options: { beforeWrite?: () => Promise<void> } = {},
  ): Promise<TrialRecordWriter> {
    const key = this.key(identity.sweepId, identity.trialId);
    const fence = await this.redis.hincrby(key, 'fence', 1);
    const previous = await this.state(identity.sweepId, identity.trialId);
    const { reason: _reason, result: _result, decision: _decision, ...kept } = previous ?? {};
    const state: TrialRecordState = {
      ...kept,
      ...base(identity),
      status: 'running',
      attempts: (previous?.attempts ?? 0) + 1,
      writer,
      updatedAt: new Date().toISOString(),
    };
    const attempt = new TrialRecordWriter(this.redis, key, fence, state, options.beforeWrite);
    await attempt.write({});
    return attempt;
  }

  /**
   * Sets the status of a trial no attempt is running (creating its record if it has none), unless
   * `unless` says the current state must stay; returns whether it was set. Retried when a writer
   * changed the state between read and write.
   */
  async setStatus(
    identity: TrialIdentity,
    status: TrialRecordStatus,
    options: { reason?: string; unless?: (current: TrialRecordState) => boolean } = {},
  ): Promise<boolean> {
    const key = this.key(identity.sweepId, identity.trialId);
    for (;;) {
      const text = (await this.redis.hget(key, 'state')) ?? '';
      const current = text === '' ? undefined : parseState(text, key);
      if (current && options.unless?.(current)) return false;
      const { reason: _reason, ...kept } = current ?? { attempts: 0 };
      const next: TrialRecordState = {
        ...kept,
        ...base(identity),
        status,
        updatedAt: new Date().toISOString(),
        ...(options.reason === undefined ? {} : { reason: options.reason }),
      };
      if ((await this.redis.eval(STATE_CAS, 1, key, text, JSON.stringify(next))) === 1) return true;
    }
  }

  /** A trial's state without its curve, or undefined when it has no record. */
  async state(sweepId: string, trialId: string): Promise<TrialRecordState | undefined> {
    const key = this.key(sweepId, trialId);
    const text = await this.redis.hget(key, 'state');
    return text === null ? undefined : parseState(text, key);
  }

  /**
   * The objective (best value over its epochs) of each ended trial, completed or stopped by the
   * scheduler, with its configuration: what a TPE search suggests from.
   */
  async endedObjectives(
    sweepId: string,
    trials: readonly TrialSpec[],
  ): Promise<{ config: TrialSpec['config']; value: number }[]> {
    const states = await this.states(
      sweepId,
      trials.map(({ trialId }) => trialId),
    );
    return trials.flatMap((trial) => {
      const state = states.get(trial.trialId);
      const ended = state?.status === 'completed' || state?.status === 'stopped';
      return ended && state?.objective !== undefined
        ? [{ config: trial.config, value: state.objective }]
        : [];
    });
  }

  /** The states of many trials of a sweep, in one pipelined call; trials without a record are absent. */
  async states(sweepId: string, trialIds: readonly string[]): Promise<Map<string, TrialRecordState>> {
    const pipeline = this.redis.pipeline();
    for (const trialId of trialIds) pipeline.hget(this.key(sweepId, trialId), 'state');
    const replies = (await pipeline.exec()) ?? [];
    const states = new Map<string, TrialRecordState>();
    trialIds.forEach((trialId, i) => {
      const [error, text] = replies[i] ?? [];
      if (error) throw error;
      if (typeof text === 'string') states.set(trialId, parseState(text, this.key(sweepId, trialId)));
    });
    return states;
  }

  /** A trial's whole record, curve included, or undefined when it has none. */
  async record(sweepId: string, trialId: string): Promise<TrialRecord | undefined> {
    const key = this.key(sweepId, trialId);
    const fields = await this.redis.hgetall(key);
    if (fields.state === undefined) return undefined;
    return { ...parseState(fields.state, key), curve: curveOf(fields) };
  }

  private key(sweepId: string, trialId: string): string {
    return sweepKey(this.prefix, sweepId, `trial:${idSchema.parse(trialId)}`);
  }
}

/**
 * The one writer of a trial's record during an attempt. Each write first runs `beforeWrite`, then
 * lands only while the record's fence is this attempt's: once a later attempt started, every write
 * throws TrialRecordFencedError and changes nothing.
 */
export class TrialRecordWriter {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    readonly fence: number,
    private current: TrialRecordState,
    private readonly beforeWrite?: () => Promise<void>,
  ) {}

  /** The state as this attempt last wrote it. */
  get state(): TrialRecordState {
    return this.current;
  }

  /** Records a training epoch (idempotent: a resumed attempt writes its epochs again) with a state change. */
  async epoch(entry: EpochRecord, change: Partial<TrialRecordState> = {}): Promise<void> {
    await this.write(change, [
      `${EPOCH_FIELD}${entry.epoch}`,
      JSON.stringify(epochRecordSchema.parse(entry)),
    ]);
  }

  /** Changes the state (status, progress, objective, result, reason, …). */
  async write(change: Partial<TrialRecordState>, extra: string[] = []): Promise<void> {
    const next = { ...this.current, ...change, updatedAt: new Date().toISOString() };
    await this.beforeWrite?.();
    const written = await this.redis.eval(
      FENCED_HSET,
      1,
      this.key,
      String(this.fence),
      'state',
      JSON.stringify(next),
      ...extra,
    );
    if (written !== 1) throw new TrialRecordFencedError(next.sweepId, next.trialId, this.fence);
    this.current = next;
  }

  /** The record's curve as stored (resumed epochs included). */
  async curve(): Promise<EpochRecord[]> {
    return curveOf(await this.redis.hgetall(this.key));
  }
}

function base(identity: TrialIdentity): Pick<TrialRecordState, 'version' | keyof TrialIdentity> {
  const { sweepId, trialId, jobId, datasetId, config, seed } = identity;
  return { version: TRIAL_RECORD_VERSION, sweepId, trialId, jobId, datasetId, config, seed };
}

/** Parses a record's state, refusing another schema version by name. */
export function parseState(text: string, source: string): TrialRecordState {
  return parseVersioned(trialRecordStateSchema, text, source);
}

/** Parses a whole record (state and curve, as `trial.json` holds it), refusing another version by name. */
export function parseRecord(text: string, source: string): TrialRecord {
  return parseVersioned(trialRecordSchema, text, source);
}

function parseVersioned<S extends z.ZodType>(schema: S, text: string, source: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TrialRecordVersionError(source, 'not JSON');
  }
  const version = (value as { version?: unknown } | null)?.version;
  if (version !== TRIAL_RECORD_VERSION) {
    throw new TrialRecordVersionError(
      source,
      `version ${String(version)}, this release reads ${TRIAL_RECORD_VERSION}`,
    );
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TrialRecordVersionError(
      source,
      `field ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

/** Epochs 1, 2, … of a record's fields, cut at the first missing one (a curve is used as a prefix). */
function curveOf(fields: Record<string, string>): EpochRecord[] {
  const curve: EpochRecord[] = [];
  for (let epoch = 1; fields[`${EPOCH_FIELD}${epoch}`] !== undefined; epoch++) {
    curve.push(epochRecordSchema.parse(JSON.parse(fields[`${EPOCH_FIELD}${epoch}`] as string)));
  }
  return curve;
}
