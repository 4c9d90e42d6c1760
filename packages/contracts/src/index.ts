export { ArtifactLayout } from './artifact-layout.js';
export { datasetJobId, type Id, idSchema, reportJobId, shardJobId, trialJobId } from './ids.js';
export { QUEUES, type QueueName } from './queue-names.js';
export {
  createRedis,
  type RedisConnectionOptions,
  RedisUnreachableError,
  redactRedisUrl,
  waitForRedis,
} from './redis-connection.js';
