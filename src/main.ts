import type { LogLevel } from '@slack/bolt';
import { type RunningCertOps, StartupError, startCertOps } from './certops.js';
import { type Config, ConfigError, loadConfig, redactConfig } from './config.js';
import { createLogger, redact } from './infra/logger.js';

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
    level: config.logLevel as LogLevel,
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
  const shutDown = (certops: RunningCertOps) =>
    certops.stop().then(
      // Ran out of time: say so with the exit code (active jobs go to another worker).
      (finished) => process.exit(finished ? 0 : 1),
      (error: unknown) => {
        logger.error('shutdown failed', error);
        process.exit(1);
      },
    );
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', reason));

  logger.info('starting CertOps', JSON.stringify(redactConfig(config)));
  try {
    running = await startCertOps(config, { logger });
  } catch (error) {
    if (!(error instanceof StartupError)) throw error;
    logger.error(`cannot start: ${error.message}`);
    process.exit(1);
  }
  if (stopRequested) shutDown(running);
}

main().catch((error: unknown) => {
  console.error(
    `CertOps crashed: ${redact(error instanceof Error ? (error.stack ?? error.message) : String(error))}`,
  );
  process.exit(1);
});
