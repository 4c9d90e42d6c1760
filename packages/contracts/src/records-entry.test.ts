import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modulesLoadedBy } from '../../../tooling/vitest/loaded-modules.js';

const dist = (entry: string) => pathToFileURL(new URL(`../${entry}`, import.meta.url).pathname).href;
const bullmq = (modules: string[]) => modules.filter((module) => module.includes('/bullmq/'));

// The built entries, as `mtl ls` and `mtl status` load them (`pnpm build` runs before the tests).
describe('@repo/contracts/records', () => {
  it('loads in a fresh process without BullMQ', async () => {
    const modules = await modulesLoadedBy([dist('dist/records.js')], process.cwd());
    expect(modules.some((module) => module.includes('/packages/contracts/dist/sweep-status.js'))).toBe(true);
    expect(bullmq(modules)).toEqual([]);
  });

  it('sees BullMQ where it is loaded (the check can fail)', async () => {
    expect(bullmq(await modulesLoadedBy([dist('dist/index.js')], process.cwd())).length).toBeGreaterThan(0);
  });
});
