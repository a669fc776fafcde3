import { type RunningCertOps, StartupError, startCertOps } from './certops.js';
import { type Config, ConfigError, loadConfig, redactConfig } from './config.js';
import {
  connectOrStartRedis,
  EmbeddedRedisBusyError,
  embeddedRedisDir,
  type RedisEndpoint,
} from './infra/embedded-redis.js';
import { createLogger, redact } from './infra/logger.js';
import { RedisServerNotInstalledError } from './infra/redis-server-process.js';

/** The Redis this process uses; an embedded one is stopped on every way out. */
let redis: RedisEndpoint | undefined;

/** Stops the embedded Redis (if any), then exits; a failed stop is reported, not thrown. */
async function exit(code: number): Promise<never> {
  try {
    await redis?.stop();
  } catch (error) {
    console.error(`stopping the embedded Redis failed: ${(error as Error).message}`);
  }
  process.exit(code);
}

/** `npm start`: read the configuration, start the roles, stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.errors) console.error(`config: ${line}`);
    process.exit(78); // EX_CONFIG
  }
  const slack = config.slack;
  const logger = createLogger({
    level: config.logLevel,
    secrets: [slack.botToken, slack.appToken ?? '', slack.signingSecret ?? ''],
  });

  // Listen before starting: a signal during start-up stops the process once it has started,
  // instead of killing it half-way.
  let running: RunningCertOps | undefined;
  let stopRequested: string | undefined;
  const stop = (signal: string) => {
    if (stopRequested) return;
    stopRequested = signal;
    logger.info(`${signal}: stopping`);
    if (running) shutDown(running);
  };
  // CertOps first, its Redis last: jobs still finishing need their Redis.
  const shutDown = (certops: RunningCertOps) =>
    certops.stop().then(
      // Ran out of time: say so with the exit code (active jobs go to another worker).
      (finished) => exit(finished ? 0 : 1),
      (error: unknown) => {
        logger.error('shutdown failed', error);
        return exit(1);
      },
    );
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', reason));

  try {
    redis = await connectOrStartRedis({
      url: config.redis.url,
      urlGiven: config.redis.urlGiven,
      dataDir: embeddedRedisDir(config.dataDir),
      logger,
    });
  } catch (error) {
    if (!(error instanceof RedisServerNotInstalledError || error instanceof EmbeddedRedisBusyError))
      throw error;
    // One line a person can act on, no stack.
    console.error(`cannot start: ${error.message}`);
    return exit(1);
  }
  if (stopRequested) return exit(0);

  const effective: Config = { ...config, redis: { ...config.redis, url: redis.url } };
  logger.info('starting CertOps', JSON.stringify(redactConfig(effective)));
  try {
    running = await startCertOps(effective, { logger });
  } catch (error) {
    if (!(error instanceof StartupError)) throw error;
    logger.error(`cannot start: ${error.message}`);
    return exit(1);
  }
  if (stopRequested) shutDown(running);
}

main().catch((error: unknown) => {
  console.error(
    `CertOps crashed: ${redact(error instanceof Error ? (error.stack ?? error.message) : String(error))}`,
  );
  return exit(1);
});
