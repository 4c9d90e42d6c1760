export { buildReportView, type ReportViewInput, type RunSource } from './build-report-view.js';
export { SweepNotFoundError } from './errors.js';
export { escapeHtml, jsonForScript } from './escape.js';
export { formatMetric } from './format.js';
export { loadComparison } from './load-comparison.js';
export { type LoadedReport, loadReport } from './load-report.js';
export { type LoadSweepOptions, loadSampleImages, loadSweepView } from './load-sweep-view.js';
export { ASSET_FILES, ASSETS_DIR, CHART_JS_DIR, inlineAssets, type PageAssets } from './page-assets.js';
export { renderQueueNotice } from './page-document.js';
export { renderHeatmap } from './render-heatmap.js';
export { renderParallelCoordinates } from './render-parallel-coordinates.js';
export { renderRunDetail } from './render-run-detail.js';
export { SHARING_COLUMNS, sharingCells, sharingHeadline, sharingMethod } from './render-sharing.js';
export {
  configName,
  formatComparison,
  formatDifference,
  formatP,
  formatWithInterval,
} from './render-study.js';
export {
  LEADERBOARD_PAGE_SIZE,
  renderLeaderboardRows,
  renderRunRows,
  renderSweepContent,
  renderSweepPage,
  type SweepPageOptions,
} from './render-sweep-page.js';
export { renderQueuedPage, renderSweepsContent, renderSweepsPage } from './render-sweeps-page.js';
export { TASK_CONFLICT_COLUMNS, TASK_CONFLICT_HINT, taskConflictCells } from './render-task-conflict.js';
export {
  type BestFigure,
  type LeaderboardRow,
  metricLabel,
  REPORT_SPLIT,
  REPORT_SUMMARY_FORMAT,
  REPORT_SUMMARY_VERSION,
  type ReportSummary,
  RUNS_PAGE_SIZE,
  type RunDetails,
  type RunRow,
  summariseReportView,
} from './report-summary.js';
export {
  REPORT_RUNS_DIR,
  REPORT_SUMMARY_FILE,
  readReportSummary,
  readRunDetails,
  reportFingerprint,
  writeReportSummary,
} from './report-summary-files.js';
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
export { type SyntheticSweepOptions, writeSyntheticSweep } from './synthetic-sweep.js';
