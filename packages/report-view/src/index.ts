export { buildReportView, type ReportViewInput, type RunSource } from './build-report-view.js';
export { SweepNotFoundError } from './errors.js';
export { escapeHtml, jsonForScript } from './escape.js';
export { type LoadSweepOptions, loadSweepView } from './load-sweep-view.js';
export { ASSET_FILES, ASSETS_DIR, CHART_JS_DIR, inlineAssets, type PageAssets } from './page-assets.js';
export { renderHeatmap } from './render-heatmap.js';
export { renderSweepContent, renderSweepPage, type SweepPageOptions } from './render-sweep-page.js';
export { renderSweepsContent, renderSweepsPage } from './render-sweeps-page.js';
export {
  type HeadMatrix,
  REPORT_VIEW_FORMAT,
  REPORT_VIEW_VERSION,
  type ReportView,
  type RunView,
  reportViewSchema,
  runViewSchema,
} from './report-view.js';
export { readReportView, readRunSource, writeReportView } from './sweep-files.js';
export { listSweepsFromArtifacts, type SweepListEntry } from './sweep-list.js';
export type { SampleImage, SweepView } from './sweep-view.js';
