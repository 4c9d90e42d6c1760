import { defineConfig } from 'rolldown';

// `mtl` as one entry file plus a chunk per verb, so that starting it reads a few files instead of
// hundreds (`mtl --help`, `ls`, `status`, `sweep --dry-run`: README, Performance). The bundle
// replaces tsc's dist/main.js, its input; the rest of dist stays for the subpath exports that
// `@repo/bench` imports. Left out, loaded from node_modules as they are: TF.js and the model package
// (only `train` and `predict` load them), the report pages (they find their assets beside their module).
const FILENAME_SHIM =
  "import { fileURLToPath as __mtlFileURLToPath } from 'node:url';\n" +
  'const __filename = __mtlFileURLToPath(import.meta.url);';

export default defineConfig({
  input: 'dist/main.js',
  platform: 'node',
  external: [/^node:/, /^@tensorflow\//, /^@repo\/model$/, /^@repo\/report-view(\/|$)/],
  output: {
    dir: 'dist',
    entryFileNames: 'main.js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    // Bundled CommonJS dependencies (write-file-atomic names its temporary files after
    // __filename) read CommonJS's module variables, which ES modules lack.
    banner: FILENAME_SHIM,
  },
  logLevel: 'warn',
});
