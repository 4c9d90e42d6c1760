import { BACKEND_PREFERENCES } from '@repo/model/config';
import { z } from 'zod';
import { UsageError } from './errors.js';

/** The environment variables `mtl` reads, validated once here. */
const cliEnvSchema = z.object({
  /** TF.js backend: auto (tensorflow → wasm → cpu), tensorflow, wasm or cpu. Default auto. */
  MTL_BACKEND: z.enum(BACKEND_PREFERENCES).default('auto'),
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
