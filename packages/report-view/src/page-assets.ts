import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's browser files (the page script and style sheet), beside src/ and dist/. */
export const ASSETS_DIR = fileURLToPath(new URL('../assets/', import.meta.url));

/** Chart.js's browser bundles (`chart.umd.min.js`), from node_modules: no CDN. */
export const CHART_JS_DIR = dirname(createRequire(import.meta.url).resolve('chart.js'));

/** The file names pages link or inline. */
export const ASSET_FILES = {
  chartJs: 'chart.umd.min.js',
  script: 'report.js',
  style: 'report.css',
} as const;

/**
 * How a page gets its script and styles: `linked` from a server's asset route (`base` e.g. `/assets/`,
 * serving ASSETS_DIR and CHART_JS_DIR), or `inline` for one self-contained file.
 */
export type PageAssets =
  | { mode: 'linked'; base: string }
  | { mode: 'inline'; chartJs: string; script: string; style: string };

/** The assets' contents for a self-contained page. */
export async function inlineAssets(): Promise<PageAssets> {
  const [chartJs, script, style] = await Promise.all([
    readFile(join(CHART_JS_DIR, ASSET_FILES.chartJs), 'utf8'),
    readFile(join(ASSETS_DIR, ASSET_FILES.script), 'utf8'),
    readFile(join(ASSETS_DIR, ASSET_FILES.style), 'utf8'),
  ]);
  return { mode: 'inline', chartJs, script, style };
}
