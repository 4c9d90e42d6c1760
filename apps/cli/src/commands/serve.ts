import { Command } from 'commander';
import { intOption } from '../options.js';
import { startWorker } from '../worker-processes.js';

export interface ServeOptions {
  host: string;
  port: number;
  /** Environment of the reporter (REDIS_URL, ARTIFACTS_DIR, QUEUE_PREFIX, LOG_LEVEL). */
  env: NodeJS.ProcessEnv;
  /** Aborting passes `signal.reason` (a signal name, default SIGTERM) on to the reporter: it closes and exits. */
  signal?: AbortSignal;
}

/** Runs the reporter's web app in the foreground until it exits; resolves to its exit code. */
export async function serveReporter(options: ServeOptions): Promise<number> {
  const reporter = startWorker('reporter', {
    name: 'reporter',
    env: options.env,
    args: ['--mode', 'server', '--host', options.host, '--port', String(options.port)],
    output: { kind: 'inherit' },
  });
  const stop = () => {
    const reason = options.signal?.reason;
    reporter.child.kill(reason === 'SIGINT' || reason === 'SIGTERM' ? reason : 'SIGTERM');
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    return await reporter.exited;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}

const EXAMPLES = `
Examples:
  $ mtl serve                         http://127.0.0.1:8080: sweeps, reports, queues at /queues
  $ mtl serve --host 0.0.0.0 --port 80   reachable from other machines (no authentication: mind the network)

Reads REDIS_URL, QUEUE_PREFIX and ARTIFACTS_DIR like the workers. Ctrl-C stops it.
`;

/** `mtl serve`: the reporter's web app in the foreground (SIGINT/SIGTERM are passed on to it). */
export function serveCommand(): Command {
  return new Command('serve')
    .option('--port <port>', 'TCP port', intOption(0, 65_535), 8080)
    .option('--host <address>', 'address to bind (0.0.0.0: every interface)', '127.0.0.1')
    .addHelpText('after', EXAMPLES)
    .action(async (options: { host: string; port: number }) => {
      const controller = new AbortController();
      const forward = (signal: NodeJS.Signals) => controller.abort(signal);
      process.once('SIGINT', forward);
      process.once('SIGTERM', forward);
      try {
        const code = await serveReporter({ ...options, env: process.env, signal: controller.signal });
        if (code !== 0 && !controller.signal.aborted)
          throw new Error(`the reporter exited with code ${code}`);
      } finally {
        process.off('SIGINT', forward);
        process.off('SIGTERM', forward);
      }
    });
}
