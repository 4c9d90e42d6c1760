import { ShardCorruptedError } from './errors.js';

/** NumPy dtype strings of the arrays we store: uint8 and little-endian float32. */
export type NpyDtype = '|u1' | '<f4';

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

/** A `.npy` version 1.0 header (magic, version, length, dict), padded to 64 bytes as NumPy writes it. */
export function npyHeader(dtype: NpyDtype, shape: readonly number[]): Buffer {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  const dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${dims}), }`;
  const unpadded = MAGIC.length + 2 + 2 + dict.length + 1;
  const padding = (64 - (unpadded % 64)) % 64;
  const text = `${dict}${' '.repeat(padding)}\n`;
  const header = Buffer.alloc(MAGIC.length + 4 + text.length);
  MAGIC.copy(header, 0);
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(text.length, 8);
  header.write(text, 10, 'latin1');
  return header;
}

export interface NpyLayout {
  readonly dtype: string;
  readonly shape: number[];
  /** Byte offset where the array data starts. */
  readonly dataOffset: number;
}

/** Reads the header of a `.npy` file (versions 1–3, C order only); `file` names it in errors. */
export function parseNpyHeader(bytes: Uint8Array, file: string): NpyLayout {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC)) {
    throw new ShardCorruptedError(file, 'not a .npy file (bad magic)');
  }
  const major = buf[6];
  const lengthBytes = major === 1 ? 2 : 4;
  if (major !== 1 && major !== 2 && major !== 3) {
    throw new ShardCorruptedError(file, `unsupported .npy version ${major}`);
  }
  const headerLength = lengthBytes === 2 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const dataOffset = 8 + lengthBytes + headerLength;
  if (buf.length < dataOffset) throw new ShardCorruptedError(file, '.npy header is truncated');
  const text = buf.toString(major === 3 ? 'utf8' : 'latin1', 8 + lengthBytes, dataOffset);
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text)?.[1];
  const dims = /'shape'\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || dims === undefined) {
    throw new ShardCorruptedError(file, `unreadable .npy header ${JSON.stringify(text.trim())}`);
  }
  if (fortran === 'True') throw new ShardCorruptedError(file, 'Fortran-ordered arrays are not supported');
  const shape = dims
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '')
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ShardCorruptedError(file, `bad .npy shape (${dims})`);
  }
  return { dtype: descr, shape, dataOffset };
}
