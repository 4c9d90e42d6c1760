import { describe, expect, it } from 'vitest';
import { Throttle } from './throttle.js';

describe('Throttle', () => {
  it('is due the first time, then once per interval, per key', () => {
    const throttle = new Throttle(60_000);
    expect(throttle.due('a', 0)).toBe(true);
    expect(throttle.due('a', 2_000)).toBe(false);
    expect(throttle.due('b', 2_000)).toBe(true);
    expect(throttle.due('a', 59_999)).toBe(false);
    expect(throttle.due('a', 60_000)).toBe(true);
    expect(throttle.due('a', 61_000)).toBe(false);
  });
});
