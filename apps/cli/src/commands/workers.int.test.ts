import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { isAlive } from '../../../../tooling/vitest/processes.js';
import { deleteQueuePrefix } from '../../../../tooling/vitest/queue-prefix.js';

const CLI = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

describe('mtl workers (real Redis, real worker processes)', () => {
  const prefix = `test-${randomUUID()}`;
  const started: number[] = [];

  afterEach(async () => {
    for (const pid of started) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    await deleteQueuePrefix(inject('redisUrl'), prefix);
  });

  it('its workers shut down when mtl itself is killed with SIGKILL (no orphans)', async () => {
    const mtl = spawn(process.execPath, [CLI, 'workers', '--trainers', '1', '--no-reporter'], {
      env: { ...process.env, REDIS_URL: inject('redisUrl'), QUEUE_PREFIX: prefix },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    for (const stream of [mtl.stdout, mtl.stderr]) {
      stream?.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
      });
    }
    for (let i = 0; i < 600 && (output.match(/"msg":"mtl-[a-z]+ ready"/g) ?? []).length < 2; i++)
      await sleep(100);
    expect((output.match(/"msg":"mtl-[a-z]+ ready"/g) ?? []).length, output).toBe(2);
    const pids = (/\(pids ([\d ]+)\)/.exec(output)?.[1] ?? '').split(' ').map(Number);
    expect(pids).toHaveLength(2);
    started.push(...pids);
    expect(pids.every(isAlive)).toBe(true);

    mtl.kill('SIGKILL');
    for (let i = 0; i < 300 && pids.some(isAlive); i++) await sleep(100);
    expect(pids.filter(isAlive)).toEqual([]);
  });
});
