import type { SampleSummary, TaskConflictRow } from '@repo/metrics';
import { escapeHtml } from './escape.js';
import { configName } from './render-study.js';
import type { ReportSummary } from './report-summary.js';

/** Column titles of the task-conflict table, for the page and the terminal alike. */
export const TASK_CONFLICT_COLUMNS = [
  'configuration',
  'heads',
  'cosine, mean over epochs [95 % CI]',
  'cosine after the last epoch [95 % CI]',
  'epochs below 0',
] as const;

/** What the figures are, for a reader. */
export const TASK_CONFLICT_HINT =
  "The cosine similarity of two heads' loss gradients with respect to the shared backbone's weights, on a fixed training batch after every epoch: " +
  'near 1 the heads push the shared layers the same way, below 0 they pull them apart. Per run averaged over its epochs (or its last epoch), then over the runs.';

/** One row's cells, in `TASK_CONFLICT_COLUMNS` order. */
export function taskConflictCells(summary: ReportSummary, row: TaskConflictRow): string[] {
  const config = summary.leaderboard.find((entry) => entry.key === row.key);
  return [
    configName(summary, config),
    row.pair.replace('-', ' · '),
    cosine(row.mean),
    cosine(row.last),
    `${(row.negativeShare * 100).toFixed(0)} %`,
  ];
}

/** Task conflict per configuration and pair of heads; nothing when no run recorded it. */
export function renderTaskConflict(summary: ReportSummary): string {
  const rows = summary.study.taskConflict;
  if (rows.length === 0) return '';
  const body = rows.map(
    (row) =>
      `<tr data-testid="conflict-row" data-pair="${escapeHtml(row.pair)}">` +
      taskConflictCells(summary, row)
        .map((cell) => `<td>${escapeHtml(cell)}</td>`)
        .join('') +
      '</tr>',
  );
  return (
    '<section id="task-conflict"><h2>Task conflict</h2>' +
    `<p class="hint">${escapeHtml(TASK_CONFLICT_HINT)} A run's page draws its curves.</p>` +
    '<table id="conflict-table"><thead><tr>' +
    TASK_CONFLICT_COLUMNS.map((title) => `<th scope="col">${escapeHtml(title)}</th>`).join('') +
    `</tr></thead><tbody>${body.join('')}</tbody></table></section>`
  );
}

function cosine(stats: SampleSummary): string {
  const value = stats.mean.toFixed(3);
  return stats.ci95 === null ? value : `${value} [${stats.ci95[0].toFixed(3)}, ${stats.ci95[1].toFixed(3)}]`;
}
