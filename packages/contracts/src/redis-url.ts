import { z } from 'zod';

/** The URL with any password replaced, for logs and messages. */
export function redactRedisUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

const EXPECTED =
  'not a Redis URL (expected redis://[user:password@]host[:port][/db] or rediss://…, port 0–65535)';

/**
 * A Redis URL: `redis://…` or `rediss://…` (TLS) with a port the URL parser accepts. Anything else
 * is refused before a connection is tried.
 */
export const redisUrlSchema = z.url({ protocol: /^rediss?$/, error: EXPECTED });

/** Why `url` is not a Redis URL, naming `source` (e.g. `REDIS_URL`) and the value, its password hidden. */
export function redisUrlProblem(url: string, source: string): string | undefined {
  if (redisUrlSchema.safeParse(url).success) return undefined;
  return `${source}=${JSON.stringify(redactRedisUrl(url))}: ${EXPECTED}`;
}
