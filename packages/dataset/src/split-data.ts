/**
 * One split held in memory as the shards store it: images stay uint8 (a 128×128 image is 48 KiB),
 * so a 3,300-image protocol fits in ~160 MiB.
 */
export interface SplitData {
  readonly imageSize: number;
  readonly count: number;
  /** Shape: [count, H, W, 3], row-major (HWC), uint8. */
  readonly images: Uint8Array;
  /** Shape: [count, 2], (x, y) in pixels. */
  readonly positions: Float32Array;
  /** Shape: [count], index into SHAPES. */
  readonly shapes: Uint8Array;
  /** Shape: [count], index into COLOURS. */
  readonly colours: Uint8Array;
}

/** A training batch, normalised for the network. */
export interface Batch {
  readonly count: number;
  /** Shape: [count, H, W, 3], values in [0, 1]. */
  readonly images: Float32Array;
  /** Shape: [count, 2], (x, y) ÷ image size. */
  readonly positions: Float32Array;
  /** Shape: [count]. */
  readonly shapes: Int32Array;
  /** Shape: [count]. */
  readonly colours: Int32Array;
}
