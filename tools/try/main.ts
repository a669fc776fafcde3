import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  connectOrStartRedis,
  EmbeddedRedisBusyError,
  embeddedRedisDir,
  type RedisEndpoint,
} from '../../src/infra/embedded-redis.js';
import { RedisServerNotInstalledError } from '../../src/infra/redis-server-process.js';
import { startTrySession, type TrySession, trySettings } from './session.js';

const USAGE = `npm run try -- [--demo] [--as <user id>] [--prefix <prefix>]

  --demo         start from fresh demo data (wipes this session's own keys, nothing else)
  --as <id>      who types first, e.g. UAPPROVER (default: the demo requester, UALICE)
  --prefix <p>   key prefix of this session's data (default certops-try; 1-32 letters,
                 digits, _ or -), e.g. to keep two demos apart on one Redis

Uses REDIS_URL when set; otherwise Redis on 127.0.0.1:6379 if one answers, else a private
redis-server with its data in $CERTOPS_DATA_DIR/try/redis (default .certops/try/redis).
The bot's log goes to $CERTOPS_DATA_DIR/try/bot.log.`;

/** `npm run try`: CertOps in a terminal, no Slack workspace needed. */
async function main(): Promise<void> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse();
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(64);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const settings = trySettings(process.env);
  if (!settings.ok) {
    for (const line of settings.errors) console.error(`config: ${line}`);
    process.exit(78); // EX_CONFIG
  }
  const { config } = settings;
  // Its own folder: the try session's Redis may run beside the one `npm start` embeds.
  const dataDir = resolve(config.dataDir, 'try');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const logFile = join(dataDir, 'bot.log');
  const log = createWriteStream(logFile, { flags: 'a', mode: 0o600 });
  const say = (text: string) => process.stdout.write(`${text}\n`);

  let redis: RedisEndpoint;
  try {
    redis = await connectOrStartRedis({
      url: config.redis.url,
      urlGiven: config.redis.urlGiven,
      dataDir: embeddedRedisDir(dataDir),
      logger: { info: say, warn: (m) => console.error(m) },
    });
  } catch (error) {
    if (error instanceof RedisServerNotInstalledError || error instanceof EmbeddedRedisBusyError) {
      console.error(`cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }

  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  // Made once the session runs: lines piped in before then would be read and lost.
  let rl: Interface | undefined;
  let current: TrySession | undefined;
  // Output arriving between prompts (reminders firing) is written above the line being typed.
  const write = (text: string) => {
    if (!interactive || !rl) {
      process.stdout.write(`${text}\n`);
      return;
    }
    process.stdout.write('\r\x1b[K');
    process.stdout.write(`${text}\n`);
    if (current) rl.setPrompt(current.shell.prompt());
    rl.prompt(true);
  };

  say(`CertOps try shell: the real bot and a local stand-in for Slack (bot log: ${logFile})`);
  let session: TrySession;
  try {
    session = await startTrySession({
      redisUrl: redis.url,
      demo: args.demo,
      ...(args.as ? { user: args.as } : {}),
      ...(args.prefix ? { keyPrefix: args.prefix } : {}),
      env: process.env,
      write,
      log: (line) => log.write(`${line}\n`),
    });
  } catch (error) {
    console.error(`cannot start the try session: ${(error as Error).message}`);
    await redis.stop();
    process.exit(1);
  }
  current = session;
  const { shell } = session;
  say('Ready. Type help.');
  if (!args.demo) say('Starting from what is stored; `npm run try -- --demo` seeds demo data.');

  const lines = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: interactive,
  });
  rl = lines;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    lines.close();
    await session.stop().catch((error: unknown) => console.error(error));
    await redis.stop().catch((error: unknown) => console.error(error));
    log.end();
    process.exit(code);
  };
  process.on('SIGTERM', () => void stop(0));
  process.on('unhandledRejection', (reason) =>
    log.write(`unhandled rejection: ${String(reason)}\n`),
  );

  // One line at a time: a modal's fields are asked in order, so lines must not overtake.
  let queue: Promise<unknown> = Promise.resolve();
  lines.setPrompt(shell.prompt());
  lines.on('line', (line) => {
    queue = queue.then(async () => {
      try {
        if ((await shell.handle(line)) === 'quit') return stop(0);
      } catch (error) {
        say(`(error: ${(error as Error).message})`);
      }
      lines.setPrompt(shell.prompt());
      lines.prompt();
      return undefined;
    });
  });
  lines.on('close', () => void queue.then(() => stop(0)));
  lines.on('SIGINT', () => void stop(0));
  lines.prompt();
}

function parse() {
  const { values } = parseArgs({
    options: {
      demo: { type: 'boolean', default: false },
      as: { type: 'string' },
      prefix: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.prefix !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(values.prefix))
    throw new Error(`--prefix "${values.prefix}": expected 1-32 letters, digits, _ or -`);
  if (values.as !== undefined && !/^[UW][A-Z0-9]{1,30}$/.test(values.as))
    throw new Error(`--as "${values.as}": expected a Slack user id such as UAPPROVER`);
  return {
    demo: values.demo ?? false,
    as: values.as,
    prefix: values.prefix,
    help: values.help ?? false,
  };
}

main().catch((error: unknown) => {
  console.error(`try shell crashed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
