import type { SharingAnalysis, SharingRow } from '@repo/metrics';
import { escapeHtml } from './escape.js';
import { formatMetric } from './format.js';
import { configName, formatComparison, formatP, formatWithInterval } from './render-study.js';
import { type LeaderboardRow, metricLabel, type ReportSummary } from './report-summary.js';

/** Column titles of the sharing table, for the page and the terminal alike. */
export const SHARING_COLUMNS = [
  'head',
  'shared (MTL)',
  'single-task',
  'MTL mean [95 % CI]',
  'STL mean [95 % CI]',
  'MTL − STL [95 % CI]',
  'test',
  'p (Holm)',
  'verdict',
] as const;

/** One head's cells, in `SHARING_COLUMNS` order. */
export function sharingCells(summary: ReportSummary, row: SharingRow): string[] {
  const byKey = leaderboardByKey(summary);
  const mtl = byKey.get(row.mtl);
  const stl = byKey.get(row.stl);
  const c = row.comparison;
  return [
    `${row.head} (${metricLabel(row.metric)}, ${row.direction === 'minimize' ? 'lower' : 'higher'} is better)`,
    configName(summary, mtl),
    configName(summary, stl),
    formatWithInterval(row.metric, mtl?.stats[row.metric]),
    formatWithInterval(row.metric, stl?.stats[row.metric]),
    formatComparison(row.metric, c),
    c.kind === 'paired' ? `paired, n = ${c.nA}` : `Welch, n = ${c.nA} / ${c.nB}`,
    formatP(row.adjustedP),
    row.verdict.text,
  ];
}

/**
 * The answer in one sentence: each head's verdict, then the cost of one shared model against the
 * single-task models together ("Sharing helps on position; no detectable difference at n = 3 on shape
 * and colour. One shared model has 191,747 parameters; the 3 single-task models (…) have 501,507
 * together (2.62× the shared model). Training took …").
 */
export function sharingHeadline(sharing: SharingAnalysis): string {
  const byVerdict = new Map<string, string[]>();
  for (const row of sharing.rows)
    byVerdict.set(row.verdict.text, [...(byVerdict.get(row.verdict.text) ?? []), row.head]);
  const verdicts = [...byVerdict].map(([text, heads]) => `${text} on ${joinHeads(heads)}`);
  const { cost } = sharing;
  const models =
    cost.heads.length === 1 ? 'one single-task model' : `${cost.heads.length} single-task models`;
  const parts = [`${capitalise(verdicts.join('; '))}.`];
  if (cost.parameters.mtl !== null && cost.parameters.stl !== null)
    parts.push(
      `One shared model has ${count(cost.parameters.mtl)} parameters; the ${models} (${joinHeads(cost.heads)}) have ${count(cost.parameters.stl)} together (${ratio(cost.parameters.stl, cost.parameters.mtl)}).`,
    );
  if (cost.seconds.mtl !== null && cost.seconds.stl !== null)
    parts.push(
      `Training took ${seconds(cost.seconds.mtl.mean)} against ${seconds(cost.seconds.stl)} for the ${models} (${ratio(cost.seconds.stl, cost.seconds.mtl.mean)}).`,
    );
  if (sharing.missing.length > 0)
    parts.push(`No single-task baseline for ${joinHeads(sharing.missing)}: not compared.`);
  return parts.join(' ');
}

/** "Does sharing help?": the section a report opens with when the sweep has MTL and STL models. */
export function renderSharing(summary: ReportSummary): string {
  const { sharing } = summary.study;
  if (sharing === null) return '';
  const rows = sharing.rows.map(
    (row) =>
      `<tr data-testid="sharing-row" data-head="${escapeHtml(row.head)}" data-verdict="${escapeHtml(row.verdict.kind)}">` +
      sharingCells(summary, row)
        .map((cell, i) =>
          i === SHARING_COLUMNS.length - 1
            ? `<td class="verdict verdict-${escapeHtml(row.verdict.kind)}"><strong>${escapeHtml(cell)}</strong></td>`
            : `<td>${escapeHtml(cell)}</td>`,
        )
        .join('') +
      '</tr>',
  );
  return (
    '<section id="sharing"><h2>Does sharing help?</h2>' +
    `<p class="lead" data-testid="sharing-headline">${escapeHtml(sharingHeadline(sharing))}</p>` +
    `<p class="hint">${escapeHtml(sharingMethod(summary))}</p>` +
    '<table id="sharing-table" data-testid="sharing-table"><thead><tr>' +
    SHARING_COLUMNS.map((title) => `<th scope="col">${escapeHtml(title)}</th>`).join('') +
    `</tr></thead><tbody>${rows.join('')}</tbody></table></section>`
  );
}

/** How the comparison was made, for the reader to judge it. */
export function sharingMethod(summary: ReportSummary): string {
  const { sharing } = summary.study;
  return (
    'Per head, the hard-sharing configuration and the single-task configuration with the lowest mean validation loss ' +
    `of that head (never the test figures) are compared on the ${summary.objective.split} split. Runs sharing a seed are ` +
    "paired (same data, same seed; else Welch's t); the p-values are Holm–Bonferroni-corrected over the " +
    `${sharing?.rows.length ?? 0} heads, and a verdict needs a corrected p below ${sharing?.alpha ?? 0.05} and 3 runs a side. ` +
    'Training time is the mean per run; the single-task side is the sum of its models’ means.'
  );
}

function leaderboardByKey(summary: ReportSummary): Map<string, LeaderboardRow> {
  return new Map(summary.leaderboard.map((row) => [row.key, row]));
}

function joinHeads(heads: readonly string[]): string {
  if (heads.length <= 1) return heads.join('');
  return `${heads.slice(0, -1).join(', ')} and ${heads.at(-1)}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function seconds(value: number): string {
  return formatMetric('duration_s', value) + ' s';
}

function ratio(stl: number, mtl: number): string {
  return mtl > 0 ? `${(stl / mtl).toFixed(2)}× the shared model` : '–';
}
