import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modulesLoadedBy } from '../../../tooling/vitest/loaded-modules.js';

const dist = (entry: string) => pathToFileURL(new URL(`../../${entry}`, import.meta.url).pathname).href;
const tensorflow = (modules: string[]) => modules.filter((module) => module.includes('@tensorflow'));

// The built packages, as workers and the CLI load them (`pnpm build` runs before the tests).
describe('TF.js stays out of planning', () => {
  it('@repo/sweep and @repo/contracts load in a fresh process without any @tensorflow module', async () => {
    const modules = await modulesLoadedBy(
      [dist('sweep/dist/index.js'), dist('contracts/dist/index.js'), dist('model/dist/config.js')],
      process.cwd(),
    );
    expect(modules.filter((module) => module.includes('/packages/sweep/dist/')).length).toBeGreaterThan(5);
    expect(modules.filter((module) => module.includes('/packages/contracts/dist/')).length).toBeGreaterThan(
      5,
    );
    expect(tensorflow(modules)).toEqual([]);
  });

  it('sees TF.js where it is loaded (the check can fail)', async () => {
    expect(
      tensorflow(await modulesLoadedBy([dist('model/dist/index.js')], process.cwd())).length,
    ).toBeGreaterThan(0);
  });
});
