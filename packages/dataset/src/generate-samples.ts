import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { BoxBlur, LANE_B, LANE_G } from './box-blur.js';
import { drawShape, labelPoint } from './draw-shape.js';
import { COLOUR_RGB, COLOURS, SHAPES } from './labels.js';
import type { SplitData } from './split-data.js';

/** Background blur kernels of the study, one drawn per image (not scaled with image size). */
export const BLUR_KERNELS = [3, 5, 7, 9, 11, 13, 17] as const;

/** Object width/height range [min, max) in pixels: the study's [30, 60) at 128, scaled linearly. */
export function objectSizeRange(imageSize: number): { min: number; max: number } {
  return { min: Math.round((30 * imageSize) / 128), max: Math.round((60 * imageSize) / 128) };
}

/** Arrays `generateSamples` fills, reusable across calls: first-touching fresh memory costs more than drawing. */
export interface SampleBuffers {
  readonly images: Uint8Array;
  readonly positions: Float32Array;
  readonly shapes: Uint8Array;
  readonly colours: Uint8Array;
}

/** Buffers for up to `capacity` images of side `imageSize`. */
export function allocateSamples(imageSize: number, capacity: number): SampleBuffers {
  return {
    images: new Uint8Array(capacity * imageSize * imageSize * 3),
    positions: new Float32Array(capacity * 2),
    shapes: new Uint8Array(capacity),
    colours: new Uint8Array(capacity),
  };
}

/**
 * Draws `count` images from `rng`, into `buffers` when given (the result views their first `count`
 * images) or into fresh arrays. Per image, in this order (the order is part of GENERATOR_VERSION):
 * background bytes (⌈S·S·3/4⌉ 32-bit words, each split into 4 bytes, low byte first), blur kernel,
 * shape, colour, w, h, x ∈ [⌊w/2⌋, S−w), y ∈ [⌊h/2⌋, S−h).
 */
export function generateSamples(
  rng: RandomGenerator,
  imageSize: number,
  count: number,
  buffers: SampleBuffers = allocateSamples(imageSize, count),
): SplitData {
  const pixels = imageSize * imageSize * 3;
  if (buffers.shapes.length < count)
    throw new RangeError(`buffers hold ${buffers.shapes.length} images, not ${count}`);
  const images = buffers.images.subarray(0, count * pixels);
  const positions = buffers.positions.subarray(0, count * 2);
  const shapes = buffers.shapes.subarray(0, count);
  const colours = buffers.colours.subarray(0, count);
  const noise = new Float64Array(imageSize * imageSize);
  const blur = new BoxBlur(imageSize);
  const sizes = objectSizeRange(imageSize);

  for (let i = 0; i < count; i++) {
    fillPackedNoise(rng, noise);
    blur.apply(noise, images, i * pixels, BLUR_KERNELS[uniformInt(rng, 0, BLUR_KERNELS.length - 1)]!);
    const shapeIndex = uniformInt(rng, 0, SHAPES.length - 1);
    const colourIndex = uniformInt(rng, 0, COLOURS.length - 1);
    const w = uniformInt(rng, sizes.min, sizes.max - 1);
    const h = uniformInt(rng, sizes.min, sizes.max - 1);
    const x = uniformInt(rng, w >> 1, imageSize - w - 1);
    const y = uniformInt(rng, h >> 1, imageSize - h - 1);
    const shape = SHAPES[shapeIndex]!;
    const box = { x, y, w, h };
    drawShape(images, i * pixels, imageSize, shape, COLOUR_RGB[COLOURS[colourIndex]!], box);
    const [px, py] = labelPoint(shape, box);
    positions[2 * i] = px;
    positions[2 * i + 1] = py;
    shapes[i] = shapeIndex;
    colours[i] = colourIndex;
  }
  return { imageSize, count, images, positions, shapes, colours };
}

/**
 * Uniform random background bytes, packed per pixel for `BoxBlur`. The byte stream is the generator's
 * 32-bit words, low byte first, taken 3 bytes per pixel in row-major RGB order: 3 words make 4 pixels.
 * Drawing whole words (not one call per byte) and packing straight from them keeps this cheap.
 */
function fillPackedNoise(rng: RandomGenerator, packed: Float64Array): void {
  const groups = packed.length >> 2;
  let p = 0;
  for (let k = 0; k < groups; k++, p += 4) {
    const a = rng.next();
    const b = rng.next();
    const c = rng.next();
    packed[p] = (a & 255) + ((a >>> 8) & 255) * LANE_G + ((a >>> 16) & 255) * LANE_B;
    packed[p + 1] = (a >>> 24) + (b & 255) * LANE_G + ((b >>> 8) & 255) * LANE_B;
    packed[p + 2] = ((b >>> 16) & 255) + (b >>> 24) * LANE_G + (c & 255) * LANE_B;
    packed[p + 3] = ((c >>> 8) & 255) + ((c >>> 16) & 255) * LANE_G + (c >>> 24) * LANE_B;
  }
  if (p < packed.length) {
    // Images with an odd side: the last 1–3 pixels take their bytes from up to 3 more words.
    const tail = new Uint8Array(4 * 3);
    for (let i = 0; i < (packed.length - p) * 3; i += 4) {
      const word = rng.next();
      for (let j = 0; j < 4; j++) tail[i + j] = word >>> (8 * j);
    }
    for (let i = 0; p < packed.length; i += 3, p++)
      packed[p] = tail[i]! + tail[i + 1]! * LANE_G + tail[i + 2]! * LANE_B;
  }
}
