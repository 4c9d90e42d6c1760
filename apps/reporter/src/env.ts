import { parseEnv, workerEnvSchema } from '@repo/contracts';

/** The reporter's environment: only the shared worker variables (see @repo/contracts). */
export const reporterEnvSchema = workerEnvSchema;

/** Reads and validates the process environment once, at start-up. */
export function readReporterEnv(env: Record<string, string | undefined> = process.env) {
  return parseEnv(reporterEnvSchema, env);
}
export type ReporterEnv = ReturnType<typeof readReporterEnv>;
