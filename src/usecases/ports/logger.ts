/**
 * What CertOps code logs through. The logger the composition root builds (src/infra/logger.ts)
 * implements it, and so does Bolt's; src/slack adapts it to Bolt where Bolt wants its own.
 */
export interface Logger {
  debug(...msg: unknown[]): void;
  info(...msg: unknown[]): void;
  warn(...msg: unknown[]): void;
  error(...msg: unknown[]): void;
}
