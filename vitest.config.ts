import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the `source` export condition),
// so unit tests need no build. Integration tests spawn real workers and run `dist`.
const conditions = ['source', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['node'] } },
  test: {
    globals: false,
    restoreMocks: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            '{packages,apps}/*/src/**/*.test.ts',
            '{packages,apps}/*/test/**/*.test.ts',
            'test/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/*.deploy.test.ts', '**/node_modules/**', '**/dist/**'],
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['{packages,apps}/*/{src,test}/**/*.int.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          globalSetup: ['tooling/vitest/redis-global-setup.ts'],
          // Integration files spawn real CPU-bound workers: one file at a time keeps their timing sane on 2 cores.
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          // `pnpm test:deploy`: the image and compose stack on a real engine, workers on separate
          // network hosts. Needs root (dockerd, network namespaces); see the README's Scaling section.
          name: 'deploy',
          include: ['test/**/*.deploy.test.ts', '{packages,apps}/*/test/**/*.deploy.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          fileParallelism: false,
          testTimeout: 900_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
