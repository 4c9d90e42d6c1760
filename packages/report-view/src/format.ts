import { isRateMetric } from '@repo/metrics';

/** A metric for people: rates as percentages (2 decimals), other figures with 2 (4 below 1). */
export function formatMetric(metric: string, value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  if (Number.isNaN(value)) return 'NaN';
  if (isRateMetric(metric)) return `${(value * 100).toFixed(2)} %`;
  return value.toFixed(Math.abs(value) < 1 && value !== 0 ? 4 : 2);
}

/** `mean ± std`, or the mean alone when there is no spread (one run). */
export function formatMeanStd(metric: string, mean: number, std: number | null): string {
  if (std === null) return formatMetric(metric, mean);
  const unit = isRateMetric(metric) ? ' %' : '';
  const mean_ = formatMetric(metric, mean).replace(/ %$/, '');
  return `${mean_} ± ${formatMetric(metric, std).replace(/ %$/, '')}${unit}`;
}

/** `key=value` pairs in key order; non-scalar values as JSON. */
export function describeConfig(config: Record<string, unknown>): string {
  return Object.keys(config)
    .sort()
    .map((key) => {
      const value = config[key];
      return `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`;
    })
    .join(' ');
}
