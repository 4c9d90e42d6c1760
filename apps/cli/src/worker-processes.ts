import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { findInRepo } from './repo-paths.js';

/** The worker apps `mtl` starts as child processes (apps never import apps). */
export type WorkerApp = 'generator' | 'trainer' | 'reporter';

/** The worker app's built entry point (`apps/<app>/dist/main.js`). */
export function workerEntry(app: WorkerApp): string {
  return findInRepo(join('apps', app, 'dist', 'main.js'), 'run pnpm build first');
}

/** Where a worker's output goes: the terminal as is, or line by line with a prefix, to a stream. */
export type WorkerOutput =
  | { kind: 'inherit' }
  | { kind: 'lines'; prefix: string; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };

export interface WorkerOptions {
  /** Shown in messages, e.g. `trainer-2`. */
  name: string;
  env: NodeJS.ProcessEnv;
  args?: string[];
  output: WorkerOutput;
}

/** A started worker process. */
export interface WorkerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** Its exit code (128 when killed by a signal, 1 when it could not start). */
  readonly exited: Promise<number>;
  /** Resolves when it logs `<app> ready` (seen only with `lines` output); rejects if it exits first. */
  readonly ready: Promise<void>;
}

/** Starts a worker app in its own process group (a terminal's Ctrl-C reaches only `mtl`, which passes it on once). */
export function startWorker(app: WorkerApp, options: WorkerOptions): WorkerProcess {
  const { output } = options;
  const child = spawn(process.execPath, [workerEntry(app), ...(options.args ?? [])], {
    env: options.env,
    // The IPC channel is how a worker notices that this process is gone (see runWorkerApp).
    stdio:
      output.kind === 'inherit' ? ['ignore', 'inherit', 'inherit', 'ipc'] : ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  const exited = new Promise<number>((resolve) => {
    child.once('error', (error) => {
      process.stderr.write(`${options.name}: cannot start: ${error.message}\n`);
      resolve(1);
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  let readyLine: () => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    readyLine = resolve;
    exited.then((code) => reject(new Error(`${options.name} exited with code ${code} before it was ready`)));
  });
  ready.catch(() => {}); // callers that do not wait for readiness learn of an exit from `exited`
  if (output.kind === 'lines') {
    const marker = `"msg":"mtl-${app} ready"`;
    for (const [source, target] of [
      [child.stdout, output.stdout],
      [child.stderr, output.stderr],
    ] as const) {
      if (!source) continue;
      createInterface({ input: source }).on('line', (line) => {
        if (line.includes(marker)) readyLine();
        target.write(`${output.prefix}${line}\n`);
      });
    }
  }
  return { name: options.name, child, exited, ready };
}

/** Sends `signal` to every worker still running. */
export function signalWorkers(workers: readonly WorkerProcess[], signal: NodeJS.Signals): void {
  for (const { child } of workers)
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}

/** Sends `signal` to every worker still running and waits for all of them; returns their exit codes. */
export async function stopWorkers(
  workers: readonly WorkerProcess[],
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<number[]> {
  signalWorkers(workers, signal);
  return Promise.all(workers.map((worker) => worker.exited));
}

/** Resolves once every worker is ready; if one exits first, stops all of them and rejects with why. */
export async function allReady(workers: readonly WorkerProcess[]): Promise<void> {
  try {
    await Promise.all(workers.map((worker) => worker.ready));
  } catch (error) {
    await stopWorkers(workers);
    throw error;
  }
}
