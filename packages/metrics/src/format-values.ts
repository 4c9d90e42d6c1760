import { isRateMetric } from './objective.js';

/** A metric's figure without its unit: rates as percentages (2 decimals), other figures with 2 (4 below 1). */
export function formatMetricValue(metric: string, value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (isRateMetric(metric)) return (value * 100).toFixed(2);
  return value.toFixed(Math.abs(value) < 1 && value !== 0 ? 4 : 2);
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
