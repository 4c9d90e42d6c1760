import { z } from 'zod';
import { redisUrlSchema } from './redis-url.js';
import { DEFAULT_QUEUE_PREFIX } from './sweep-registry.js';

/** A variable's schema in which unset and empty mean the same: take the schema's default. */
export function envVariable<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema);
}

/** Environment every worker reads (each app's `env.ts` extends it). */
export const workerEnvSchema = z.object({
  /** Redis shared by producers and workers. Default `redis://127.0.0.1:6379`. */
  REDIS_URL: envVariable(redisUrlSchema.default('redis://127.0.0.1:6379')),
  /** Root of datasets, trials and reports, shared by every worker. Default `./artifacts`. */
  ARTIFACTS_DIR: envVariable(z.string().default('./artifacts')),
  /** pino level. Default `info`. */
  LOG_LEVEL: envVariable(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  /** BullMQ key prefix; producers and workers must agree. Default `mtl`. */
  QUEUE_PREFIX: envVariable(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" and "_" only')
      .default(DEFAULT_QUEUE_PREFIX),
  ),
});
export type WorkerEnv = z.output<typeof workerEnvSchema>;

/** The environment does not match its schema; the message names every bad variable. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
  /** Stable: match on it, never on the message. */
  readonly code = 'ERR_ENV';
}

/** Parses `env` once at start-up; throws an EnvError naming each bad variable. */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
  throw new EnvError(`invalid environment: ${problems.join('; ')}`);
}
