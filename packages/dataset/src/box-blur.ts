/** Lane weights of a packed pixel: r + g·2^17 + b·2^34 in one float64 (integers are exact below 2^53). */
export const LANE_G = 2 ** 17;
export const LANE_B = 2 ** 34;
const G = LANE_G;
const B = LANE_B;
const INV_G = 2 ** -17;
const INV_B = 2 ** -34;

/**
 * Normalised box blur of a square RGB uint8 image, matching OpenCV's `cv2.blur(img, (k, k))`:
 * BORDER_REFLECT_101 edges (…, 2, 1 | 0, 1, 2, …) and the mean rounded to the nearest integer
 * (k² is odd, so a mean is never exactly half-way).
 *
 * Separable running sums, O(pixels) whatever the kernel size: a horizontal pass into row sums, then a
 * vertical pass over them. Both carry the three channels of a pixel packed in one float64, 17 bits
 * each (a window sum is at most 255·17² < 2^17), so adding and subtracting whole pixels is exact and
 * takes a third of the loads and stores of per-channel sums. Scratch buffers are kept between calls.
 */
/** Packs an RGB uint8 image (Shape: [n, 3]) into one float64 per pixel (Shape: [n]), as `BoxBlur` takes it. */
export function packPixels(rgb: Uint8Array): Float64Array {
  const packed = new Float64Array(rgb.length / 3);
  for (let i = 0; i < packed.length; i++) packed[i] = rgb[3 * i]! + rgb[3 * i + 1]! * G + rgb[3 * i + 2]! * B;
  return packed;
}

export class BoxBlur {
  readonly size: number;
  private readonly rowSums: Float64Array;
  private readonly columnSums: Float64Array;
  private readonly reflectTables = new Map<number, Int32Array>();

  constructor(size: number) {
    this.size = size;
    this.rowSums = new Float64Array(size * size);
    this.columnSums = new Float64Array(size);
  }

  /**
   * Blurs a packed image (`packPixels`; Shape: [size·size]) into `dst` at `dstOffset`
   * (Shape: [size, size, 3], uint8). `kernel` is odd, at most 17 (the lanes hold its sums) and its
   * radius below `size` (the reflected border exists).
   */
  apply(packed: Float64Array, dst: Uint8Array, dstOffset: number, kernel: number): void {
    const radius = (kernel - 1) >> 1;
    if (kernel % 2 !== 1 || kernel > 17 || radius >= this.size) {
      throw new RangeError(`box blur kernel ${kernel} does not fit an image of ${this.size}`);
    }
    const reflected = this.reflected(radius);
    this.horizontal(packed, radius, reflected);
    this.vertical(dst, dstOffset, kernel, reflected);
  }

  private horizontal(packed: Float64Array, radius: number, reflected: Int32Array): void {
    const { size, rowSums } = this;
    const span = 2 * radius;
    for (let row = 0; row < size * size; row += size) {
      let sum = 0;
      for (let i = 0; i <= span; i++) sum += packed[row + reflected[i]!]!;
      rowSums[row] = sum;
      for (let x = 1; x < size; x++) {
        sum += packed[row + reflected[x + span]!]! - packed[row + reflected[x - 1]!]!;
        rowSums[row + x] = sum;
      }
    }
  }

  private vertical(dst: Uint8Array, dstOffset: number, kernel: number, reflected: Int32Array): void {
    const { size, rowSums, columnSums } = this;
    const span = kernel - 1;
    const area = kernel * kernel;
    const inverse = 1 / area;
    // Adding area/2 before the truncating Uint8Array store rounds to nearest: sum/area is never
    // within 1/(2·area) of a half, far beyond float64 error.
    const half = area / 2;
    columnSums.fill(0);
    for (let i = 0; i <= span; i++) {
      const row = reflected[i]! * size;
      for (let x = 0; x < size; x++) columnSums[x]! += rowSums[row + x]!;
    }
    for (let y = 0; y < size; y++) {
      const out = dstOffset + y * size * 3;
      const enter = reflected[Math.min(y + 1, size - 1) + span]! * size;
      const leave = reflected[y]! * size;
      for (let x = 0; x < size; x++) {
        const sum = columnSums[x]!;
        const b = Math.floor(sum * INV_B);
        const rg = sum - b * B;
        const g = Math.floor(rg * INV_G);
        const r = rg - g * G;
        const p = out + x * 3;
        dst[p] = (r + half) * inverse;
        dst[p + 1] = (g + half) * inverse;
        dst[p + 2] = (b + half) * inverse;
        columnSums[x] = sum - rowSums[leave + x]! + rowSums[enter + x]!;
      }
    }
  }

  /** `table[i + radius]` = i reflected into [0, size) the BORDER_REFLECT_101 way, i in [−radius, size + radius). */
  private reflected(radius: number): Int32Array {
    let table = this.reflectTables.get(radius);
    if (table === undefined) {
      const { size } = this;
      table = new Int32Array(size + 2 * radius);
      for (let i = -radius; i < size + radius; i++) {
        table[i + radius] = i < 0 ? -i : i >= size ? 2 * size - 2 - i : i;
      }
      this.reflectTables.set(radius, table);
    }
    return table;
  }
}
