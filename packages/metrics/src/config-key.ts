import stringify from 'safe-stable-stringify';

/** A run's hyperparameters without its seed: the identity runs are grouped by. */
export function configWithoutSeed(config: Record<string, unknown>): Record<string, unknown> {
  const { seed: _seed, ...rest } = config;
  return rest;
}

/** JSON with object keys sorted at every depth (safe-stable-stringify), so equal configs give equal keys. */
export function canonicalJson(value: unknown): string {
  return stringify(value) ?? 'null';
}
