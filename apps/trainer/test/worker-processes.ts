import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export type AppName = 'generator' | 'trainer' | 'reporter';

/** A worker app started as a real process (`node apps/<app>/dist/main.js`), its log kept. */
export interface WorkerProcess {
  readonly app: AppName;
  readonly child: ChildProcess;
  /** Parsed JSON log lines so far. */
  readonly lines: Record<string, unknown>[];
  /** Everything it (and its sandboxed children) wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the first log line `match` accepts (rejects after `timeoutMs`). */
  waitForLine(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  /**
   * `signal` (default SIGTERM) to the process, or with `group` to its whole process group as a
   * terminal's Ctrl-C does; SIGKILL after `graceMs`. Resolves with the exit code or signal.
   */
  stop(
    graceMs?: number,
    options?: { signal?: NodeJS.Signals; group?: boolean },
  ): Promise<number | string | null>;
}

/**
 * Starts `node apps/<app>/dist/main.js` with `env` added to the environment (build first); `via` is a
 * command prefix that must exec node in its place (`ip netns exec <ns>`, to run it on another host).
 */
export function startWorker(app: AppName, env: Record<string, string>, via: string[] = []): WorkerProcess {
  const [command = process.execPath, ...args] = [...via, process.execPath, `${ROOT}apps/${app}/dist/main.js`];
  const child = spawn(command, args, {
    env: { ...process.env, LOG_LEVEL: 'debug', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a test can signal it and its sandboxed children together.
    detached: true,
  });
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const part of parts) {
      try {
        lines.push(JSON.parse(part) as Record<string, unknown>);
      } catch {
        lines.push({ msg: part });
      }
    }
    for (const wake of waiters) wake();
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  return {
    app,
    child,
    lines,
    stderr: () => stderr,
    waitForLine(match, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(match);
          if (found) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`${app}: no matching log line within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop(graceMs = 30_000, options = {}) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode;
      const signal = options.signal ?? 'SIGTERM';
      if (options.group) process.kill(-child.pid!, signal);
      else child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}
