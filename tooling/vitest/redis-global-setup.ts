/// <reference path="./provided-context.d.ts" />
import type { TestProject } from 'vitest/node';
import { acquireRedis } from './redis.js';

export default async function setup(project: TestProject) {
  const redis = await acquireRedis(process.env.REDIS_URL);
  console.log(`integration tests use Redis at ${redis.url} (${redis.source})`);
  project.provide('redisUrl', redis.url);
  return () => redis.stop();
}
