import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

// Resolve hooks run on their own thread (Node ≥ 20.6): each resolved URL is posted back to the main thread.
const HOOKS = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}`;

const SENTINEL = 'data:text/javascript,export{}';

const CHILD = `
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const urls = [];
const done = new Promise((resolve) => port1.on('message', (url) => (url === ${JSON.stringify(SENTINEL)} ? resolve() : urls.push(url))));
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}), import.meta.url, { data: { port: port2 }, transferList: [port2] });
for (const specifier of JSON.parse(process.argv[1])) await import(specifier);
await import(${JSON.stringify(SENTINEL)});
await done;
port1.close();
const required = Object.keys(createRequire(process.cwd() + '/').cache);
process.stdout.write(JSON.stringify([...urls, ...required]));
`;

/**
 * Every module a fresh Node process loads when it imports `specifiers` (built `dist`, as workers
 * run them) from `cwd`: ES module URLs as resolved, and CommonJS files in `require.cache`.
 */
export async function modulesLoadedBy(specifiers: readonly string[], cwd: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '--eval', CHILD, JSON.stringify(specifiers)],
    { cwd, maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as string[];
}
