import { idSchema } from '@repo/contracts/ids';
import { InvalidArgumentError } from 'commander';
import { UsageError } from './errors.js';

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

/** `id` when it is a sweep id; else a UsageError (exit 2) saying so, before anything is looked up. */
export function checkSweepId(id: string): string {
  if (!idSchema.safeParse(id).success)
    throw new UsageError(`${JSON.stringify(id)} is not a sweep id (letters, digits, "-" and "_" only)`);
  return id;
}
