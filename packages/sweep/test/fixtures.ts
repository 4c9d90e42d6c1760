import { stringify } from 'yaml';
import { SweepSpecError } from '../src/errors.js';
import { parseSweepSpec } from '../src/parse-sweep-spec.js';

/** A small valid sweep file (as parsed YAML) for tests to vary. */
export function baseFile(): Record<string, unknown> {
  return {
    name: 'test sweep',
    dataset: { samples: 100, imageSize: 128, test: 20, seed: 3, shardSize: 50 },
    search: 'grid',
    parameters: {
      arch: { values: ['mtl-seed', 'branches-seed'] },
      learningRate: { values: [0.001, 0.0003] },
      batchSize: 16,
      epochs: 3,
    },
  };
}

/** The base file with `changes` merged in at the top level, as YAML text. */
export function yamlWith(changes: Record<string, unknown>): string {
  return stringify({ ...baseFile(), ...changes });
}

/** The base file's parameters with `changes` merged in. */
export function parametersWith(changes: Record<string, unknown>): Record<string, unknown> {
  return { ...(baseFile().parameters as Record<string, unknown>), ...changes };
}

/** The SweepSpecError parsing `text` (as `bad.yaml`) throws; fails the test when it parses. */
export function specRefusal(text: string): SweepSpecError {
  try {
    parseSweepSpec(text, 'bad.yaml');
  } catch (error) {
    if (error instanceof SweepSpecError) return error;
    throw error;
  }
  throw new Error('expected a SweepSpecError');
}
