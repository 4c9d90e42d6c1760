import { escapeHtml } from './escape.js';
import { formatMetric } from './format.js';
import type { PageAssets } from './page-assets.js';
import { renderDocument } from './page-document.js';
import type { SweepListEntry } from './sweep-list.js';

/** The sweeps list as a whole page (polled for fresh content while open). */
export function renderSweepsPage(
  sweeps: readonly SweepListEntry[],
  assets: PageAssets,
  refreshUrl?: string,
  notice?: string,
): string {
  return renderDocument({
    title: 'Sweeps',
    main: renderSweepsContent(sweeps),
    assets,
    ...(refreshUrl ? { refreshUrl } : {}),
    ...(notice ? { notice } : {}),
    nav: true,
  });
}

/** The list's `<main>` content: one row per sweep, newest first as given. */
export function renderSweepsContent(sweeps: readonly SweepListEntry[]): string {
  const rows = sweeps.map((sweep) => {
    const href = `/sweeps/${encodeURIComponent(sweep.sweepId)}`;
    const best = sweep.best
      ? `${formatMetric(sweep.best.metric, sweep.best.value)} (${sweep.best.metric}, ${sweep.best.split})`
      : '–';
    return (
      `<tr data-testid="sweep-row"><td><a href="${escapeHtml(href)}">${escapeHtml(sweep.name)}</a></td>` +
      `<td><code>${escapeHtml(sweep.sweepId)}</code></td>` +
      `<td><span class="state state-${escapeHtml(sweep.state)}">${escapeHtml(sweep.state)}</span></td>` +
      `<td>${sweep.done}${sweep.trials !== undefined ? ` / ${sweep.trials}` : ''}</td><td>${sweep.failed}</td>` +
      `<td>${escapeHtml(best)}</td><td>${escapeHtml(sweep.createdAt ?? '')}</td></tr>`
    );
  });
  return (
    '<section><h2>Sweeps</h2>' +
    (sweeps.length === 0
      ? '<p>No sweep yet: enqueue one with <code>mtl sweep FILE</code>.</p>'
      : '<table id="sweeps"><thead><tr><th>name</th><th>id</th><th>state</th><th>trials done</th><th>failed</th>' +
        `<th>best (metric, split)</th><th>created</th></tr></thead><tbody>${rows.join('')}</tbody></table>`) +
    '</section>'
  );
}

/**
 * The page of a sweep the queues know that has nothing on disk: no trial has written anything yet,
 * or (`missing`, what `describeMissing` says) its files are gone.
 */
export function renderQueuedPage(
  sweep: { sweepId: string; name: string; state: string; trials: number },
  options: { assets: PageAssets; refreshUrl?: string; links?: boolean; missing?: string },
): string {
  const explanation = options.missing
    ? `<p data-testid="files-missing">Its files are gone: ${escapeHtml(options.missing)}. They were deleted, or this ` +
      'app serves another ARTIFACTS_DIR than the workers wrote to. <code>mtl sweep SPEC --restart</code> runs it ' +
      'again from scratch.</p>'
    : '<p>No trial has written anything yet: its dataset may still be generating, or no trainer is running ' +
      '(<code>mtl workers</code>; the queues are at <a href="/queues">/queues</a>). This page reloads when there is something to show.</p>';
  return renderDocument({
    title: `${sweep.name} · sweep report`,
    main:
      `<section class="summary" data-testid="queued"><h2 data-testid="sweep-name">${escapeHtml(sweep.name)}</h2>` +
      `<p class="sweep-id">sweep <code>${escapeHtml(sweep.sweepId)}</code></p>` +
      `<p><span class="state state-${escapeHtml(sweep.state)}" data-testid="state">${escapeHtml(sweep.state)}</span> · ${sweep.trials} trial(s) planned</p>` +
      `${explanation}</section>`,
    assets: options.assets,
    // Files that are gone do not come back on their own: nothing to reload for.
    ...(options.refreshUrl && !options.missing ? { refreshUrl: options.refreshUrl } : {}),
    nav: options.links ?? true,
  });
}
