export { SweepNotFoundError } from './errors.js';
export { escapeHtml, jsonForScript } from './escape.js';
export { type LoadSweepOptions, loadSweepView } from './load-sweep-view.js';
export { ASSET_FILES, ASSETS_DIR, CHART_JS_DIR, inlineAssets, type PageAssets } from './page-assets.js';
export { renderHeatmap } from './render-heatmap.js';
export { renderSweepContent, renderSweepPage, type SweepPageOptions } from './render-sweep-page.js';
export { renderSweepsContent, renderSweepsPage } from './render-sweeps-page.js';
export { listSweepsFromArtifacts, type SweepListEntry } from './sweep-list.js';
export {
  buildSweepView,
  type HeadMatrix,
  type RunSource,
  type RunView,
  type SampleImage,
  type SweepView,
  type SweepViewInput,
} from './sweep-view.js';
