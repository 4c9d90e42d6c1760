import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { drawShape, labelPoint } from './draw-shape.js';
import type { ShapeName } from './labels.js';

interface ShapeCase {
  size: number;
  shape: ShapeName;
  x: number;
  y: number;
  w: number;
  h: number;
  maskSha256: string;
}
const fixture = JSON.parse(
  readFileSync(new URL('../test/opencv-shapes.fixture.json', import.meta.url), 'utf8'),
) as {
  cases: ShapeCase[];
};

function mask(c: ShapeCase): Uint8Array {
  const rgb = new Uint8Array(c.size * c.size * 3);
  drawShape(rgb, 0, c.size, c.shape, [255, 0, 0], c);
  return rgb.filter((_, i) => i % 3 === 0);
}

describe('drawShape', () => {
  it('fills exactly the pixels OpenCV fills (120 recorded circles, rectangles and triangles)', () => {
    const mismatches = fixture.cases.filter(
      (c) => createHash('sha256').update(mask(c)).digest('hex') !== c.maskSha256,
    );
    expect(mismatches).toEqual([]);
    expect(fixture.cases).toHaveLength(120);
  });

  it('puts each label point inside its shape', () => {
    for (const c of fixture.cases) {
      const [px, py] = labelPoint(c.shape, c);
      expect(mask(c)[py * c.size + px], `${c.shape} ${JSON.stringify(c)}`).toBe(255);
    }
  });

  it('labels as the study: circle centre, rectangle centre, triangle quarter point', () => {
    const box = { x: 40, y: 50, w: 31, h: 45 };
    expect(labelPoint('circle', box)).toEqual([40, 50]);
    expect(labelPoint('rectangle', box)).toEqual([55, 72]);
    expect(labelPoint('triangle', box)).toEqual([47, 61]);
  });
});
