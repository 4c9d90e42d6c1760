import { describe, expect, test } from 'vitest';
import { lossWeightingSchema } from './loss-weighting-config.js';

describe('lossWeightingSchema', () => {
  test('fills each kind’s defaults', () => {
    expect(lossWeightingSchema.parse({ kind: 'static' })).toEqual({
      kind: 'static',
      weights: { position: 1, shape: 1, colour: 1 },
    });
    expect(lossWeightingSchema.parse({ kind: 'static', weights: { shape: 0 } })).toEqual({
      kind: 'static',
      weights: { position: 1, shape: 0, colour: 1 },
    });
    expect(lossWeightingSchema.parse({ kind: 'uncertainty' })).toEqual({ kind: 'uncertainty' });
    expect(lossWeightingSchema.parse({ kind: 'dwa' })).toEqual({ kind: 'dwa', temperature: 2 });
    expect(lossWeightingSchema.parse({ kind: 'gradnorm' })).toEqual({ kind: 'gradnorm', alpha: 1.5 });
  });

  test.each([
    [{ kind: 'focal' }, 'kind', /unknown kind; allowed: static, uncertainty, dwa, gradnorm/],
    [{}, 'kind', /allowed: static/],
    [{ kind: 'dwa', temperature: 0 }, 'temperature', /> 0/],
    [{ kind: 'gradnorm', alpha: -1 }, 'alpha', /≥ 0/],
    [{ kind: 'static', weights: { position: -1 } }, 'weights.position', />=0/],
    [{ kind: 'static', weights: { position: 0, shape: 0, colour: 0 } }, 'weights', /all weights are 0/],
    [{ kind: 'uncertainty', temperature: 1 }, '', /temperature/],
  ])('%j is refused at %s', (input, path, message) => {
    const parsed = lossWeightingSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    const issue = parsed.error?.issues[0];
    expect(issue?.path.join('.')).toBe(path);
    expect(issue?.code === 'unrecognized_keys' ? issue.keys.join() : issue?.message).toMatch(message);
  });
});
