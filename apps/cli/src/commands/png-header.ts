import { open } from 'node:fs/promises';

/** The 8-byte signature every PNG file starts with. */
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Signature, then the first chunk: length (4), type `IHDR` (4), width (4), height (4). */
const HEADER_BYTES = SIGNATURE.length + 16;

/** What a PNG's IHDR chunk says of its size, read without decoding anything. */
export interface PngSize {
  width: number;
  height: number;
}

/**
 * Reads the width and height from a PNG's header (the IHDR chunk, which the format requires first),
 * 24 bytes whatever the file's size. Returns a reason instead when the file is not a PNG.
 */
export async function readPngSize(file: string): Promise<PngSize | { notPng: string }> {
  const handle = await open(file, 'r');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, HEADER_BYTES, 0);
    if (bytesRead < SIGNATURE.length || !header.subarray(0, SIGNATURE.length).equals(SIGNATURE))
      return { notPng: 'no PNG signature' };
    if (bytesRead < HEADER_BYTES || header.toString('latin1', 12, 16) !== 'IHDR')
      return { notPng: 'no IHDR chunk after the signature' };
    return { width: header.readUInt32BE(16), height: header.readUInt32BE(20) };
  } finally {
    await handle.close();
  }
}
