import { escapeHtml } from './escape.js';
import type { HeadMatrix } from './report-view.js';

/**
 * A confusion matrix as an HTML table, true classes down and predicted across; each cell shaded by
 * its row-normalised share (classes q0…q10), showing counts or row percentages.
 */
export function renderHeatmap(matrix: HeadMatrix, kind: 'counts' | 'normalised', caption: string): string {
  const header = matrix.labels.map((label) => `<th scope="col">${escapeHtml(label)}</th>`).join('');
  const rows = matrix.counts.map((row, i) => {
    const cells = row.map((count, j) => {
      const share = matrix.normalised[i]?.[j] ?? 0;
      const text = kind === 'counts' ? String(count) : `${(share * 100).toFixed(1)}%`;
      const diagonal = i === j ? ' diag' : '';
      return `<td class="q${Math.round(share * 10)}${diagonal}" data-true="${escapeHtml(matrix.labels[i])}" data-pred="${escapeHtml(matrix.labels[j])}">${text}</td>`;
    });
    const total = row.reduce((sum, count) => sum + count, 0);
    return `<tr><th scope="row">${escapeHtml(matrix.labels[i])}</th>${cells.join('')}${kind === 'counts' ? `<td class="total">${total}</td>` : ''}</tr>`;
  });
  return (
    `<table class="heatmap" data-kind="${kind}"><caption>${escapeHtml(caption)}</caption>` +
    `<thead><tr><th scope="col">true \\ pred</th>${header}${kind === 'counts' ? '<th scope="col">total</th>' : ''}</tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>`
  );
}

/**
 * Counts and row-normalised tables of the classification heads there are, each tagged with its head;
 * a run without any (stl-position) says so.
 */
export function renderHeadHeatmaps(confusion: { shape?: HeadMatrix; colour?: HeadMatrix }): string {
  const heads = (['shape', 'colour'] as const).flatMap((head) => {
    const matrix = confusion[head];
    return matrix
      ? [
          `<div class="heatmaps" data-head="${head}">` +
            renderHeatmap(matrix, 'counts', `${head}: counts`) +
            renderHeatmap(matrix, 'normalised', `${head}: row-normalised (recall on the diagonal)`) +
            '</div>',
        ]
      : [];
  });
  return heads.length > 0
    ? heads.join('')
    : '<p class="hint">No classification head: no confusion matrix.</p>';
}
