import type { LogLevel } from '@slack/bolt';
import { StartupError, startCertOps } from './certops.js';
import { ConfigError, loadConfig, redactConfig } from './config.js';
import { createLogger, redact } from './infra/logger.js';

/** `npm start`: read the configuration, start the roles, stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
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
  logger.info('starting CertOps', JSON.stringify(redactConfig(config)));
  const running = await startCertOps(config, { logger }).catch((error: unknown) => {
    if (
      error instanceof StartupError ||
      (error instanceof Error && /calendar/i.test(error.message))
    ) {
      logger.error(`cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(
    `CertOps crashed: ${redact(error instanceof Error ? (error.stack ?? error.message) : String(error))}`,
  );
  process.exit(1);
});
