import type { SandboxedJob } from 'bullmq';

/**
 * `mtl-bench queue`'s stand-in for the trial processor: sandboxed like the trainer's, it returns at
 * once, so what is timed is the pipeline alone (fetch, lock, child IPC, completion, parent bookkeeping).
 */
export default async function benchQueueProcessor(job: SandboxedJob<{ trialId: string }>) {
  return { trialId: job.data.trialId };
}
