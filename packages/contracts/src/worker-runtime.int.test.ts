import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';

// The built package, as a worker app's main.js imports it (run `pnpm build` first).
const CONTRACTS = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('runWorkerApp', () => {
  it('logs why a worker could not start and exits 1', () => {
    const script = `
      import { parseEnv, runWorkerApp, workerEnvSchema } from ${JSON.stringify(CONTRACTS)};
      await runWorkerApp('mtl-test', () => parseEnv(workerEnvSchema, process.env), async () => {
        throw new Error('the sandbox did not load');
      });`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, REDIS_URL: inject('redisUrl'), LOG_LEVEL: 'info' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    const lines = result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.at(-1)).toMatchObject({
      level: 60,
      app: 'mtl-test',
      msg: 'mtl-test could not start',
      err: { message: 'the sandbox did not load' },
    });
  });
});
