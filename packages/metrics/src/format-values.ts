import { isRateMetric } from './objective.js';

/** A metric's figure without its unit: rates as percentages (2 decimals), other figures with 2 (4 below 1). */
export function formatMetricValue(metric: string, value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (isRateMetric(metric)) return (value * 100).toFixed(2);
  if (metric === 'parameters') return Math.round(value).toLocaleString('en-US');
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

/**
 * A hyperparameter's value as people read it: numbers to 4 significant digits, tiny and huge ones in
 * exponent form (`1.95e-3`, not `0.0019532001093245637`), objects as `key value` pairs, the rest as is.
 */
export function formatParameterValue(value: unknown): string {
  if (value === undefined || value === null) return '-';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    if (Math.abs(value) < 1e-2 || Math.abs(value) >= 1e5)
      return value.toExponential(2).replace(/\.?0+e/, 'e');
    return String(Number(value.toPrecision(4)));
  }
  if (typeof value === 'object' && !Array.isArray(value))
    return Object.entries(value)
      .map(([key, item]) => `${key} ${formatParameterValue(item)}`)
      .join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}
