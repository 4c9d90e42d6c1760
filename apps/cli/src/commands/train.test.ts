import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunRecord } from '@repo/metrics';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../errors.js';
import { run } from '../run.js';
import { captureOutput } from '../testing/capture-output.js';

let dir: string;
let stdout: string[];
let stderr: string[];

/** A small, fast trial: mtl-seed at a quarter of its width, two epochs. */
const trainArgs = (out: string, ...extra: string[]) => [
  'train',
  ...['--data', join(dir, 'ds'), '--out', out, '--width', '0.25', '--epochs', '2', '--batch', '8'],
  ...extra,
];

function capture() {
  ({ stdout, stderr } = captureOutput());
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtl-train-cli-'));
  capture();
  const generate = ['generate', '--samples', '20', '--seed', '4', '--test', '6'];
  expect(await run([...generate, '--out', join(dir, 'ds')])).toBe(ExitCode.ok);
});
afterAll(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('mtl train', () => {
  it('trains, fine-tunes, evaluates on the test split and records the run', async () => {
    capture();
    const out = join(dir, 'run');
    expect(await run(trainArgs(out, '--fine-tune-epochs', '1', '--seed', '3'))).toBe(ExitCode.ok);
    // The trainer's trial layout (one runner for both), plus a confusion.txt to read in a terminal.
    expect((await readdir(out)).sort()).toEqual([
      'confusion.json',
      'confusion.txt',
      'history.json',
      'model',
      'predictions.json',
      'run.json',
    ]);
    const history = JSON.parse(await readFile(join(out, 'history.json'), 'utf8'));
    expect(history.train).toHaveLength(2);
    expect(history.fineTune).toHaveLength(1);
    const record = parseRunRecord(JSON.parse(await readFile(join(out, 'run.json'), 'utf8')), 'run.json');
    expect(record.status).toBe('completed');
    if (record.status !== 'completed') return;
    expect(record.test.position?.count).toBe(6);
    expect(record.test.shape?.confusion.flat().reduce((a, b) => a + b)).toBe(6);
    expect(record.config).toMatchObject({ arch: 'mtl-seed', widthMultiplier: 0.25, epochs: 2 });
    // Recorded as the trainer records a sweep's trial: the seed beside the config, the generator's version.
    expect(record.seed).toBe(3);
    expect(record.config).not.toHaveProperty('seed');
    expect(record.packages['@repo/dataset generator']).toMatch(/\S/);
    expect(record.modelPath).toBe('model');
    expect(record.history).toEqual(history.train);
    expect(record.fineTuneHistory).toEqual(history.fineTune);
    expect(record.packages['@tensorflow/tfjs-core']).toMatch(/^\d+\.\d+\.\d+/);
    expect(await readFile(join(out, 'confusion.txt'), 'utf8')).toMatch(/shape \(test split\)\n.*circle/);
    // --threads defaults to every CPU; wasm's pool holds at most 8 (tensorflow records none).
    const threads = record.backend === 'wasm' ? Math.min(availableParallelism(), 8) : undefined;
    expect(record.threads).toBe(record.backend === 'cpu' ? 1 : threads);
    const note = record.threads === undefined ? '' : ` \\(${record.threads} threads?\\)`;
    expect(stderr.join('')).toMatch(
      new RegExp(`training mtl-seed \\([\\d,]+ params\\) on \\w+${note}: 16 train, 4 val images`),
    );
    expect(stdout.join('')).toMatch(
      /test \(6 images\): shape [\d.]+ %, colour [\d.]+ %, position MAE [\d.]+ px/,
    );

    expect(await run(trainArgs(out))).toBe(ExitCode.usage);
    expect(stderr.join('')).toMatch(/already holds a finished run/);
  });

  it('trains a single-task baseline and prints, records and tabulates only its head', async () => {
    capture();
    const out = join(dir, 'stl');
    expect(await run(trainArgs(out, '--arch', 'stl-colour', '--epochs', '1'))).toBe(ExitCode.ok);
    const printed = stdout.join('');
    expect(printed).toMatch(
      /^stl-colour: best epoch 1 of 1\ntest \(6 images\): colour [\d.]+ %\nrun written to /,
    );
    expect(printed).not.toMatch(/shape|position/);
    expect(stderr.join('')).toMatch(/train epoch 1\/1 .* val colour [\d.]+ % {2}best 1/);
    expect(stderr.join('')).not.toContain('NaN');
    const confusion = await readFile(join(out, 'confusion.txt'), 'utf8');
    expect(confusion).toMatch(/^colour \(test split\)\n/);
    expect(confusion).not.toContain('shape');
    const record = parseRunRecord(JSON.parse(await readFile(join(out, 'run.json'), 'utf8')), 'run.json');
    expect(record.status === 'completed' && Object.keys(record.test).sort()).toEqual(['colour', 'imageSize']);
    // Refused before training, naming the field, like a sweep's trial.
    expect(await run(trainArgs(join(dir, 'stl-ft'), '--arch', 'stl-colour', '--fine-tune'))).toBe(
      ExitCode.usage,
    );
    expect(stderr.join('')).toMatch(/fineTune: stl-colour has only colour/);
  });

  it('reads a YAML trial config, flags override it, and a bad key is named', async () => {
    capture();
    const config = join(dir, 'trial.yaml');
    await writeFile(config, 'arch: mtl-seed\nlearningRate: 0.002\nepochs: 5\nbogus: 1\n');
    expect(await run(trainArgs(join(dir, 'bad'), '--config', config))).toBe(ExitCode.usage);
    expect(stderr.join('')).toMatch(/invalid trial config: bogus/);

    await writeFile(config, 'arch: mtl-seed\nlearningRate: 0.002\nepochs: 5\n');
    expect(await run(trainArgs(join(dir, 'yaml'), '--config', config, '--epochs', '1'))).toBe(ExitCode.ok);
    const record = JSON.parse(await readFile(join(dir, 'yaml', 'run.json'), 'utf8'));
    expect(record.history).toHaveLength(1);
    expect(record.config).toMatchObject({ learningRate: 0.002, epochs: 1 });
  });

  it('rejects a config file that is not a mapping', async () => {
    capture();
    const config = join(dir, 'list.yaml');
    await writeFile(config, '- 1\n- 2\n');
    expect(await run(trainArgs(join(dir, 'list'), '--config', config))).toBe(ExitCode.usage);
    expect(stderr.join('')).toContain(`--config ${config}: expected a mapping`);
  });
});
