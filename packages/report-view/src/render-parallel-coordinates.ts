import { formatMetricValue, formatParameterValue } from '@repo/metrics';
import { escapeHtml } from './escape.js';
import { configName } from './render-study.js';
import type { ReportSummary } from './report-summary.js';

const WIDTH = 960;
const HEIGHT = 360;
const PAD = { top: 28, bottom: 44, side: 70 };
/** Lines coloured from the best objective (dark) to the worst (light), in this many steps. */
const SHADES = 6;
/** Configurations drawn at most (the best ones): past a few hundred lines the chart is a solid block. */
export const PARALLEL_LINES = 300;

interface Axis {
  title: string;
  /** Position of a configuration on the axis, 0 (bottom) … 1 (top); null when it has no value. */
  place: (config: Record<string, unknown>, objective: number | undefined) => number | null;
  ticks: { at: number; label: string }[];
}

/**
 * Parallel coordinates of hyperparameters → objective, drawn here as SVG: one vertical axis per varying
 * hyperparameter and one for the objective, one line per configuration through its values (its mean
 * objective), shaded by rank. Drawn on the server so the self-contained report shows it without a
 * script, and no chart library is needed (Chart.js has no parallel coordinates; those that do are
 * megabytes of script for one chart).
 */
export function renderParallelCoordinates(summary: ReportSummary): string {
  const { objective, parameters } = summary;
  const leaderboard = summary.leaderboard.slice(0, PARALLEL_LINES);
  if (leaderboard.length < 2 || parameters.varying.length === 0) return '';
  const means = leaderboard.map((row) => row.stats[objective.metric]?.mean);
  const axes: Axis[] = [
    ...parameters.varying.map((key) =>
      parameterAxis(
        key,
        leaderboard.map((row) => row.config[key]),
      ),
    ),
    numericAxis(
      `${objective.metric} (${objective.split})`,
      means.filter((m): m is number => m !== undefined),
      (_config, value) => value,
      (value) => formatMetricValue(objective.metric, value),
    ),
  ];
  const x = (i: number) => PAD.side + (i * (WIDTH - 2 * PAD.side)) / Math.max(1, axes.length - 1);
  const y = (place: number) => HEIGHT - PAD.bottom - place * (HEIGHT - PAD.top - PAD.bottom);
  // Worst first, so the best configurations are drawn on top.
  const lines = leaderboard
    .map((row, index) => {
      const points = axes.map((axis, i) => {
        const place = axis.place(row.config, means[index]);
        return place === null ? null : `${x(i).toFixed(1)},${y(place).toFixed(1)}`;
      });
      if (points.some((point) => point === null)) return '';
      const shade = Math.min(SHADES - 1, Math.floor((index * SHADES) / leaderboard.length));
      return (
        `<polyline class="pc-line pc-shade-${shade}" data-testid="pc-line" data-rank="${row.rank}" points="${points.join(' ')}">` +
        `<title>${escapeHtml(`${configName(summary, row)}: ${objective.metric} ${formatMetricValue(objective.metric, means[index] ?? Number.NaN)}`)}</title></polyline>`
      );
    })
    .reverse();
  const axisMarks = axes.map((axis, i) => {
    const ticks = axis.ticks.map(
      (tick) =>
        `<text class="pc-tick" x="${(x(i) + 5).toFixed(1)}" y="${(y(tick.at) + 4).toFixed(1)}">${escapeHtml(tick.label)}</text>`,
    );
    return (
      `<g class="pc-axis" data-testid="pc-axis" data-axis="${escapeHtml(axis.title)}"><line x1="${x(i).toFixed(1)}" x2="${x(i).toFixed(1)}" y1="${PAD.top}" y2="${HEIGHT - PAD.bottom}"/>` +
      `<text class="pc-title" x="${x(i).toFixed(1)}" y="${HEIGHT - PAD.bottom + 28}">${escapeHtml(axis.title)}</text>${ticks.join('')}</g>`
    );
  });
  return (
    '<section id="parallel-coordinates"><h2>Hyperparameters → objective</h2>' +
    `<p class="hint">Parallel coordinates: one line per configuration through its hyperparameters to its mean ${escapeHtml(objective.metric)}; darker lines rank higher. Hover a line for its configuration.` +
    `${summary.leaderboard.length > leaderboard.length ? ` The best ${leaderboard.length} of ${summary.leaderboard.length} configurations are drawn.` : ''}</p>` +
    `<svg class="parallel" data-testid="parallel-coordinates" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="parallel coordinates of hyperparameters and ${escapeHtml(objective.metric)}">` +
    `${lines.join('')}${axisMarks.join('')}</svg></section>`
  );
}

function parameterAxis(key: string, values: readonly unknown[]): Axis {
  const numbers = values.filter((value): value is number => typeof value === 'number');
  if (numbers.length === values.length && new Set(numbers).size > 1) {
    return numericAxis(key, numbers, (config) => config[key] as number, formatParameterValue);
  }
  const levels = [...new Set(values.map((value) => JSON.stringify(value ?? null)))].sort();
  const at = (index: number) => (levels.length === 1 ? 0.5 : index / (levels.length - 1));
  return {
    title: key,
    place: (config) => at(levels.indexOf(JSON.stringify(config[key] ?? null))),
    ticks: levels.map((level, i) => ({ at: at(i), label: formatParameterValue(JSON.parse(level)) })),
  };
}

/** A linear axis, or a log one for positive values spanning more than 20×. */
function numericAxis(
  title: string,
  values: readonly number[],
  read: (config: Record<string, unknown>, objective: number | undefined) => number | undefined,
  label: (value: number) => string,
): Axis {
  const log = values.every((v) => v > 0) && Math.max(...values) / Math.min(...values) > 20;
  const scale = (v: number) => (log ? Math.log10(v) : v);
  const low = Math.min(...values.map(scale));
  const high = Math.max(...values.map(scale));
  const place = (v: number) => (high === low ? 0.5 : (scale(v) - low) / (high - low));
  const ticks = [0, 0.5, 1].map((at) => {
    const scaled = low + at * (high - low);
    return { at: high === low ? 0.5 : at, label: label(log ? 10 ** scaled : scaled) };
  });
  return {
    title,
    place: (config, objective) => {
      const value = read(config, objective);
      return value === undefined || !Number.isFinite(value) ? null : place(value);
    },
    ticks: high === low ? ticks.slice(0, 1) : ticks,
  };
}
