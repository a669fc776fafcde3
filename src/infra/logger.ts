import { format } from 'node:util';
import type { LogLevel } from '../config.js';
import type { Logger } from '../usecases/ports/index.js';

/**
 * One JSON line per log call, with secrets removed from whatever is logged, whoever logs it
 * (our code, Bolt, the Web API client). Content-based redaction rather than field paths,
 * because Bolt logs free-form strings and error objects.
 */
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [
    /-----BEGIN[A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END[A-Z ]*PRIVATE KEY-----|$)/g,
    '[private key redacted]',
  ],
  [/PuTTY-User-Key-File[\s\S]*/g, '[private key redacted]'],
  [/\bxox[a-z]-[A-Za-z0-9-]+/g, 'xox*-***'],
  [/\bxapp-[A-Za-z0-9-]+/g, 'xapp-***'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 ***'],
  [/(rediss?:\/\/[^:/@\s]*:)[^@\s]+@/g, '$1***@'],
];

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join('***');
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface LoggerOptions {
  readonly level?: LogLevel;
  readonly name?: string;
  /** Exact values never to print (tokens, signing secret). */
  readonly secrets?: readonly string[];
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const name = options.name ?? 'certops';
  const secrets = options.secrets ?? [];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const log =
    (at: LogLevel) =>
    (...msg: unknown[]) => {
      if (ORDER[at] < ORDER[level]) return;
      write(
        JSON.stringify({
          time: now().toISOString(),
          level: at,
          name,
          msg: redact(format(...msg), secrets),
        }),
      );
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}
