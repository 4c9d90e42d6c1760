/**
 * Makes this sandboxed child exit when the worker process that forked it dies (even by `kill -9`),
 * so no orphan goes on training a trial that another worker will pick up. Two signals: the IPC
 * channel's `disconnect` event (the training loop yields to the event loop after every batch, so it
 * is handled within a batch), and a parent pid that changed: a synchronous check, called between
 * batches, that holds even if the event were missed.
 *
 * Returns the synchronous check. Outside a child process (no IPC channel) it does nothing.
 */
export function guardAgainstOrphaning(onOrphaned: () => never = () => process.exit(70)): () => void {
  if (typeof process.send !== 'function') return () => {};
  const parent = process.ppid;
  process.once('disconnect', onOrphaned);
  return () => {
    if (process.ppid !== parent) onOrphaned();
  };
}
