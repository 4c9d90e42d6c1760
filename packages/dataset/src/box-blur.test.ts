import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { referenceBlur } from '../test/reference-generator.js';
import { BoxBlur, packPixels } from './box-blur.js';

const fixture = JSON.parse(
  readFileSync(new URL('../test/opencv-blur.fixture.json', import.meta.url), 'utf8'),
) as {
  cases: { size: number; input: string; blurred: Record<string, string> }[];
};

function blur(image: Uint8Array, size: number, kernel: number): Uint8Array {
  const out = new Uint8Array(image.length);
  new BoxBlur(size).apply(packPixels(image), out, 0, kernel);
  return out;
}

function randomImage(size: number, seed: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length: size * size * 3 }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state >>> 24;
  });
}

describe('BoxBlur', () => {
  it.each(fixture.cases.flatMap((c) => Object.keys(c.blurred).map((k) => [c.size, Number(k)] as const)))(
    'equals OpenCV cv2.blur at size %i, kernel %i (recorded output)',
    (size, kernel) => {
      const c = fixture.cases.find((entry) => entry.size === size)!;
      const input = new Uint8Array(Buffer.from(c.input, 'base64'));
      const expected = new Uint8Array(Buffer.from(c.blurred[String(kernel)]!, 'base64'));
      expect(Buffer.from(blur(input, size, kernel)).equals(Buffer.from(expected))).toBe(true);
    },
  );

  it.each([
    [16, 17],
    [33, 3],
    [33, 13],
    [64, 7],
  ])('equals the direct window mean at size %i, kernel %i', (size, kernel) => {
    const image = randomImage(size, size * 31 + kernel);
    expect(
      Buffer.from(blur(image, size, kernel)).equals(Buffer.from(referenceBlur(image, size, kernel))),
    ).toBe(true);
  });

  it('keeps its result independent of earlier calls (scratch buffers are reset)', () => {
    const blurrer = new BoxBlur(24);
    const first = new Uint8Array(24 * 24 * 3);
    const again = new Uint8Array(24 * 24 * 3);
    const image = packPixels(randomImage(24, 5));
    blurrer.apply(image, first, 0, 9);
    blurrer.apply(packPixels(randomImage(24, 6)), new Uint8Array(first.length), 0, 17);
    blurrer.apply(image, again, 0, 9);
    expect(Buffer.from(again).equals(Buffer.from(first))).toBe(true);
  });

  it('rejects kernels it cannot apply', () => {
    const blurrer = new BoxBlur(8);
    const image = new Float64Array(64);
    expect(() => blurrer.apply(image, new Uint8Array(192), 0, 4)).toThrow(/kernel 4/);
    expect(() => blurrer.apply(image, new Uint8Array(192), 0, 17)).toThrow(/kernel 17/);
  });
});
