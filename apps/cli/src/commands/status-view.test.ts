import { Writable } from 'node:stream';
import type { SweepStatus, SweepStatusReader, TrialStatus } from '@repo/contracts';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../errors.js';
import { changedLines, renderStatusText, StatusBars } from './status-view.js';
import { exitCodeOf, hasEnded, showSweep } from './watch-sweep.js';

const val = (loss: number) => ({ loss, shape_acc: 0.9, colour_acc: 0.95, position_mae: 0.05 });

function fakeStatus(overrides: Partial<SweepStatus> = {}, trials?: TrialStatus[]): SweepStatus {
  const list: TrialStatus[] = trials ?? [
    {
      trialId: 't000',
      jobId: 'q-1.t000',
      state: 'completed',
      attempts: 1,
      progress: { phase: 'train', epoch: 2, epochs: 2, val: val(0.41234) },
      objective: 0.41234,
    },
    {
      trialId: 't001',
      jobId: 'q-1.t001',
      state: 'running',
      attempts: 2,
      progress: { phase: 'train', epoch: 1, epochs: 2, val: val(0.9) },
      objective: 0.9,
    },
    {
      trialId: 't002',
      jobId: 'q-1.t002',
      state: 'failed',
      attempts: 1,
      reason: 'TrialConfigError: arch: unknown',
    },
    { trialId: 't003', jobId: 'q-1.t003', state: 'waiting', attempts: 0 },
  ];
  return {
    sweep: {
      sweepId: 'q-1',
      name: 'quick',
      datasetId: 'd',
      trialCount: list.length,
      createdAt: '2026-01-01T00:00:00.000Z',
      plan: {
        sweepId: 'q-1',
        dataset: { imageSize: 96, samples: 10, valFraction: 0.2, test: 8, seed: 1, shardSize: 500 },
        trials: [],
      },
    },
    state: 'running',
    objective: { metric: 'val_loss', direction: 'minimize' },
    counts: { total: 4, done: 1, failed: 1, running: 1, waiting: 1, cancelled: 0 },
    best: { trialId: 't000', value: 0.41234 },
    trials: list,
    ...overrides,
  };
}

/** A stream that keeps what is written; `isTTY` as asked. */
function sink(isTTY: boolean): Writable & { isTTY: boolean; columns: number; text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { isTTY, columns: 160, text: () => chunks.join('') });
}

/** A reader that returns the given statuses one after the other (the last one from then on). */
function fakeReader(...statuses: SweepStatus[]): SweepStatusReader {
  let calls = 0;
  return {
    status: async () => statuses[Math.min(calls++, statuses.length - 1)],
  } as unknown as SweepStatusReader;
}

describe('status output', () => {
  it('off a terminal: a headline, then one plain line per trial with epoch, val metrics, attempts, reason', () => {
    expect(renderStatusText(fakeStatus()).split('\n')).toEqual([
      'q-1 (quick)  running  1/4 done · 1 failed · 1 running · 1 waiting  best val_loss (lowest) 0.4123 (t000)',
      't000   completed  epoch 2/2  val_loss 0.4123  val_shape_acc 0.9  val_colour_acc 0.95  val_position_mae 0.05',
      't001   running    epoch 1/2  val_loss 0.9  val_shape_acc 0.9  val_colour_acc 0.95  val_position_mae 0.05  attempt 2',
      't002   failed     TrialConfigError: arch: unknown',
      't003   waiting',
    ]);
  });

  it('while watching off a terminal, prints only what changed', () => {
    const before = fakeStatus();
    const after = fakeStatus({ counts: { ...before.counts, waiting: 0, running: 2 } }, [
      ...before.trials.slice(0, 3),
      { trialId: 't003', jobId: 'q-1.t003', state: 'running', attempts: 1 },
    ]);
    expect(changedLines(undefined, before)).toHaveLength(5);
    expect(changedLines(before, before)).toEqual([]);
    expect(changedLines(before, after)).toEqual([
      'q-1 (quick)  running  1/4 done · 1 failed · 2 running · 0 waiting  best val_loss (lowest) 0.4123 (t000)',
      't003   running',
    ]);
  });

  it('on a terminal: progress bars, one per trial, filled by epoch', () => {
    const stream = sink(true);
    const bars = new StatusBars(stream);
    bars.update(fakeStatus());
    bars.stop();
    const text = stream.text();
    expect(text).toContain('q-1 (quick)  running');
    // 20 cells: a completed trial full, a trial at epoch 1 of 2 half full, a waiting one empty.
    expect(text).toMatch(/t000 +█{20} completed +epoch 2\/2/);
    expect(text).toMatch(/t001 +█{10}░{10} running +epoch 1\/2/);
    expect(text).toMatch(/t003 +░{20} waiting/);
    expect(text).toContain('\u001b['); // cursor movements: it redraws in place
  });

  it('showSweep: text once off a terminal, bars on one, JSON lines with --json', async () => {
    const plain = sink(false);
    await showSweep(fakeReader(fakeStatus()), 'q-1', {
      watch: false,
      json: false,
      intervalMs: 1,
      stream: plain,
    });
    expect(plain.text()).toBe(`${renderStatusText(fakeStatus())}\n`);

    const tty = sink(true);
    await showSweep(fakeReader(fakeStatus()), 'q-1', {
      watch: false,
      json: false,
      intervalMs: 1,
      stream: tty,
    });
    expect(tty.text()).toMatch(/t000 +█{20}/);

    const json = sink(true);
    const done = fakeStatus({ state: 'completed' });
    const last = await showSweep(fakeReader(fakeStatus(), fakeStatus(), done), 'q-1', {
      watch: true,
      json: true,
      intervalMs: 1,
      stream: json,
    });
    expect(last.state).toBe('completed');
    // Three looks, two distinct statuses: two lines.
    expect(
      json
        .text()
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).state),
    ).toEqual(['running', 'completed']);
  });

  it('an unknown sweep fails with exit 1', async () => {
    const reader = { status: async () => undefined } as unknown as SweepStatusReader;
    await expect(
      showSweep(reader, 'nope', { watch: false, json: false, intervalMs: 1, stream: sink(false) }),
    ).rejects.toMatchObject({
      exitCode: ExitCode.failure,
      message: expect.stringContaining('no sweep nope'),
    });
  });

  it('maps how a sweep ended to its exit code', () => {
    expect(hasEnded(fakeStatus())).toBe(false);
    expect(exitCodeOf(fakeStatus({ state: 'completed' }))).toBe(ExitCode.ok);
    expect(exitCodeOf(fakeStatus({ state: 'failed' }))).toBe(ExitCode.sweepFailed);
    const cancelling = fakeStatus({ state: 'cancelled' });
    expect(hasEnded(cancelling)).toBe(false); // a trial still runs to its next epoch
    const cancelled = fakeStatus({
      state: 'cancelled',
      counts: { total: 4, done: 1, failed: 1, running: 0, waiting: 0, cancelled: 2 },
    });
    expect(hasEnded(cancelled)).toBe(true);
    expect(exitCodeOf(cancelled)).toBe(ExitCode.sweepCancelled);
  });
});
