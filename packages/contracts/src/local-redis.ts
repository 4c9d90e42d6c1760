import { spawn } from 'node:child_process';
import getPort from 'get-port';
import { Redis } from 'ioredis';

/** A `redis-server` child process on a loopback port, for demos and tests. */
export interface LocalRedis {
  readonly url: string;
  /** Stops the server (SIGTERM) and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

/** True when a Redis at `url` answers PING within `timeoutMs`. */
export async function redisAnswers(url: string, timeoutMs = 1_000): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
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

/** `port` when it is free on the loopback, else (or for 0) one the system picks (get-port). */
export async function freeLoopbackPort(port = 0): Promise<number> {
  return getPort({ host: '127.0.0.1', ...(port > 0 ? { port } : {}) });
}

/**
 * Starts `redis-server` on a free loopback port (or on `port`, e.g. to start an empty one again
 * where one was stopped), keeping nothing on disk; undefined when it is not installed or does not
 * answer within five seconds.
 */
export async function startLocalRedis(options: { port?: number } = {}): Promise<LocalRedis | undefined> {
  const port = options.port ?? (await freeLoopbackPort());
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
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  if (!(await redisAnswers(url))) {
    await stop();
    return undefined;
  }
  return { url, stop };
}
