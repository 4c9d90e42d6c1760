import type { ShapeName } from './labels.js';

/** Where a shape goes: top-left (x, y) and size (w, h) as the study draws them. */
export interface ShapeBox {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/**
 * Fills one shape, without anti-aliasing, into the image at `offset` (Shape: [size, size, 3]), pixel for
 * pixel as the study's OpenCV calls (cv2.circle, cv2.rectangle, cv2.fillPoly; checked against OpenCV 4.6):
 * - circle: centre (x, y), radius r = ⌊min(w, h)/2⌋ — pixels with dx² + dy² ≤ r²;
 * - rectangle: corners (x, y)–(x + w, y + h), both included;
 * - triangle: right triangle (x, y), (x + w, y), (x, y + h); row dy reaches `hypotenuseReach`.
 */
export function drawShape(
  image: Uint8Array,
  offset: number,
  size: number,
  shape: ShapeName,
  rgb: readonly [number, number, number],
  box: ShapeBox,
): void {
  const { x, y, w, h } = box;
  const span = (row: number, from: number, to: number) => {
    if (row < 0 || row >= size) return;
    const start = offset + (row * size + Math.max(0, from)) * 3;
    const end = offset + (row * size + Math.min(size - 1, to)) * 3;
    for (let p = start; p <= end; p += 3) {
      image[p] = rgb[0];
      image[p + 1] = rgb[1];
      image[p + 2] = rgb[2];
    }
  };
  switch (shape) {
    case 'circle': {
      const r = Math.floor(Math.min(w, h) / 2);
      for (let dy = -r; dy <= r; dy++) {
        const dx = Math.floor(Math.sqrt(r * r - dy * dy));
        span(y + dy, x - dx, x + dx);
      }
      return;
    }
    case 'rectangle':
      for (let row = y; row <= y + h; row++) span(row, x, x + w);
      return;
    case 'triangle':
      for (let dy = 0; dy <= h; dy++) span(y + dy, x, x + hypotenuseReach(w, h, dy));
      return;
  }
}

/**
 * Last pixel (from x) of row dy of the triangle: where OpenCV's 8-connected hypotenuse from (x + w, y) to
 * (x, y + h) leaves that row. The exact edge is at w·(h − dy)/h; a steep edge (h ≥ w) has one pixel per
 * row, rounded half down; a shallow one ends its run of pixels half a row further on.
 */
function hypotenuseReach(w: number, h: number, dy: number): number {
  return w > h
    ? Math.min(w, Math.floor((w * (2 * (h - dy) + 1)) / (2 * h)))
    : Math.floor((2 * w * (h - dy) + h - 1) / (2 * h));
}

/** The labelled point of a shape (pixels), per the study: circle centre, rectangle centre, triangle quarter point. */
export function labelPoint(shape: ShapeName, box: ShapeBox): [number, number] {
  const { x, y, w, h } = box;
  switch (shape) {
    case 'circle':
      return [x, y];
    case 'rectangle':
      return [x + Math.floor(w / 2), y + Math.floor(h / 2)];
    case 'triangle':
      return [Math.floor(x + w / 4), Math.floor(y + h / 4)];
  }
}
