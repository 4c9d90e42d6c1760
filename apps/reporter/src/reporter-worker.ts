import {
  type ArtifactLayout,
  DEFAULT_OBJECTIVE,
  JOB_NAMES,
  PayloadError,
  parsePayload,
  QUEUES,
  type ReportJob,
  reportJobId,
  reportJobSchema,
  SweepRegistry,
  TrialRecordStore,
} from '@repo/contracts';
import { reportObjectiveFor } from '@repo/metrics';
import type { ReportView } from '@repo/report-view';
import { type Job, Queue, UnrecoverableError, WaitingChildrenError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { writeSweepReport } from './sweep-report.js';
import { collectTrialOutcomes } from './trial-outcomes.js';

export interface ReporterDeps {
  /** A worker connection (`maxRetriesPerRequest: null`); stays the caller's. */
  connection: Redis;
  /** BullMQ key prefix, as the producers use. */
  prefix: string;
  layout: ArtifactLayout;
  logger: Logger;
}

/** What a report job returns. */
export interface ReportResult {
  /** `report.json`, absolute. */
  file: string;
  counts: ReportView['counts'];
  /** Completed trials whose run record is not under this reporter's ARTIFACTS_DIR. */
  missing?: string[];
}

/**
 * The reporter: a sweep's `report` job runs once all its trials have ended (failed ones included)
 * and writes `sweeps/<id>/report.json`.
 */
export function createReporterWorker(deps: ReporterDeps): Worker<ReportJob, ReportResult> {
  const worker = new Worker<ReportJob, ReportResult>(
    QUEUES.report,
    (job, token) => reportSweep(job, deps, token),
    {
      connection: deps.connection,
      prefix: deps.prefix,
      concurrency: 1,
    },
  );
  worker.on('error', (error) => deps.logger.error({ err: error }, 'worker error'));
  worker.on('completed', (job, result) => {
    deps.logger.info({ jobId: job.id, ...result }, 'sweep reported');
    if (result.missing)
      deps.logger.warn(
        { jobId: job.id, missing: result.missing, artifactsDir: deps.layout.root },
        'completed trials have no run record here: deleted, or the trainers write another ARTIFACTS_DIR',
      );
  });
  worker.on('failed', (job, error) =>
    deps.logger.error({ jobId: job?.id, attempt: job?.attemptsMade, err: error }, 'report failed'),
  );
  return worker;
}

/** Re-aggregates a sweep on demand (e.g. before every trial has ended): rewrites its report.json. */
export async function reaggregate(
  sweepId: string,
  deps: Omit<ReporterDeps, 'logger'>,
): Promise<ReportResult> {
  const queue = new Queue<ReportJob, ReportResult>(QUEUES.report, {
    connection: deps.connection,
    prefix: deps.prefix,
  });
  queue.on('error', () => {}); // the calls below reject on their own
  try {
    const job = await queue.getJob(reportJobId(sweepId));
    if (job === undefined) throw new Error(`no sweep ${sweepId} in the queues (prefix ${deps.prefix})`);
    return await reportSweep(job, deps);
  } finally {
    await queue.close();
  }
}

async function reportSweep(
  job: Job<ReportJob>,
  deps: Omit<ReporterDeps, 'logger'>,
  token?: string,
): Promise<ReportResult> {
  if (job.name !== JOB_NAMES.report)
    throw new UnrecoverableError(`job ${job.id}: unknown job name ${job.name}`);
  // A report run again after `retryFailed` finds its retried trials pending: it waits for them.
  if (token !== undefined && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
  let sweep: ReportJob;
  try {
    sweep = parsePayload(reportJobSchema, job.data, `job ${job.id}`);
  } catch (error) {
    if (error instanceof PayloadError) throw new UnrecoverableError(error.message);
    throw error;
  }
  const registry = new SweepRegistry(deps.connection, deps.prefix);
  const info = await registry.get(sweep.sweepId);
  // A TPE sweep's trials added while it ran are in the registry, not in the job's data.
  const registered = (await registry.trials(sweep.sweepId, info)).map((trial) => trial.trialId);
  const trialIds = [...new Set([...sweep.trialIds, ...registered])];
  sweep = { ...sweep, trialIds };
  const outcomes = await collectTrialOutcomes(job, {
    prefix: deps.prefix,
    records: new TrialRecordStore(deps.connection, deps.prefix),
    trialIds,
    cancelled: await registry.isCancelled(sweep.sweepId),
  });
  // The report ranks by the sweep's own objective, measured on test (or by combined, for a loss).
  const objective = reportObjectiveFor(info?.plan.objective ?? DEFAULT_OBJECTIVE);
  const { file, report, missing } = await writeSweepReport(deps.layout, sweep, outcomes, { objective });
  await registry.markReported(sweep.sweepId, file);
  return { file, counts: report.counts, ...(missing.length > 0 ? { missing } : {}) };
}
