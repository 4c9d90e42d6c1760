import { z } from 'zod';

const rate = z.number().min(0).lt(1);

/** How to size an architecture. Validated once with `architectureOptionsSchema`; typed everywhere after. */
export const architectureOptionsSchema = z.strictObject({
  /** Side of the square RGB input in pixels. Default 128 (the study's). */
  imageSize: z.int().min(8).max(1024).default(128),
  /** Multiplies every convolution's filters and every hidden dense layer's units (rounded, ≥ 1). Default 1. */
  widthMultiplier: z.number().positive().max(8).default(1),
  /**
   * Dropout of the classifier heads: a number scales the architecture's own rates (0 removes dropout,
   * 1 keeps the study's); `{ shape, colour }` sets the rates. Default: the architecture's rates.
   */
  dropout: z.union([z.number().min(0).max(1.4), z.strictObject({ shape: rate, colour: rate })]).optional(),
  /** Seed of the weight initialisers; absent: unseeded (Math.random). */
  seed: z.int().min(0).max(0xffff_ffff).optional(),
});

export type ArchitectureOptions = z.output<typeof architectureOptionsSchema>;
export type ArchitectureOptionsInput = z.input<typeof architectureOptionsSchema>;
