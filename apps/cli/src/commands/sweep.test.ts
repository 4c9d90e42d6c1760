import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sweepPlanSchema } from '@repo/contracts';
import { loadSweepSpec, planSweep } from '@repo/sweep';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../errors.js';
import { run } from '../run.js';
import { captureOutput } from '../testing/capture-output.js';

const example = (name: string) => fileURLToPath(new URL(`../../../../examples/${name}`, import.meta.url));

let dir: string;
let stdout: string[];
let stderr: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtl-sweep-'));
  ({ stdout, stderr } = captureOutput());
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('mtl sweep --dry-run', () => {
  it('prints the study sweep and its six trials without Redis', async () => {
    expect(await run(['sweep', example('seed.yaml'), '--dry-run', '--redis', 'redis://127.0.0.1:1'])).toBe(
      ExitCode.ok,
    );
    const out = stdout.join('');
    const spec = await loadSweepSpec(example('seed.yaml'));
    expect(out).toContain(`sweep     ${planSweep(spec).sweepId} (seed-study)`);
    expect(out).toContain('grid: 2 configurations × 3 seeds = 6 trials');
    expect(out).toContain('128×128 px, train 2000 / val 500 / test 800');
    expect(out).toMatch(/constants .*batchSize=16.*earlyStopping\.patience=6/);
    const rows = out.split('\n').filter((line) => /^t\d{3} /.test(line));
    expect(rows).toEqual([
      't000   0     mtl-seed',
      't001   1     mtl-seed',
      't002   2     mtl-seed',
      't003   0     branches-seed',
      't004   1     branches-seed',
      't005   2     branches-seed',
    ]);
  });

  it('prints the same table twice (the plan is deterministic)', async () => {
    expect(await run(['sweep', example('quick.yaml'), '--dry-run'])).toBe(ExitCode.ok);
    const first = stdout.join('');
    stdout.length = 0;
    expect(await run(['sweep', example('quick.yaml'), '--dry-run'])).toBe(ExitCode.ok);
    expect(stdout.join('')).toBe(first);
    expect(first).toMatch(/trial +seed +arch +learningRate +dropout/);
    expect(first.split('\n').filter((line) => /^t\d{3} /.test(line))).toHaveLength(4);
  });

  it('a bad file exits 2 naming file, line, field and allowed values; nothing on stdout', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(
      file,
      'name: bad\ndataset: { samples: 10, seed: 1 }\nsearch: grid\nparameters:\n  arch: { values: [mtl-seed, vgg] }\n',
    );
    expect(await run(['sweep', file, '--dry-run'])).toBe(ExitCode.usage);
    expect(stderr.join('')).toContain(
      `mtl: ${file}:5: parameters.arch.values[1]: unknown architecture "vgg"; allowed: mtl-seed, branches-seed`,
    );
    expect(stdout.join('')).toBe('');
  });

  it('a bad loss weighting exits 2 naming each field and the allowed values', async () => {
    const file = join(dir, 'weighting.yaml');
    await writeFile(
      file,
      [
        'name: weighting',
        'dataset: { samples: 10, seed: 1 }',
        'search: grid',
        'parameters:',
        '  arch: { values: [mtl-seed, branches-seed] }',
        '  lossWeighting:',
        '    values:',
        '      - { kind: focal }',
        '      - { kind: dwa, temperature: 0 }',
        '      - { kind: static, weights: { position: 0, shape: 0, colour: 0 } }',
        '      - { kind: gradnorm }',
        '',
      ].join('\n'),
    );
    expect(await run(['sweep', file, '--dry-run'])).toBe(ExitCode.usage);
    const err = stderr.join('');
    expect(err).toContain(
      `${file}:8: parameters.lossWeighting.values[0]: kind: unknown kind; allowed: static, uncertainty, dwa, gradnorm`,
    );
    expect(err).toContain(`${file}:9: parameters.lossWeighting.values[1]: temperature: must be > 0`);
    expect(err).toContain(`${file}:10: parameters.lossWeighting.values[2]: weights: all weights are 0`);
    expect(err).toContain(
      `${file}:11: parameters.lossWeighting.values[3]: gradnorm balances gradients on a layer every head shares, and branches-seed shares none; allowed with branches-seed: static, uncertainty, dwa`,
    );
    expect(stdout.join('')).toBe('');
  });

  it('an objective of a head a single-task baseline lacks exits 2 at objective.metric; a fitting one plans', async () => {
    const file = join(dir, 'stl.yaml');
    const spec = (metric: string) =>
      [
        'name: stl',
        'dataset: { samples: 10, seed: 1, imageSize: 96 }',
        `objective: { metric: ${metric} }`,
        'search: grid',
        'parameters:',
        '  arch: { values: [mtl-seed, stl-shape] }',
        '',
      ].join('\n');
    await writeFile(file, spec('val_colour_acc'));
    expect(await run(['sweep', file, '--dry-run'])).toBe(ExitCode.usage);
    expect(stderr.join('')).toContain(
      `${file}:3: objective.metric: val_colour_acc is a metric of the colour head, which stl-shape lacks (it has shape)`,
    );
    expect(stdout.join('')).toBe('');
    await writeFile(file, spec('val_shape_acc'));
    expect(await run(['sweep', file, '--dry-run'])).toBe(ExitCode.ok);
    expect(stdout.join('')).toMatch(/^t001 .*stl-shape/m);
  });

  it('malformed YAML and a missing file exit 2', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'name: x\nparameters:\n  arch: [mtl-seed\n');
    expect(await run(['sweep', file, '--dry-run'])).toBe(ExitCode.usage);
    expect(stderr.join('')).toMatch(new RegExp(`${file}:\\d+: invalid YAML`));
    expect(await run(['sweep', join(dir, 'none.yaml'), '--dry-run'])).toBe(ExitCode.usage);
    expect(stderr.join('')).toMatch(/none\.yaml: cannot read the sweep spec: no such file/);
  });

  it('--help shows examples; a bad --prefix is a usage error', async () => {
    expect(await run(['sweep', '--help'])).toBe(ExitCode.ok);
    expect(stdout.join('')).toMatch(/Examples:\n {2}\$ mtl sweep examples\/quick\.yaml --dry-run/);
    expect(await run(['sweep', example('quick.yaml'), '--prefix', 'a:b'])).toBe(ExitCode.usage);
  });
});

describe('sweep plans and the pipeline contract', () => {
  it.each(['seed.yaml', 'quick.yaml'])('the plan of examples/%s is a valid SweepPlan', async (name) => {
    const plan = planSweep(await loadSweepSpec(example(name)));
    expect(sweepPlanSchema.parse(plan)).toEqual(plan);
  });
});
