import { envVariable, parseEnv, workerEnvSchema } from '@repo/contracts';
import { BACKEND_PREFERENCES } from '@repo/model';
import { z } from 'zod';

const milliseconds = (fallback: number) => envVariable(z.coerce.number().int().min(1).default(fallback));

/** The trainer's environment: the shared worker variables and its own. */
export const trainerEnvSchema = workerEnvSchema.extend({
  /** TF.js backend preference: auto (tensorflow → wasm → cpu), tensorflow, wasm or cpu. Default `auto`. */
  MTL_BACKEND: envVariable(z.enum(BACKEND_PREFERENCES).default('auto')),
  /** Threads one trial computes with on wasm. Default 1: `mtl workers` runs a trainer per core. */
  TRAINER_THREADS: envVariable(z.coerce.number().int().min(1).default(1)),
  /** How often a trial whose dataset is not generated yet looks again. Default 2,000 ms. */
  DATASET_POLL_MS: milliseconds(2_000),
  /** A trial whose dataset has not appeared this long after it was enqueued fails. Default 1 h. */
  DATASET_WAIT_TIMEOUT_MS: milliseconds(3_600_000),
  /** BullMQ job lock; renewed by the worker process every half of it while a trial trains. Default 30,000 ms. */
  LOCK_DURATION_MS: milliseconds(30_000),
  /** How often this worker looks for trials whose worker died (lock expired). Default 30,000 ms. */
  STALLED_INTERVAL_MS: milliseconds(30_000),
});
export type TrainerEnv = z.output<typeof trainerEnvSchema>;

/** Reads and validates the process environment once, at start-up (also in the sandboxed processor). */
export function readTrainerEnv(env: Record<string, string | undefined> = process.env): TrainerEnv {
  return parseEnv(trainerEnvSchema, env);
}
