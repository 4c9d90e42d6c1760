import pixelFonts from 'js-pixel-fonts';
import { PNG } from 'pngjs';
import { COLOURS, SHAPES } from './labels.js';
import type { SplitData } from './split-data.js';

/** Options of `renderPreview`. */
export interface PreviewOptions {
  /** Samples shown, from the first. Default 10 (fewer if the split is smaller). */
  count?: number;
  /** Cells per row. Default 5. */
  columns?: number;
  /** Screen pixels per image pixel. Default: the whole number bringing an image nearest 256 px (2 at 128). */
  scale?: number;
}

const PAD = 8;
const TEXT_SCALE = 2;
const LINE = 10 * TEXT_SCALE;
const BLACK = [0, 0, 0] as const;
const WHITE = [255, 255, 255] as const;

/**
 * A PNG grid of samples like the study's plots: each image with its labelled point marked by a dot
 * (black, white ring) and a caption "shape colour" / "(x, y)" underneath. Text uses a bitmap font
 * bundled as data, so it renders the same anywhere, with no system fonts.
 */
export function renderPreview(split: SplitData, options: PreviewOptions = {}): Buffer {
  const count = Math.min(options.count ?? 10, split.count);
  const columns = Math.max(1, Math.min(options.columns ?? 5, count));
  const scale = options.scale ?? Math.max(1, Math.round(256 / split.imageSize));
  if (count < 1) throw new RangeError('nothing to preview: the split is empty');
  const side = split.imageSize * scale;
  const cellW = side + PAD;
  const cellH = side + PAD + 2 * LINE + PAD;
  const rows = Math.ceil(count / columns);
  const png = new PNG({ width: PAD + columns * cellW, height: PAD + rows * cellH });
  png.data.fill(255);

  for (let i = 0; i < count; i++) {
    const left = PAD + (i % columns) * cellW;
    const top = PAD + Math.floor(i / columns) * cellH;
    blitImage(png, split, i, left, top, scale);
    const x = split.positions[2 * i]!;
    const y = split.positions[2 * i + 1]!;
    const cx = left + Math.round((x + 0.5) * scale);
    const cy = top + Math.round((y + 0.5) * scale);
    disc(png, cx, cy, 5, WHITE);
    disc(png, cx, cy, 3, BLACK);
    const caption = `${SHAPES[split.shapes[i]!]} ${COLOURS[split.colours[i]!]}`;
    text(png, caption, left, top + side + PAD / 2);
    text(png, `(${x}, ${y})`, left, top + side + PAD / 2 + LINE);
  }
  return PNG.sync.write(png);
}

function blitImage(
  png: PNG,
  split: SplitData,
  index: number,
  left: number,
  top: number,
  scale: number,
): void {
  const size = split.imageSize;
  const base = index * size * size * 3;
  for (let y = 0; y < size * scale; y++) {
    for (let x = 0; x < size * scale; x++) {
      const src = base + (Math.floor(y / scale) * size + Math.floor(x / scale)) * 3;
      setPixel(png, left + x, top + y, [split.images[src]!, split.images[src + 1]!, split.images[src + 2]!]);
    }
  }
}

function disc(png: PNG, cx: number, cy: number, radius: number, rgb: readonly number[]): void {
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      if (dx * dx + dy * dy <= radius * radius) setPixel(png, cx + dx, cy + dy, rgb);
    }
  }
}

function text(png: PNG, value: string, left: number, top: number): void {
  pixelFonts.renderPixels(value, pixelFonts.fonts.sevenPlus).forEach((row, y) => {
    row.forEach((on, x) => {
      if (!on) return;
      for (let j = 0; j < TEXT_SCALE; j++) {
        for (let i = 0; i < TEXT_SCALE; i++)
          setPixel(png, left + x * TEXT_SCALE + i, top + y * TEXT_SCALE + j, BLACK);
      }
    });
  });
}

function setPixel(png: PNG, x: number, y: number, rgb: readonly number[]): void {
  if (x < 0 || y < 0 || x >= png.width || y >= png.height) return;
  const at = (y * png.width + x) * 4;
  png.data[at] = rgb[0]!;
  png.data[at + 1] = rgb[1]!;
  png.data[at + 2] = rgb[2]!;
  png.data[at + 3] = 255;
}
