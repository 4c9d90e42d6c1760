import { parseArgs } from 'node:util';
import { EnvError, envVariable, parseEnv, workerEnvSchema } from '@repo/contracts';
import { z } from 'zod';

/** The reporter's environment: the shared worker variables (see @repo/contracts) and its web app's. */
export const reporterEnvSchema = workerEnvSchema.extend({
  /** `worker` (the report queue's worker), `server` (the web app) or `both`. Default `worker`. */
  REPORTER_MODE: envVariable(z.enum(['worker', 'server', 'both']).default('worker')),
  /** Address the web app binds. Default `127.0.0.1` (this machine only); `0.0.0.0` in a container. */
  REPORTER_HOST: envVariable(z.string().min(1).default('127.0.0.1')),
  /** `off` turns Bull Board (/queues: job payloads, Redis server details) off. Default `on`. */
  REPORTER_BOARD: envVariable(z.enum(['on', 'off']).default('on')),
  /**
   * Host names the web app answers besides IP addresses, `localhost` and REPORTER_HOST (comma
   * separated; e.g. the name a reverse proxy forwards, a compose service's name). Default none.
   */
  REPORTER_ALLOWED_HOSTS: envVariable(
    z
      .string()
      .default('')
      .transform((list) =>
        list
          .split(',')
          .map((host) => host.trim())
          .filter((host) => host !== ''),
      ),
  ),
  /** Port of the web app. Default 8080. */
  REPORTER_PORT: envVariable(z.coerce.number().int().min(0).max(65_535).default(8080)),
});

export type ReporterEnv = z.output<typeof reporterEnvSchema>;

/**
 * Reads and validates the environment once, at start-up. Command-line options `--mode`, `--host`
 * and `--port` override REPORTER_MODE, REPORTER_HOST and REPORTER_PORT.
 */
export function readReporterEnv(
  env: Record<string, string | undefined> = process.env,
  argv: string[] = process.argv.slice(2),
): ReporterEnv {
  let values: { mode?: string; host?: string; port?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { mode: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' } },
    }));
  } catch (error) {
    throw new EnvError(`bad arguments: ${(error as Error).message}`);
  }
  return parseEnv(reporterEnvSchema, {
    ...env,
    ...(values.mode !== undefined ? { REPORTER_MODE: values.mode } : {}),
    ...(values.host !== undefined ? { REPORTER_HOST: values.host } : {}),
    ...(values.port !== undefined ? { REPORTER_PORT: values.port } : {}),
  });
}
