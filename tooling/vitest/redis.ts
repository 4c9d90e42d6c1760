import { redisAnswers, startLocalRedis } from '@repo/contracts';

/** A Redis server the integration tests may use, and how to let go of it. */
export interface RedisHandle {
  readonly url: string;
  /** Where it came from: the environment, a testcontainers container, or a child process we started. */
  readonly source: 'env' | 'container' | 'child';
  stop(): Promise<void>;
}

async function startContainer(): Promise<RedisHandle | undefined> {
  try {
    const { GenericContainer, getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    const container = await new GenericContainer('redis:7').withExposedPorts(6379).start();
    const url = `redis://${container.getHost()}:${container.getMappedPort(6379)}`;
    return { url, source: 'container', stop: async () => void (await container.stop()) };
  } catch {
    return undefined; // no container runtime answers here
  }
}

/** A `redis-server` child process on a free loopback port; undefined when it is not installed. */
export async function startRedisChild(): Promise<RedisHandle | undefined> {
  const local = await startLocalRedis();
  return local && { url: local.url, source: 'child', stop: local.stop };
}

/**
 * A real Redis for tests: REDIS_URL when it answers; else a testcontainers container when a
 * container runtime answers; else a redis-server child process; else a clear failure (never a skip).
 */
export async function acquireRedis(envUrl: string | undefined): Promise<RedisHandle> {
  if (envUrl && (await redisAnswers(envUrl))) return { url: envUrl, source: 'env', stop: async () => {} };
  const handle = (await startContainer()) ?? (await startRedisChild());
  if (handle) return handle;
  throw new Error(
    `No Redis for the integration tests: ${envUrl ? `REDIS_URL=${envUrl} does not answer, ` : 'REDIS_URL is unset, '}` +
      'no container runtime answers and redis-server is not installed. ' +
      'Set REDIS_URL, start Docker, or `apt-get install redis-server`.',
  );
}
