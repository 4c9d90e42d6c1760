import type { SweepStatus, TrialStatus } from '@repo/contracts';
import { printable } from '@repo/sweep/printable';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';

/** Validation metrics shown per trial, in this order (when the trial reported them). */
const SHOWN_METRICS = ['loss', 'shape_acc', 'colour_acc', 'position_mae'] as const;

/** A number for a status line: 4 significant digits. */
function show(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

/** `quick-1a2b… (quick)  running  2/4 done · 0 failed · 1 running · 1 waiting  best val_combined (lowest) 5.2 (t001)` */
export function statusHeadline(status: SweepStatus): string {
  const { counts, best, objective } = status;
  const parts = [
    `${counts.done}/${counts.total} done`,
    `${counts.failed} failed`,
    `${counts.running} running`,
    `${counts.waiting} waiting`,
    ...(counts.cancelled > 0 ? [`${counts.cancelled} cancelled`] : []),
  ];
  const way = objective.direction === 'minimize' ? 'lowest' : 'highest';
  const bestText = best ? `  best ${objective.metric} (${way}) ${show(best.value)} (${best.trialId})` : '';
  return `${status.sweep.sweepId} (${printable(status.sweep.name)})  ${status.state}  ${parts.join(' · ')}${bestText}`;
}

/** What a trial's line or bar says after its state: epoch, latest val metrics, attempts, reason. */
function trialDetails(trial: TrialStatus): string {
  const parts: string[] = [];
  if (trial.progress) {
    const { phase, epoch, epochs, val } = trial.progress;
    parts.push(`${phase === 'fine-tune' ? 'fine-tune ' : ''}epoch ${epoch}/${epochs}`);
    for (const name of SHOWN_METRICS) {
      const value = val[name];
      if (value !== undefined) parts.push(`val_${name} ${show(value)}`);
    }
  }
  if (trial.attempts > 1) parts.push(`attempt ${trial.attempts}`);
  if (trial.reason) parts.push(trial.reason);
  return parts.join('  ');
}

/** One plain line per trial: `t001  running    epoch 1/2  val_loss 0.9123  …`. */
export function trialLine(trial: TrialStatus, idWidth = trial.trialId.length): string {
  return `${trial.trialId.padEnd(idWidth)}  ${trial.state.padEnd(9)}  ${trialDetails(trial)}`.trimEnd();
}

/** The whole status as plain text (for pipes, logs and `--watch` off a terminal). */
export function renderStatusText(status: SweepStatus): string {
  const width = Math.max(5, ...status.trials.map((trial) => trial.trialId.length));
  return [statusHeadline(status), ...status.trials.map((trial) => trialLine(trial, width))].join('\n');
}

/**
 * Lines of a `--watch` off a terminal: the headline when it changed, and each trial whose line
 * changed since the previous status (everything the first time).
 */
export function changedLines(previous: SweepStatus | undefined, status: SweepStatus): string[] {
  const width = Math.max(5, ...status.trials.map((trial) => trial.trialId.length));
  const before = new Map(previous?.trials.map((trial) => [trial.trialId, trialLine(trial, width)]));
  const lines = status.trials
    .map((trial) => trialLine(trial, width))
    .filter((line, i) => {
      const trialId = status.trials[i]?.trialId ?? '';
      return before.get(trialId) !== line;
    });
  const headline = statusHeadline(status);
  if (previous === undefined || statusHeadline(previous) !== headline) lines.unshift(headline);
  return lines;
}

/**
 * Progress bars on a terminal (cli-progress): a headline, then one bar per trial filling epoch by
 * epoch. `update` redraws; `stop` leaves the last drawing on screen.
 */
export class StatusBars {
  private readonly multibar: MultiBar;
  private readonly headline: SingleBar;
  private readonly bars = new Map<string, SingleBar>();

  constructor(stream: NodeJS.WritableStream) {
    this.multibar = new MultiBar(
      {
        stream,
        format: ' {trial} {bar} {state} {details}',
        barsize: 20,
        hideCursor: true,
        clearOnComplete: false,
        stopOnComplete: false,
        autopadding: true,
        emptyOnZero: true,
        forceRedraw: true,
      },
      Presets.shades_classic,
    );
    this.headline = this.multibar.create(1, 0, { text: '' }, { format: '{text}' });
  }

  update(status: SweepStatus): void {
    this.headline.update(0, { text: statusHeadline(status) });
    const width = Math.max(5, ...status.trials.map((trial) => trial.trialId.length));
    for (const trial of status.trials) {
      const epochs = trial.progress?.epochs ?? 1;
      const ended = trial.state === 'completed';
      const value = ended ? epochs : (trial.progress?.epoch ?? 0);
      const payload = {
        trial: trial.trialId.padEnd(width),
        state: trial.state.padEnd(9),
        details: trialDetails(trial),
      };
      let bar = this.bars.get(trial.trialId);
      if (bar === undefined) {
        bar = this.multibar.create(epochs, value, payload);
        this.bars.set(trial.trialId, bar);
      }
      bar.setTotal(epochs);
      bar.update(value, payload);
    }
    this.multibar.update();
  }

  stop(): void {
    this.multibar.stop();
  }
}
