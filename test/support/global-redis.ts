import type { TestProject } from 'vitest/node';
import { startRedisServer } from '../../src/infra/redis-server-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/** One private redis-server for the whole run, unless REDIS_URL names one to use instead. */
export default async function setup(project: TestProject) {
  const given = process.env.REDIS_URL;
  if (given) {
    project.provide('redisUrl', given);
    return;
  }
  const server = await startRedisServer({ persistence: 'none', hz: 100 });
  project.provide('redisUrl', server.url);
  return async () => {
    await server.stop();
  };
}
