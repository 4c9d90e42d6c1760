import type { EventEmitter } from 'node:events';

/**
 * Resolves once `count` jobs have ended on a BullMQ worker, completed or failed. Call it before the
 * worker runs, so no end goes unheard.
 */
export function jobsEnded(worker: EventEmitter, count: number): Promise<void> {
  let ended = 0;
  return new Promise((resolve) => {
    const onEnd = () => ++ended === count && resolve();
    worker.on('completed', onEnd).on('failed', onEnd);
  });
}
