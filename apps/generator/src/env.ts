import { parseEnv, workerEnvSchema } from '@repo/contracts';

/** The generator's environment: only the shared worker variables (see @repo/contracts). */
export const generatorEnvSchema = workerEnvSchema;
export type GeneratorEnv = ReturnType<typeof readGeneratorEnv>;

/** Reads and validates the process environment once, at start-up. */
export function readGeneratorEnv(env: Record<string, string | undefined> = process.env) {
  return parseEnv(generatorEnvSchema, env);
}
