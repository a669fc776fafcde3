import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../usecases/ports/index.js';

/**
 * CertOps's Logger as Bolt, its receivers and the Web API client take one. They read its level
 * and set it when given another; the level that counts is the wrapped logger's own (from
 * configuration), so Bolt is told everything is enabled and every line goes through it.
 */
export function boltLogger(logger: Logger): BoltLogger {
  return {
    debug: (...msg) => logger.debug(...msg),
    info: (...msg) => logger.info(...msg),
    warn: (...msg) => logger.warn(...msg),
    error: (...msg) => logger.error(...msg),
    getLevel: () => LogLevel.DEBUG,
    setLevel: () => undefined,
    setName: () => undefined,
  };
}
