import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findInRepo } from './repo-paths.js';

// `mtl` as a whole process (the built bundle, as a user runs it) given careless input: every case
// answers at once with one line naming the problem and exit code 2, and never reaches for Redis.
const MTL = findInRepo('apps/cli/dist/main.js', 'pnpm build first');

function mtl(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [MTL, ...args], {
    env: { ...process.env, QUEUE_PREFIX: 'careless-input', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mtl-careless-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('careless input at the edges of mtl', () => {
  it.each([[['status', '*']], [['cancel', '../x']], [['retry', '../x', '--failed']], [['status', 'a b']]])(
    'mtl %j: one line saying it is not a sweep id, exit 2, no Redis asked',
    (args) => {
      // An unreachable Redis: were it asked, the verb would take 2.5 s and exit 1.
      const result = mtl(args, { REDIS_URL: 'redis://127.0.0.1:1' });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `mtl: ${JSON.stringify(args[1])} is not a sweep id (letters, digits, "-" and "_" only)\n`,
      );
    },
  );

  it.each(['garbage', 'http://x', 'redis://127.0.0.1:99999', 'redis://user:secret@h:70000'])(
    'REDIS_URL=%s: refused at once naming REDIS_URL, exit 2',
    (url) => {
      for (const verb of [['ls'], ['status'], ['sweep', findInRepo('examples/quick.yaml', 'examples')]]) {
        const result = mtl(verb, { REDIS_URL: url });
        expect(result.code, verb[0]).toBe(2);
        expect(result.stderr.split('\n')).toHaveLength(2); // one line and its newline
        expect(result.stderr).toMatch(/^mtl: REDIS_URL=".*": not a Redis URL/);
        expect(result.stderr).not.toContain('secret');
        expect(result.stderr).not.toContain('did not answer'); // refused before any connection
      }
    },
  );

  it('--redis garbage names the flag', () => {
    const result = mtl(['ls', '--redis', 'garbage']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^mtl: --redis="garbage": not a Redis URL/);
  });

  it('escapes control characters of a sweep name and description in --dry-run', async () => {
    const file = join(dir, 'hostile.yaml');
    await writeFile(
      file,
      [
        'name: "evil\\e[2J\\rname"',
        'description: "line\\u202eone\\x07"',
        'dataset: { samples: 40, imageSize: 96, test: 10, seed: 1 }',
        'search: grid',
        'parameters: { arch: mtl-seed }',
      ].join('\n'),
    );
    const result = mtl(['sweep', file, '--dry-run']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('(evil\\e[2J\\rname)');
    expect(result.stdout).toContain('line\\u202eone\\x07');
    for (const raw of ['\u001b', '\r', '\u0007', '\u202e']) expect(result.stdout).not.toContain(raw);
  });

  it('refuses a description longer than 2,000 characters with its field path, exit 2', async () => {
    const file = join(dir, 'long.yaml');
    await writeFile(
      file,
      [
        'name: long',
        `description: "${'x'.repeat(2_001)}"`,
        'dataset: { samples: 40, imageSize: 96, test: 10, seed: 1 }',
        'search: grid',
        'parameters: { arch: mtl-seed }',
      ].join('\n'),
    );
    const result = mtl(['sweep', file, '--dry-run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/long\.yaml:2: description: .*2000/);
  });
});
