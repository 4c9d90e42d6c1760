import {
  createRedis,
  type EpochRecord,
  SweepRegistry,
  type SweepScheduler,
  TrialCurves,
  type TrialJob,
  type TrialProgress,
} from '@repo/contracts';
import {
  curveFromHistory,
  OBJECTIVE_METRICS,
  type ObjectiveMetric,
  type SchedulerSpec,
  schedulerDecision,
} from '@repo/sweep';
import type { Redis } from 'ioredis';
import { SweepCancelledError, TrialStoppedError } from './errors.js';

/**
 * What a sweep asks of its trials between epochs, through Redis: each training epoch is recorded in
 * the sweep's TrialCurves; a cancelled sweep stops its trials (SweepCancelledError); the sweep's
 * scheduler (ASHA, median stopping), given every trial's curve so far, may stop a trial whose
 * validation figures lag (TrialStoppedError). Opens its connection on first use.
 */
export class SweepControls {
  private redis?: Redis;
  private readonly schedulers = new Map<string, Promise<ActiveScheduler | undefined>>();

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
  ) {}

  /** Throws a SweepCancelledError when the trial's sweep was cancelled. */
  async checkCancelled(sweepId: string, completedEpochs?: number): Promise<void> {
    if (await this.registry().isCancelled(sweepId)) throw new SweepCancelledError(sweepId, completedEpochs);
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
    const curves = await this.curves().all(trial.sweepId);
    const asCurve = (trialId: string, history: EpochRecord[]) =>
      curveFromHistory(trialId, history, scheduler.metric);
    const own = asCurve(trial.trialId, (curves.get(trial.trialId) ?? []).slice(0, progress.epoch));
    const others = [...curves].filter(([id]) => id !== trial.trialId).map(([id, h]) => asCurve(id, h));
    const decision = schedulerDecision(scheduler, own, others);
    if (decision.action === 'stop') throw new TrialStoppedError(decision.epoch, decision.reason);
  }

  /** Every recorded training epoch of a trial (resumed ones included), for a stopped trial's record. */
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
    this.redis ??= createRedis(this.redisUrl);
    return this.redis;
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
