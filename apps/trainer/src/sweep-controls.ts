import {
  createRedis,
  DEFAULT_OBJECTIVE,
  type EpochRecord,
  PipelineProducer,
  RungValues,
  SweepCancelledError,
  type SweepInfo,
  SweepRegistry,
  type SweepScheduler,
  TpeProgress,
  TrialCurves,
  type TrialJob,
  type TrialProgress,
} from '@repo/contracts';
import {
  bestOf,
  curveFromHistory,
  isBetter,
  metricValue,
  OBJECTIVE_METRICS,
  type ObjectiveMetric,
  type SchedulerSpec,
  type SweepSpec,
  schedulerDecisionAt,
  suggestTrials,
  type TrialResult,
} from '@repo/sweep';
import type { Redis } from 'ioredis';
import { TrialStoppedError } from './errors.js';

/**
 * What a sweep asks of its trials, through Redis: between epochs, each training epoch is recorded in
 * the sweep's TrialCurves, a cancelled sweep stops its trials (SweepCancelledError), and the sweep's
 * scheduler (ASHA, median stopping), given every trial's best value so far at this epoch (RungValues),
 * may stop a trial whose validation figures lag (TrialStoppedError); after a trial, a TPE sweep grows (`afterTrial`).
 * Opens its connection on first use.
 */
export class SweepControls {
  private redis?: Redis;
  private producer?: PipelineProducer;
  private readonly schedulers = new Map<string, Promise<ActiveScheduler | undefined>>();

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

  /**
   * After each epoch of either phase: records a training epoch, then stops the trial if its sweep was
   * cancelled or (training only) if the scheduler says so. Only validation metrics are consulted.
   */
  async afterEpoch(trial: TrialJob, progress: TrialProgress): Promise<void> {
    if (progress.phase === 'train') {
      const entry: EpochRecord = { epoch: progress.epoch, train: progress.train, val: progress.val };
      await this.curves().record(trial.sweepId, trial.trialId, entry);
    }
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
   * active: records its objective (best value of the search metric over its epochs), and each time
   * another `repeats` trials have results, claims the next configuration index and adds its trials,
   * suggested from every result so far. The claim is atomic, so a race adds each configuration once;
   * ids are deterministic (`suggestTrials`). A cancelled sweep grows no more. Returns the trial ids
   * added (none for other sweeps).
   */
  async afterTrial(trial: TrialJob): Promise<string[]> {
    const info = await this.registry().get(trial.sweepId);
    if (info?.plan.tpe === undefined) return [];
    // The plan's spec was validated by `mtl sweep` (planSweep) before it was recorded.
    const spec = info.plan.tpe.spec as unknown as SweepSpec;
    if (spec.search.kind !== 'tpe') return [];
    const { metric, direction } = info.plan.objective ?? DEFAULT_OBJECTIVE;
    const history = await this.history(trial);
    const value = bestOf(
      curveFromHistory(trial.trialId, history, metric as ObjectiveMetric).values,
      direction,
    );
    if (Number.isNaN(value)) return [];
    const progress = new TpeProgress(this.connection(), this.prefix);
    const ended = await progress.recordResult(trial.sweepId, trial.trialId, value);
    const repeats = spec.seeds.length;
    if (ended % repeats !== 0) return [];
    const index = spec.search.startup + ended / repeats - 1;
    if (index >= spec.search.trials || (await this.registry().isCancelled(trial.sweepId))) return [];
    if (!(await progress.claim(trial.sweepId, index, trial.trialId))) return [];
    const next = suggestTrials(spec, await this.results(trial.sweepId, info, progress), index);
    await this.pipeline().addTrials(trial.sweepId, next);
    return next.map((added) => added.trialId);
  }

  /** Closes what this opened (idempotent enough for a process that is exiting). */
  async close(): Promise<void> {
    await this.producer?.close();
    this.redis?.disconnect();
  }

  /** Every trial's result joined with its configuration. */
  private async results(sweepId: string, info: SweepInfo, progress: TpeProgress): Promise<TrialResult[]> {
    const values = await progress.results(sweepId);
    const trials = await this.registry().trials(sweepId, info);
    return trials.flatMap((trial) => {
      const value = values.get(trial.trialId);
      return value === undefined ? [] : [{ config: trial.config, value }];
    });
  }

  /** Every recorded training epoch of a trial (resumed ones included): a stopped trial's record, a TPE result. */
  async history(trial: TrialJob): Promise<EpochRecord[]> {
    return (await this.curves().all(trial.sweepId)).get(trial.trialId) ?? [];
  }

  private scheduler(sweepId: string): Promise<ActiveScheduler | undefined> {
    let scheduler = this.schedulers.get(sweepId);
    if (scheduler === undefined) {
      scheduler = this.registry()
        .get(sweepId)
        .then((info) => info?.plan.scheduler && toSchedulerSpec(info.plan.scheduler));
      // A failed look-up is asked again at the next epoch rather than remembered.
      scheduler.catch(() => this.schedulers.delete(sweepId));
      this.schedulers.set(sweepId, scheduler);
    }
    return scheduler;
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

  private curves(): TrialCurves {
    return new TrialCurves(this.connection(), this.prefix);
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
