import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../errors.js';
import { run } from '../run.js';

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
  stdout = [];
  stderr = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
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
  it('trains, fine-tunes and saves a model, its history and a summary', async () => {
    capture();
    const out = join(dir, 'run');
    expect(await run(trainArgs(out, '--fine-tune-epochs', '1', '--seed', '3'))).toBe(ExitCode.ok);
    expect((await readdir(out)).sort()).toEqual(
      expect.arrayContaining(['fine-tune-history.json', 'history.json', 'model']),
    );
    const history = JSON.parse(await readFile(join(out, 'history.json'), 'utf8'));
    expect(history).toHaveLength(2);
    expect(Object.keys(history[0].val)).toContain('shape_acc');
    expect(stderr.join('')).toMatch(/training mtl-seed \([\d,]+ params\) on \w+: 16 train, 4 val images/);
    expect(stdout.join('')).toMatch(/best epoch \d of 2/);
  });

  it('reads a YAML trial config, flags override it, and a bad key is named', async () => {
    capture();
    const config = join(dir, 'trial.yaml');
    await writeFile(config, 'arch: mtl-seed\nlearningRate: 0.002\nepochs: 5\nbogus: 1\n');
    expect(await run(trainArgs(join(dir, 'bad'), '--config', config))).toBe(ExitCode.usage);
    expect(stderr.join('')).toMatch(/invalid trial config: bogus/);

    await writeFile(config, 'arch: mtl-seed\nlearningRate: 0.002\nepochs: 5\n');
    expect(await run(trainArgs(join(dir, 'yaml'), '--config', config, '--epochs', '1'))).toBe(ExitCode.ok);
    const history = JSON.parse(await readFile(join(dir, 'yaml', 'history.json'), 'utf8'));
    expect(history).toHaveLength(1);
  });

  it('rejects a config file that is not a mapping', async () => {
    capture();
    const config = join(dir, 'list.yaml');
    await writeFile(config, '- 1\n- 2\n');
    expect(await run(trainArgs(join(dir, 'list'), '--config', config))).toBe(ExitCode.usage);
    expect(stderr.join('')).toContain(`--config ${config}: expected a mapping`);
  });
});
