import { escapeHtml } from './escape.js';
import { ASSET_FILES, type PageAssets } from './page-assets.js';

export interface DocumentOptions {
  title: string;
  /** The page's `<main>` content (already escaped HTML). */
  main: string;
  assets: PageAssets;
  /** Polled while the page is open: the URL of the `<main>` content, swapped in when it changes. */
  refreshUrl?: string;
  /** Links in the header bar (server pages only). */
  nav?: boolean;
  /** HTML shown above `main`'s content, e.g. {@link renderQueueNotice}. */
  notice?: string;
}

/**
 * The web app's banner while Redis does not answer: what follows is read from disk, and live state
 * (running trials, the queues) is unknown until the queue answers again.
 */
export function renderQueueNotice(): string {
  return (
    '<p class="notice" role="alert" data-testid="queue-unreachable"><strong>Queue unreachable:</strong> ' +
    'Redis does not answer. Finished reports are read from disk; the state of sweeps without a report ' +
    'is unknown and <a href="/queues">/queues</a> is unavailable until it is back.</p>'
  );
}

/** A whole HTML page around `main`, with the chart library, page script and styles linked or inlined. */
export function renderDocument(options: DocumentOptions): string {
  const { assets } = options;
  const head =
    assets.mode === 'linked'
      ? `<link rel="stylesheet" href="${escapeHtml(assets.base + ASSET_FILES.style)}">` +
        `<script src="${escapeHtml(assets.base + ASSET_FILES.chartJs)}" defer></script>` +
        `<script src="${escapeHtml(assets.base + ASSET_FILES.script)}" defer></script>`
      : `<style>${assets.style}</style>` +
        `<script>${scriptText(assets.chartJs)}</script>` +
        `<script>${scriptText(assets.script)}</script>`;
  const nav = options.nav ? '<nav><a href="/">Sweeps</a> <a href="/queues">Queues</a></nav>' : '';
  const refresh = options.refreshUrl ? ` data-refresh="${escapeHtml(options.refreshUrl)}"` : '';
  return (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">' +
    `<title>${escapeHtml(options.title)}</title>${head}</head>` +
    `<body><header><h1>mtl-sweeps</h1>${nav}</header><main id="content"${refresh}>${options.notice ?? ''}${options.main}</main></body></html>\n`
  );
}

/** Script text safe inline: no `</script` can close the element early; source map comments dropped. */
function scriptText(source: string): string {
  return source.replace(/\/\/# sourceMappingURL=\S+\s*$/, '').replace(/<\/(script)/gi, '<\\/$1');
}
