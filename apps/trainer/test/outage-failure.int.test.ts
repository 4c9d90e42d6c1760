import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedis, freeLoopbackPort, QUEUES, redisAnswers } from '@repo/contracts';
import { Queue } from 'bullmq';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTrainerWorker, type TrainerWorker } from '../src/trainer-worker.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A sandboxed processor that fails with a reason of its own once the test creates its `release` file. */
const PROCESSOR = `
import { existsSync } from 'node:fs';
export default async function (job) {
  while (!existsSync(job.data.release)) await new Promise((r) => setTimeout(r, 50));
  throw new Error('the trial broke: ' + job.id);
}
`;

interface LogLine {
  msg: string;
  jobId?: string;
  err?: { message: string };
  redis?: string;
}

/** Polls `lines` until one matches, or fails after `ms`. */
async function lineWithin(lines: LogLine[], ms: number, match: (line: LogLine) => boolean) {
  const deadline = Date.now() + ms;
  for (;;) {
    const line = lines.find(match);
    if (line) return line;
    if (Date.now() > deadline) return undefined;
    await sleep(50);
  }
}

describe('a trial failing while Redis does not answer (a redis-server of its own)', () => {
  let dir: string;
  let server: ChildProcess | undefined;
  let trainer: TrainerWorker | undefined;
  let connection: ReturnType<typeof createRedis> | undefined;
  let port: number;

  const startServer = async () => {
    server = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const url = `redis://127.0.0.1:${port}`;
    for (let i = 0; i < 50 && !(await redisAnswers(url)); i++) await sleep(100);
    if (!(await redisAnswers(url)))
      throw new Error('this test needs redis-server (apt-get install redis-server)');
    return url;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mtl-outage-failure-'));
    port = await freeLoopbackPort();
  });

  afterEach(async () => {
    if (server?.signalCode === null && server.exitCode === null) {
      server.kill('SIGCONT');
      server.kill('SIGKILL');
    }
    // The worker's queued commands never get an answer now: close without waiting for them.
    connection?.disconnect();
    await Promise.race([trainer?.worker.close(true), sleep(2_000)]);
    trainer = undefined;
    connection = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function failingTrial(url: string) {
    const lines: LogLine[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    const processorFile = join(dir, 'failing-processor.mjs');
    await writeFile(processorFile, PROCESSOR);
    connection = createRedis(url, { role: 'worker' });
    connection.on('error', () => {});
    trainer = await createTrainerWorker({ connection, prefix: 'outage', logger, processorFile });
    const release = join(dir, 'release');
    const queue = new Queue(QUEUES.train, { connection: createRedis(url), prefix: 'outage' });
    const job = await queue.add('trial', { release }, { jobId: 'sweep-t1', attempts: 1 });
    await queue.close();
    await lineWithin(lines, 30_000, (line) => line.msg === 'trial started');
    return { lines, release, jobId: job.id as string };
  }

  /** Lets the stand-in trial fail now; the line that logs its reason, and how long it took to come. */
  async function breakTrial(lines: LogLine[], release: string, jobId: string) {
    const failedAt = Date.now();
    await writeFile(release, '');
    const line = await lineWithin(lines, 5_000, (l) => l.err?.message === `the trial broke: ${jobId}`);
    return { line, loggedAfterMs: Date.now() - failedAt };
  }

  it('Redis stopped: the reason is logged with the job id at once, not lost', async () => {
    const { lines, release, jobId } = await failingTrial(await startServer());
    server?.kill('SIGTERM');
    await new Promise((resolve) => server?.once('exit', resolve));
    await sleep(500);
    const { line, loggedAfterMs } = await breakTrial(lines, release, jobId);
    expect(line, JSON.stringify(lines)).toMatchObject({
      msg: 'trial failed; Redis has not recorded it',
      jobId,
      redis: expect.not.stringMatching(/^ready$/),
    });
    expect(loggedAfterMs).toBeLessThan(2_000);
    expect(existsSync(release)).toBe(true);
  });

  it('Redis not answering (its process frozen): the reason is logged after 1 s, then recorded once it answers', async () => {
    const url = await startServer();
    const { lines, release, jobId } = await failingTrial(url);
    server?.kill('SIGSTOP');
    const { line, loggedAfterMs } = await breakTrial(lines, release, jobId);
    expect(line, JSON.stringify(lines)).toMatchObject({
      msg: 'trial failed; Redis has not recorded it',
      jobId,
    });
    expect(loggedAfterMs).toBeLessThan(3_000);
    server?.kill('SIGCONT');
    const recorded = await lineWithin(lines, 10_000, (l) => l.msg === 'trial failed');
    expect(recorded).toMatchObject({ jobId, err: { message: `the trial broke: ${jobId}` } });
    const queue = new Queue(QUEUES.train, { connection: createRedis(url), prefix: 'outage' });
    expect((await queue.getJob(jobId))?.failedReason).toBe(`the trial broke: ${jobId}`);
    await queue.close();
    expect(lines.filter((l) => l.msg === 'trial failed; Redis has not recorded it')).toHaveLength(1);
  });
});
