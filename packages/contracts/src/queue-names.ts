/** BullMQ queue names shared by producers (the CLI) and the workers. */
export const QUEUES = {
  /** One job per dataset shard, plus a finalising parent that writes the manifest. */
  generate: 'mtl-generate',
  /** One job per trial. */
  train: 'mtl-train',
  /** One job per sweep: the parent of its trials, aggregating them when all have ended. */
  report: 'mtl-report',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
