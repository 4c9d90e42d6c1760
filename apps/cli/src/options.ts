import { InvalidArgumentError } from 'commander';

/** Commander parser for a whole number within [min, max]. */
export function intOption(min = 0, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
      throw new InvalidArgumentError(`expected a whole number ${range}, got "${value}"`);
    }
    return n;
  };
}

/** Commander parser for a finite number within [min, max]. */
export function numberOption(min = -Infinity, max = Infinity) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min || n > max) {
      const range = max === Infinity ? (min === -Infinity ? '' : ` ≥ ${min}`) : ` from ${min} to ${max}`;
      throw new InvalidArgumentError(`expected a number${range}, got "${value}"`);
    }
    return n;
  };
}
