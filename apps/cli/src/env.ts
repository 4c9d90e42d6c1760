import { redisUrlProblem } from '@repo/contracts/redis-url';
import { BACKEND_PREFERENCES } from '@repo/model/config';
import { z } from 'zod';
import { UsageError } from './errors.js';

/** Unset and empty mean the same, as for the workers: the default. */
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);

/** The environment variables `mtl` reads, validated once here. */
const cliEnvSchema = z.object({
  /** TF.js backend: auto (tensorflow → wasm → cpu), tensorflow, wasm or cpu. Default auto. */
  MTL_BACKEND: z.preprocess(unsetIfEmpty, z.enum(BACKEND_PREFERENCES).default('auto')),
});

export type CliEnv = z.output<typeof cliEnvSchema>;

/** Parses the environment; a bad value is a `UsageError` naming the variable. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  const parsed = cliEnvSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path.join('.');
    return `${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
  });
  throw new UsageError(`bad environment: ${problems.join('; ')}`);
}

/** The Redis URL a queue verb uses when `--redis` is not given. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * The Redis URL of a queue verb: `--redis` when given, else REDIS_URL (unset or empty: the default).
 * A value that is not a Redis URL is a `UsageError` naming where it came from, before any connection.
 */
export function redisUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const [url, source] =
    flag !== undefined ? [flag, '--redis'] : [unsetIfEmpty(env.REDIS_URL) ?? DEFAULT_REDIS_URL, 'REDIS_URL'];
  const problem = redisUrlProblem(String(url), source);
  if (problem) throw new UsageError(problem);
  return String(url);
}
