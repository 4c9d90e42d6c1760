import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A Redis server the integration tests may use, and how to let go of it. */
export interface RedisHandle {
  readonly url: string;
  /** Where it came from: the environment, a testcontainers container, or a child process we started. */
  readonly source: 'env' | 'container' | 'child';
  stop(): Promise<void>;
}

/** True when a Redis at `url` answers PING within a second. */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
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

/** Starts `redis-server` on a free loopback port; undefined when it is not installed. */
export async function startRedisChild(): Promise<RedisHandle | undefined> {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const spawned = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', () => resolve(false));
  });
  if (!spawned) return undefined;
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await redisAnswers(url)); i++) await new Promise((r) => setTimeout(r, 100));
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  if (!(await redisAnswers(url))) {
    await stop();
    return undefined;
  }
  return { url, source: 'child', stop };
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
