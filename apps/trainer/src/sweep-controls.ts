import {
  bestObjective,
  createRedis,
  DEFAULT_OBJECTIVE,
  PipelineProducer,
  RungValues,
  SweepCancelledError,
  type SweepInfo,
  SweepRegistry,
  type SweepScheduler,
  TpeProgress,
  type TrialJob,
  type TrialProgress,
  TrialRecordStore,
  type TrialRecordWriter,
} from '@repo/contracts';
import {
  isBetter,
  metricValue,
  OBJECTIVE_METRICS,
  type ObjectiveMetric,
  type SchedulerSpec,
  type SweepSpec,
  schedulerDecisionAt,
  suggestTrials,
} from '@repo/sweep';
import type { Redis } from 'ioredis';
import { TrialStoppedError } from './errors.js';

/**
 * What a sweep asks of its trials, through Redis: an attempt opens the trial's record (`startRecord`);
 * between epochs, each epoch goes into the record with the trial's best objective so far, a cancelled
 * sweep stops its trials (SweepCancelledError), and the sweep's scheduler (ASHA, median stopping),
 * given every trial's best value so far at this epoch (RungValues), may stop a trial whose validation
 * figures lag (TrialStoppedError); after a trial, a TPE sweep grows (`afterTrial`). Opens its
 * connection on first use.
 */
export class SweepControls {
  private redis?: Redis;
  private producer?: PipelineProducer;
  private readonly sweeps = new Map<string, Promise<SweepInfo | undefined>>();

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
    /** Told the first connection error of each outage (see `createRedis`). */
    private readonly onRedisError?: (error: Error) => void,
  ) {}

  /** Throws a SweepCancelledError when the trial's sweep was cancelled. */
  async checkCancelled(sweepId: string, completedEpochs?: number): Promise<void> {
    if (await this.registry().isCancelled(sweepId))
      throw new SweepCancelledError(
        sweepId,
        completedEpochs === undefined
          ? ' before this trial started'
          : `; stopped after epoch ${completedEpochs}`,
      );
  }

  /** The trial's record store (the process running an attempt is its one writer). */
  records(): TrialRecordStore {
    return new TrialRecordStore(this.connection(), this.prefix);
  }

  /**
   * After each epoch of either phase: records it (a training epoch with the trial's best objective
   * so far), then stops the trial if its sweep was cancelled or (training only) if the scheduler says
   * so. Only validation metrics are consulted.
   */
  async afterEpoch(trial: TrialJob, progress: TrialProgress, record: TrialRecordWriter): Promise<void> {
    const { phase, epoch, epochs, train, val } = progress;
    if (phase === 'train') {
      const info = await this.sweep(trial.sweepId);
      const objective = bestObjective(record.state.objective, val, info?.plan.objective ?? DEFAULT_OBJECTIVE);
      await record.epoch(
        { epoch, train, val },
        { progress: { phase, epoch, epochs, val }, ...(objective === undefined ? {} : { objective }) },
      );
    } else await record.write({ progress: { phase, epoch, epochs, val } });
    await this.checkCancelled(trial.sweepId, progress.epoch);
    if (progress.phase !== 'train') return;
    const scheduler = await this.scheduler(trial.sweepId);
    if (scheduler === undefined) return;
    // What the scheduler compares at this epoch: each trial's best value so far, read for this epoch only.
    const rungs = new RungValues(this.connection(), this.prefix);
    const { sweepId, trialId } = trial;
    const value = metricValue(progress, scheduler.metric);
    const better = (a: number, b: number) => isBetter(a, b, scheduler.direction);
    const own = { trialId, value: await rungs.record(sweepId, trialId, progress.epoch, value, better) };
    const peers = [...(await rungs.at(sweepId, progress.epoch))]
      .filter(([id]) => id !== trialId)
      .map(([id, best]) => ({ trialId: id, value: best }));
    const decision = schedulerDecisionAt(scheduler, progress.epoch, own, peers);
    if (decision.action === 'stop') throw new TrialStoppedError(decision.epoch, decision.reason);
  }

  /**
   * After a trial of a TPE sweep ended (completed or stopped by the scheduler), while its job is still
   * active: notes its end, and each time another `repeats` trials have ended, claims the next
   * configuration index and adds its trials, suggested from every ended trial's objective (best
   * value of the search metric over its epochs, from the records). The claim is atomic, so a race adds
   * each configuration once; ids are deterministic (`suggestTrials`). A cancelled sweep grows no
   * more. Returns the trial ids added (none for other sweeps).
   */
  async afterTrial(trial: TrialJob): Promise<string[]> {
    const info = await this.registry().get(trial.sweepId);
    if (info?.plan.tpe === undefined) return [];
    // The plan's spec was validated by `mtl sweep` (planSweep) before it was recorded.
    const spec = info.plan.tpe.spec as unknown as SweepSpec;
    if (spec.search.kind !== 'tpe') return [];
    const progress = new TpeProgress(this.connection(), this.prefix);
    const ended = await progress.recordEnded(trial.sweepId, trial.trialId);
    const repeats = spec.seeds.length;
    if (ended % repeats !== 0) return [];
    const index = spec.search.startup + ended / repeats - 1;
    if (index >= spec.search.trials || (await this.registry().isCancelled(trial.sweepId))) return [];
    if (!(await progress.claim(trial.sweepId, index, trial.trialId))) return [];
    const trials = await this.registry().trials(trial.sweepId, info);
    const next = suggestTrials(spec, await this.records().endedObjectives(trial.sweepId, trials), index);
    await this.pipeline().addTrials(trial.sweepId, next);
    return next.map((added) => added.trialId);
  }

  /** Closes what this opened (idempotent enough for a process that is exiting). */
  async close(): Promise<void> {
    await this.producer?.close();
    this.redis?.disconnect();
  }

  /** The sweep's registry entry, read once per process (its plan does not change). */
  private sweep(sweepId: string): Promise<SweepInfo | undefined> {
    let info = this.sweeps.get(sweepId);
    if (info === undefined) {
      info = this.registry().get(sweepId);
      // A failed look-up is asked again at the next epoch rather than remembered.
      info.catch(() => this.sweeps.delete(sweepId));
      this.sweeps.set(sweepId, info);
    }
    return info;
  }

  private async scheduler(sweepId: string): Promise<ActiveScheduler | undefined> {
    const scheduler = (await this.sweep(sweepId))?.plan.scheduler;
    return scheduler && toSchedulerSpec(scheduler);
  }

  private connection(): Redis {
    this.redis ??= createRedis(this.redisUrl, {
      ...(this.onRedisError ? { onError: this.onRedisError } : {}),
    });
    return this.redis;
  }

  private pipeline(): PipelineProducer {
    this.producer ??= new PipelineProducer(this.connection(), { prefix: this.prefix });
    return this.producer;
  }

  private registry(): SweepRegistry {
    return new SweepRegistry(this.connection(), this.prefix);
  }
}

type ActiveScheduler = Exclude<SchedulerSpec, { kind: 'none' }>;

/** The plan's scheduler as @repo/sweep's decision functions take it; its metric must be one they know. */
function toSchedulerSpec(scheduler: SweepScheduler): ActiveScheduler {
  if (!(OBJECTIVE_METRICS as readonly string[]).includes(scheduler.metric)) {
    throw new Error(`scheduler metric ${scheduler.metric}: must be one of ${OBJECTIVE_METRICS.join(', ')}`);
  }
  return { ...scheduler, metric: scheduler.metric as ObjectiveMetric };
}
