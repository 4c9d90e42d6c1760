import { defineConfig } from 'rolldown';

// `mtl` as one entry file plus a chunk per verb, so that starting it reads a few files instead of
// hundreds (`mtl --help`, `ls`, `status`, `sweep --dry-run` in ≤ 0.3 s: README, Performance).
// Left out, loaded from node_modules as they are: TF.js and the model package (only `train`,
// `predict` load them), the report pages (their assets are found next to their own module).
export default defineConfig({
  input: 'dist/main.js',
  platform: 'node',
  external: [/^node:/, /^@tensorflow\//, /^@repo\/model$/, /^@repo\/report-view(\/|$)/],
  output: { dir: 'dist', entryFileNames: 'mtl.js', chunkFileNames: 'chunks/[name]-[hash].js' },
  logLevel: 'warn',
});
