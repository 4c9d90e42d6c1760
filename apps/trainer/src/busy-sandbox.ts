import { ChildCommand, type ChildPool, ParentCommand } from 'bullmq';
import type { Logger } from 'pino';
import { LEASE_LOST } from './lease-watchdog.js';

type Child = Awaited<ReturnType<ChildPool['retain']>>;

/**
 * Keeps a sandboxed child that is still training out of the pool. BullMQ's sandbox hands its child
 * back as soon as the job's promise settles in this process, also when that happens because a request
 * of the child's failed here (a progress update of a job Redis no longer holds: lost with its data, or
 * removed), while the child goes on training. The next trial would be sent to that busy child and fail
 * at once (`cannot start a not idling child process`), an attempt burned. So a child goes back only
 * once it has reported the end of its job; one that has not is told the trial is lost (it stops at its
 * next batch, writing nothing) and to exit, and the pool forks a fresh child for the next trial.
 *
 * Install after the warm-up: from then on every child the pool hands out is for a job.
 */
export function replaceBusyChildren(pool: ChildPool, logger: Logger): void {
  // BullMQ's child pool is private (see warmUpSandbox); test/lost-job.int.test.ts fails if that changes.
  const busy = new WeakSet<Child>();
  const watched = new WeakSet<Child>();
  const retain = pool.retain.bind(pool);
  const release = pool.release.bind(pool);
  pool.retain = async (processFile) => {
    const child = await retain(processFile);
    if (!watched.has(child)) {
      watched.add(child);
      child.on('message', (message: { cmd?: ParentCommand }) => {
        if (message?.cmd === ParentCommand.Completed || message?.cmd === ParentCommand.Failed) {
          busy.delete(child);
        }
      });
    }
    busy.add(child);
    return child;
  };
  pool.release = (child) => {
    if (!busy.has(child)) return release(child);
    logger.warn({ sandboxPid: child.pid }, 'sandbox still training a lost trial; replacing it');
    child.send({ cmd: ChildCommand.Cancel, value: LEASE_LOST }).catch(() => {});
    // SIGTERM lets the child stop at its batch and exit; the pool kills it if it has not within 30 s.
    pool
      .kill(child, 'SIGTERM')
      .catch((error: unknown) => logger.error({ err: error }, 'sandbox kill failed'));
  };
}
