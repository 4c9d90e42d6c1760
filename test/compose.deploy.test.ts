import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freeLoopbackPort, trialJobId } from '@repo/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../tooling/vitest/processes.js';

// The image and the compose stack on a real Docker engine, as a user runs them: the engine started
// here when none answers, base images pulled or built locally (docker/base-images.sh), the image
// built, `up --scale trainer=2`, a sweep through the CLI service, one trainer SIGKILLed mid-trial,
// the reporter checked over HTTP, the stack brought down with its volumes.

const root = join(import.meta.dirname, '..');
const exec = promisify(execFile);
const IMAGE = 'mtl-sweeps:latest';
const project = `mtle2e${randomBytes(3).toString('hex')}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function sh(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  try {
    const { stdout } = await exec(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const { stderr = '', stdout = '' } = error as { stderr?: string; stdout?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout.slice(-2000)}\n${stderr.slice(-4000)}`);
  }
}

/** Polls `value` until it is defined; rejects naming `what` after `timeoutMs`. */
async function until<T>(value: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await value();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(1_000);
  }
}

type LogLine = Record<string, unknown>;
async function logsOf(container: string): Promise<LogLine[]> {
  const out = await sh('docker', ['logs', container]);
  return out.split('\n').flatMap((line) => {
    try {
      return [JSON.parse(line) as LogLine];
    } catch {
      return [];
    }
  });
}

describe('docker compose on a real engine', () => {
  let startedDockerd: number | undefined;
  let compose: string[] = [];
  let port = 0;
  let composeEnv: Record<string, string> = {};
  const timings: Record<string, number> = {};
  const timed = async <T>(what: string, step: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const result = await step();
    timings[what] = Math.round((Date.now() - started) / 1000);
    return result;
  };
  const dc = (...args: string[]) => sh(compose[0]!, [...compose.slice(1), ...args], composeEnv);

  beforeAll(async () => {
    const engine = await timed('engine', () => sh('bash', ['docker/ensure-engine.sh']));
    const started = /^started (\d+)$/m.exec(engine)?.[1];
    startedDockerd = started === undefined ? undefined : Number(started);
    await timed('base images', () => sh('bash', ['docker/base-images.sh']));
    const v2 = await sh('docker', ['compose', 'version']).then(
      () => true,
      () => false,
    );
    const files = ['-f', 'docker-compose.yml', '-f', 'test/compose/e2e.override.yml'];
    compose = v2
      ? ['docker', 'compose', '-p', project, ...files]
      : ['docker-compose', '-p', project, ...files];
    port = await freeLoopbackPort();
    composeEnv = { REPORTER_PORT: String(port) };
  });

  afterAll(async () => {
    try {
      if (compose.length > 0) {
        await dc('--profile', 'cli', 'down', '--volumes', '--remove-orphans', '--timeout', '10');
        const left = await sh('docker', ['volume', 'ls', '-q', '--filter', `name=${project}_`]);
        expect(left.trim(), 'volumes left after down --volumes').toBe('');
      }
    } finally {
      console.log(`compose e2e (${compose.slice(0, 2).join(' ')}), seconds per step:`, timings);
      if (startedDockerd !== undefined) {
        process.kill(startedDockerd, 'SIGTERM');
        await until(async () => (isAlive(startedDockerd!) ? undefined : true), 60_000, 'dockerd stops');
      }
    }
  });

  it('builds the image with the legacy builder: production files only, under 500 MB without libtensorflow', async () => {
    await timed('build (legacy builder)', () =>
      sh('docker', ['build', '--network', 'host', '-t', IMAGE, '.'], { DOCKER_BUILDKIT: '0' }),
    );
    const size = Number(await sh('docker', ['image', 'inspect', '-f', '{{.Size}}', IMAGE]));
    const listing = await sh('docker', [
      'run',
      '--rm',
      '--entrypoint',
      'sh',
      IMAGE,
      '-c',
      'ls node_modules/.pnpm; echo ---; find apps packages -maxdepth 2 -name src -o -maxdepth 2 -name test; echo ---; find / -xdev -name "libtensorflow*.so*" 2>/dev/null | head -n 1',
    ]);
    const [store = '', sources = '', native = ''] = listing.split('---\n');
    // playwright-core is not among them: apps/bench (`mtl-bench report`) drives Chromium with it at
    // run time (no browser is downloaded with it).
    for (const tool of ['vitest', '@biomejs', 'turbo', 'testcontainers', 'vite@']) {
      expect(store.split('\n').filter((dir) => dir.startsWith(tool))).toEqual([]);
    }
    expect(sources.trim()).toBe('');
    console.log(`image ${IMAGE}: ${(size / 1e6).toFixed(0)} MB, libtensorflow ${native.trim() || 'absent'}`);
    if (native.trim() === '') expect(size).toBeLessThanOrEqual(500e6);
  });

  it('builds the same Dockerfile with BuildKit', async () => {
    // BuildKit comes with buildx where it is installed, else with the engine's own client (Debian's
    // docker.io 20.10 has it built in; a newer CLI without buildx refuses DOCKER_BUILDKIT=1).
    const buildx = await sh('docker', ['buildx', 'version']).then(
      () => true,
      () => false,
    );
    const tag = 'mtl-sweeps:buildkit-check';
    const [client, ...build] = buildx
      ? ['docker', 'buildx', 'build', '--load']
      : [existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker', 'build'];
    await timed('build (BuildKit)', () =>
      sh(client!, [...build, '--network', 'host', '-t', tag, '.'], { DOCKER_BUILDKIT: '1' }),
    );
    const help = await sh('docker', ['run', '--rm', tag]);
    expect(help).toContain('Usage: mtl');
    await sh('docker', ['image', 'rm', tag]);
  });

  it('up --scale trainer=2: a sweep survives a SIGKILLed trainer, one run record per trial, the reporter serves it', async () => {
    await timed('up', () => dc('up', '--detach', '--no-build', '--scale', 'trainer=2'));
    const trainers = (await dc('ps', '-q', 'trainer')).trim().split('\n').filter(Boolean);
    expect(trainers).toHaveLength(2);

    const sweepId = (
      await timed('enqueue', () => dc('run', '--rm', '-T', 'mtl', 'sweep', '/specs/tiny.yaml'))
    )
      .trim()
      .split('\n')
      .at(-1)!;
    expect(sweepId).toMatch(/^[\w-]+$/);

    // A trainer that has finished an epoch of a trial, and not that trial yet, is killed.
    const { victim, jobId } = await timed('first epoch', () =>
      until(
        async () => {
          for (const container of trainers) {
            const lines = await logsOf(container);
            const epoch = lines.find((line) => line.msg === 'epoch done' && Number(line.epoch) <= 4);
            const ended = (id: unknown) =>
              lines.some((line) => line.jobId === id && line.msg === 'trial recorded');
            if (epoch && !ended(epoch.jobId)) return { victim: container, jobId: String(epoch.jobId) };
          }
          return undefined;
        },
        600_000,
        'a trainer finishes an epoch',
      ),
    );
    await sh('docker', ['kill', '--signal', 'KILL', victim]);
    const killed = await logsOf(victim);
    expect(killed.some((line) => line.jobId === jobId && line.msg === 'trial recorded')).toBe(false);
    const rescuer = trainers.find((container) => container !== victim)!;

    type Entry = { sweepId: string; state: string; done: number; failed: number; trials: number };
    const api = async <T>(path: string): Promise<T> => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(response.status, path).toBe(200);
      return (await response.json()) as T;
    };
    const entry = await timed('sweep after the kill', () =>
      until(
        async () => {
          const list = await api<Entry[]>('/api/sweeps').catch(() => []);
          const found = list.find((e) => e.sweepId === sweepId);
          return found && found.state !== 'queued' && found.state !== 'running' ? found : undefined;
        },
        600_000,
        'the sweep ends',
      ),
    );
    expect(entry).toMatchObject({ state: 'completed', trials: 2, done: 2, failed: 0 });

    const recorded = (await logsOf(rescuer)).find(
      (line) => line.msg === 'trial recorded' && line.jobId === jobId,
    );
    expect(recorded, `${jobId} recorded by the other trainer`).toBeDefined();
    expect(Number(recorded?.resumedEpochs)).toBeGreaterThanOrEqual(1);

    // What the artifacts volume holds, read by the image's own Node.
    const files = JSON.parse(
      await dc(
        'run',
        '--rm',
        '-T',
        '--entrypoint',
        'node',
        'mtl',
        '-e',
        `const fs = require('fs'); const dir = '/data/artifacts/sweeps/${sweepId}/trials';
         console.log(JSON.stringify(Object.fromEntries(fs.readdirSync(dir).map((t) => [t, {
           files: fs.readdirSync(dir + '/' + t).sort(),
           summary: JSON.parse(fs.readFileSync(dir + '/' + t + '/trial.json', 'utf8')).result,
         }]))));`,
      ),
    ) as Record<
      string,
      { files: string[]; summary: { trialId: string; epochs: number; resumedEpochs: number } }
    >;
    expect(Object.keys(files).sort()).toEqual(['t000', 't001']);
    for (const [trialId, trial] of Object.entries(files)) {
      expect(trial.files.filter((file) => file === 'run.json')).toHaveLength(1);
      expect(trial.files).not.toContain('checkpoint');
      expect(trial.summary.epochs).toBe(8);
      if (trialJobId(sweepId, trialId) === jobId)
        expect(trial.summary.resumedEpochs).toBeGreaterThanOrEqual(1);
    }

    const home = await fetch(`http://127.0.0.1:${port}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain(sweepId);
    const page = await fetch(`http://127.0.0.1:${port}/sweeps/${sweepId}`);
    expect(page.status).toBe(200);
    expect((await page.text()).match(/data-testid="leaderboard-row"/g)).toHaveLength(2);
    const summary = await api<{ runs: { rows: { trialId: string }[] } }>(`/api/sweeps/${sweepId}`);
    expect(summary.runs.rows.map((run) => run.trialId).sort()).toEqual(['t000', 't001']);
    const details = await api<{ runs: { trialId: string }[] }>(`/api/sweeps/${sweepId}/runs?page=1`);
    expect(details.runs.map((run) => run.trialId).sort()).toEqual(['t000', 't001']);
  });
});
