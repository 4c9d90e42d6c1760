import { formatMetricValue, isRateMetric } from '@repo/metrics';

/** A metric for people: rates as percentages (2 decimals), other figures with 2 (4 below 1). */
export function formatMetric(metric: string, value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  const unit = isRateMetric(metric) && !Number.isNaN(value) ? ' %' : '';
  return `${formatMetricValue(metric, value)}${unit}`;
}

/** `mean ± std`, or the mean alone when there is no spread (one run). */
export function formatMeanStd(metric: string, mean: number, std: number | null): string {
  if (std === null) return formatMetric(metric, mean);
  const unit = isRateMetric(metric) ? ' %' : '';
  return `${formatMetricValue(metric, mean)} ± ${formatMetricValue(metric, std)}${unit}`;
}
