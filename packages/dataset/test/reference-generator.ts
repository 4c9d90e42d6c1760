import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/**
 * A slow, literal transcription of the study's generator, written independently of the optimised
 * code so tests can compare the two image by image. Shape: images [S, S, 3] uint8.
 */
export function referenceBlur(src: Uint8Array, size: number, k: number): Uint8Array {
  const r = (k - 1) / 2;
  const reflect = (i: number) => (i < 0 ? -i : i >= size ? 2 * size - 2 - i : i);
  const out = new Uint8Array(src.length);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = -r; dy <= r; dy++) {
          for (let dx = -r; dx <= r; dx++) sum += src[(reflect(y + dy) * size + reflect(x + dx)) * 3 + c]!;
        }
        out[(y * size + x) * 3 + c] = Math.round(sum / (k * k));
      }
    }
  }
  return out;
}

export interface ReferenceSample {
  image: Uint8Array;
  kernel: number;
  shape: number;
  colour: number;
  box: { x: number; y: number; w: number; h: number };
  label: [number, number];
}

const KERNELS = [3, 5, 7, 9, 11, 13, 17];
const RGB = [
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
  [255, 255, 0],
  [255, 0, 255],
  [0, 255, 255],
];

export function referenceSample(rng: RandomGenerator, size: number): ReferenceSample {
  const bytes = new Uint8Array(size * size * 3);
  for (let i = 0; i < bytes.length; i += 4) {
    const word = rng.next() >>> 0;
    for (let j = 0; j < 4 && i + j < bytes.length; j++) bytes[i + j] = Math.floor(word / 256 ** j) % 256;
  }
  const kernel = KERNELS[uniformInt(rng, 0, 6)]!;
  const image = referenceBlur(bytes, size, kernel);
  const shape = uniformInt(rng, 0, 2);
  const colour = uniformInt(rng, 0, 5);
  const lo = Math.round((30 * size) / 128);
  const hi = Math.round((60 * size) / 128);
  const w = uniformInt(rng, lo, hi - 1);
  const h = uniformInt(rng, lo, hi - 1);
  const x = uniformInt(rng, Math.floor(w / 2), size - w - 1);
  const y = uniformInt(rng, Math.floor(h / 2), size - h - 1);
  const inside = (px: number, py: number): boolean => {
    if (shape === 0) {
      const radius = Math.floor(Math.min(w, h) / 2);
      return (px - x) ** 2 + (py - y) ** 2 <= radius ** 2;
    }
    if (shape === 1) return px >= x && px <= x + w && py >= y && py <= y + h;
    // OpenCV's hypotenuse (checked against cv2.fillPoly): steep edges round half down, shallow ones
    // run half a row further.
    const dy = py - y;
    const reach =
      w > h
        ? Math.min(w, Math.floor((w * (2 * (h - dy) + 1)) / (2 * h)))
        : Math.floor((2 * w * (h - dy) + h - 1) / (2 * h));
    return px >= x && py >= y && py <= y + h && px - x <= reach;
  };
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      if (inside(px, py)) image.set(RGB[colour]!, (py * size + px) * 3);
    }
  }
  const label: [number, number] =
    shape === 0
      ? [x, y]
      : shape === 1
        ? [x + Math.floor(w / 2), y + Math.floor(h / 2)]
        : [Math.floor(x + w / 4), Math.floor(y + h / 4)];
  return { image, kernel, shape, colour, box: { x, y, w, h }, label };
}
