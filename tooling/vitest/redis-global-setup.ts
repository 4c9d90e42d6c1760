import type { TestProject } from 'vitest/node';
import { acquireRedis } from './redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the real Redis the integration tests share (each test uses its own key prefix). */
    redisUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const redis = await acquireRedis(process.env.REDIS_URL);
  console.log(`integration tests use Redis at ${redis.url} (${redis.source})`);
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}
