/**
 * Splits configurations' keys into those whose values differ (a key missing from one counts as a value
 * of its own) and those every configuration shares, with their one value. Both in key order.
 */
export function splitParameters(configs: readonly Record<string, unknown>[]): {
  varying: string[];
  constant: Record<string, unknown>;
} {
  const keys = [...new Set(configs.flatMap((config) => Object.keys(config)))].sort();
  const varying: string[] = [];
  const constant: Record<string, unknown> = {};
  for (const key of keys) {
    const values = new Set(configs.map((config) => JSON.stringify(config[key] ?? null)));
    if (values.size > 1) varying.push(key);
    else constant[key] = configs[0]![key];
  }
  return { varying, constant };
}
