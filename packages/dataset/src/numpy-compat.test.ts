import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetSpecSchema } from './dataset-spec.js';
import { generateSplit } from './generate-split.js';
import { writeDataset } from './shard-writer.js';

/** The first of these that imports NumPy. Shards must load in NumPy alone, so no NumPy is a failure, not a skip. */
function pythonWithNumpy(): string {
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0) return python;
  }
  throw new Error(
    'no python3 with NumPy (tried `python3` and /usr/bin/python3): install python3-numpy (`pnpm test` does, as root)',
  );
}

// Reads the dataset the way a Python user would: json + hashlib + numpy.load, nothing of ours.
const SCRIPT = `
import hashlib, json, os, sys
import numpy as np
root = sys.argv[1]
manifest = json.load(open(os.path.join(root, 'manifest.json')))
out = {'labels': manifest['labels'], 'splits': {}}
for split, info in manifest['splits'].items():
    arrays = {}
    for name in ('images', 'positions', 'shapes', 'colours'):
        parts = []
        for shard in info['shards']:
            entry = shard['files'][name]
            path = os.path.join(root, entry['file'])
            assert hashlib.sha256(open(path, 'rb').read()).hexdigest() == entry['sha256'], path
            parts.append(np.load(path))
        arrays[name] = np.concatenate(parts)
    images = arrays['images']
    out['splits'][split] = {
        'count': info['count'],
        'dtypes': {k: str(v.dtype) for k, v in arrays.items()},
        'shapes': {k: list(v.shape) for k, v in arrays.items()},
        'imageSum': int(images.astype(np.int64).sum()),
        'firstPixels': images[0, :2, :2, :].reshape(-1).tolist(),
        'positions': arrays['positions'].tolist(),
        'shapeLabels': arrays['shapes'].tolist(),
        'colourLabels': arrays['colours'].tolist(),
    }
print(json.dumps(out))
`;

const spec = datasetSpecSchema.parse({ imageSize: 24, samples: 30, test: 10, shardSize: 7, seed: 2024 });
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtl-numpy-'));
  await writeDataset(spec, dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('shards in NumPy', () => {
  it('load with numpy.load alone, with the shapes, dtypes and values we generated', () => {
    const python = pythonWithNumpy();
    const result = JSON.parse(execFileSync(python, ['-c', SCRIPT, dir], { encoding: 'utf8' }));
    expect(result.labels.shapes).toEqual(['circle', 'rectangle', 'triangle']);
    for (const split of ['train', 'val', 'test'] as const) {
      const made = generateSplit(spec, split);
      const got = result.splits[split];
      expect(got.count).toBe(made.count);
      expect(got.dtypes).toEqual({
        images: 'uint8',
        positions: 'float32',
        shapes: 'uint8',
        colours: 'uint8',
      });
      expect(got.shapes).toEqual({
        images: [made.count, 24, 24, 3],
        positions: [made.count, 2],
        shapes: [made.count],
        colours: [made.count],
      });
      expect(got.imageSum).toBe(made.images.reduce((sum, v) => sum + v, 0));
      const firstPixels = [0, 1, 24, 25].flatMap((p) => Array.from(made.images.subarray(p * 3, p * 3 + 3)));
      expect(got.firstPixels).toEqual(firstPixels);
      expect(got.positions.flat()).toEqual(Array.from(made.positions));
      expect(got.shapeLabels).toEqual(Array.from(made.shapes));
      expect(got.colourLabels).toEqual(Array.from(made.colours));
    }
  });
});
