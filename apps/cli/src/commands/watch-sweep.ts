import { setTimeout as sleep } from 'node:timers/promises';
import type { SweepStatus, SweepStatusReader } from '@repo/contracts';
import { ExitCode, ExitStatus } from '../errors.js';
import { changedLines, renderStatusText, StatusBars } from './status-view.js';

export interface ShowOptions {
  /** Keep showing until the sweep ends (else show once). */
  watch: boolean;
  /** One JSON object per status (a line each), instead of text or bars. */
  json: boolean;
  /** Between two looks while watching. */
  intervalMs: number;
  /** Where to write; bars when it is a terminal and `json` is off. */
  stream: NodeJS.WritableStream & { isTTY?: boolean };
}

/** A sweep has ended when its report is written, it failed, or it was cancelled and nothing runs any more. */
export function hasEnded(status: SweepStatus): boolean {
  if (status.state === 'completed' || status.state === 'failed') return true;
  return status.state === 'cancelled' && status.counts.running === 0 && status.counts.waiting === 0;
}

/** The exit code a sweep's end maps to: completed 0, failed 3, cancelled 4 (see README "Exit codes"). */
export function exitCodeOf(status: SweepStatus): number {
  if (status.state === 'failed') return ExitCode.sweepFailed;
  if (status.state === 'cancelled') return ExitCode.sweepCancelled;
  return ExitCode.ok;
}

/**
 * Shows a sweep's status once, or (`watch`) until it ends: progress bars on a terminal, changed
 * lines elsewhere, JSON lines with `json`. Ctrl-C stops watching (exit 130); the sweep goes on.
 * Returns the last status read.
 */
export async function showSweep(
  reader: SweepStatusReader,
  sweepId: string,
  options: ShowOptions,
): Promise<SweepStatus> {
  const bars = options.stream.isTTY && !options.json ? new StatusBars(options.stream) : undefined;
  const interrupted = new AbortController();
  const onSigint = () => interrupted.abort();
  process.once('SIGINT', onSigint);
  let previous: SweepStatus | undefined;
  try {
    for (;;) {
      const status = await reader.status(sweepId);
      if (status === undefined)
        throw new ExitStatus(ExitCode.failure, `no sweep ${sweepId} (mtl ls lists them)`);
      if (bars) bars.update(status);
      else if (options.json) {
        if (previous === undefined || JSON.stringify(previous) !== JSON.stringify(status))
          options.stream.write(`${JSON.stringify(status)}\n`);
      } else if (!options.watch) options.stream.write(`${renderStatusText(status)}\n`);
      else for (const line of changedLines(previous, status)) options.stream.write(`${line}\n`);
      previous = status;
      if (!options.watch || hasEnded(status)) return status;
      try {
        await sleep(options.intervalMs, undefined, { signal: interrupted.signal });
      } catch {
        throw new ExitStatus(ExitCode.interrupted, `stopped watching ${sweepId}; the sweep goes on`);
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
    bars?.stop();
  }
}
