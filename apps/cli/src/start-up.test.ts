import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modulesLoadedBy } from '../../../tooling/vitest/loaded-modules.js';

const program = pathToFileURL(new URL('../dist/program.js', import.meta.url).pathname).href;

// What `mtl --help` loads (the built program, as `mtl` runs it; `pnpm build` runs before the tests):
// the command tree with each verb's summary, none of the verbs' modules.
describe('mtl start-up', () => {
  it('builds the command tree without loading TF.js, BullMQ, Redis clients or any verb', async () => {
    const modules = await modulesLoadedBy([program], process.cwd());
    expect(modules.some((module) => module.endsWith('/apps/cli/dist/program.js'))).toBe(true);
    expect(
      modules.filter((module) => /@tensorflow|\/bullmq\/|\/ioredis\/|\/commands\//.test(module)),
    ).toEqual([]);
  });
});
