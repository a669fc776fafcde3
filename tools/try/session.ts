import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { type RunningCertOps, startCertOps } from '../../src/certops.js';
import { type Config, parseConfig } from '../../src/config.js';
import { shiftedClock } from '../../src/domain/clock.js';
import { createLogger } from '../../src/infra/logger.js';
import { deleteByPattern } from '../../src/infra/redis-keys.js';
import { JOBS, QUEUES } from '../../src/jobs/queues.js';
import {
  DEMO_CHANNELS,
  DEMO_ENV,
  DEMO_LOCALES,
  DEMO_PEOPLE_ROLES,
  type DemoInstance,
  seedDemoData,
} from './demo-data.js';
import { createDemoCa, type DemoCa } from './demo-pem.js';
import { LocalSlackApi } from './local-slack-api.js';
import { TryShell } from './shell.js';

/** The try session's own keys, so trying CertOps never touches a real installation's data. */
export const TRY_KEY_PREFIX = 'certops-try';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long `advance` waits for one step's clock jobs. */
const WAKE_TIMEOUT_MS = 30_000;

export interface TrySessionOptions {
  readonly redisUrl: string;
  /** Wipe this session's keys and seed the demo instances first. */
  readonly demo: boolean;
  /** Who types first. */
  readonly user?: string;
  readonly keyPrefix?: string;
  /** Settings passed through from the environment (time zone, business region, ...). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The screen. */
  readonly write: (text: string) => void;
  /** The bot's log lines (a file, so they don't cover the screen). */
  readonly log: (line: string) => void;
}

export interface TrySession {
  readonly shell: TryShell;
  readonly certops: RunningCertOps;
  readonly demo: readonly DemoInstance[];
  stop(): Promise<void>;
}

/** Settings a person may bring from their environment into the try session. */
const PASSED_THROUGH = [
  'REDIS_URL',
  'CERTOPS_DATA_DIR',
  'CERTOPS_TIMEZONE',
  'CERTOPS_BUSINESS_REGION',
  'CERTOPS_CALENDAR_FILE',
  'CERTOPS_EXPIRY_REMINDER_DAYS',
  'LOG_LEVEL',
] as const;

function passedThrough(env: Readonly<Record<string, string | undefined>> = {}) {
  return Object.fromEntries(
    PASSED_THROUGH.flatMap((name) => {
      const value = env[name];
      return value ? [[name, value]] : [];
    }),
  );
}

/**
 * Checks the settings the try session takes from the environment before anything starts:
 * where Redis is (or whether to start one), and the data folder. Slack's are the session's own.
 */
export function trySettings(
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; config: Config } | { ok: false; errors: readonly string[] } {
  const parsed = parseConfig({
    ...passedThrough(env),
    ...DEMO_ENV,
    SLACK_BOT_TOKEN: 'xoxb-try-placeholder',
    SLACK_SIGNING_SECRET: 'try0placeholder0secret0000',
  });
  return parsed.ok ? { ok: true, config: parsed.config } : parsed;
}

/**
 * The real bot (web and worker roles, one process) on a free port, talking to a local Slack
 * stand-in on loopback, with a clock the shell can move; the shell in front of it.
 */
export async function startTrySession(options: TrySessionOptions): Promise<TrySession> {
  const prefix = options.keyPrefix ?? TRY_KEY_PREFIX;
  const queuePrefix = `${prefix}-q`;
  const slack = new LocalSlackApi();
  await slack.start();
  // As a workspace would: some people's Slack is in another language (users.info `locale`).
  for (const [user, locale] of Object.entries(DEMO_LOCALES)) slack.setLocale(user, locale);
  const signingSecret = randomBytes(24).toString('hex');
  const botToken = `xoxb-try-${randomBytes(8).toString('hex')}`;
  const parsed = parseConfig({
    LOG_LEVEL: 'info',
    ...passedThrough(options.env),
    ...DEMO_ENV,
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: slack.url,
    PORT: '0',
    REDIS_URL: options.redisUrl,
    CERTOPS_KEY_PREFIX: prefix,
    CERTOPS_QUEUE_PREFIX: queuePrefix,
    CERTOPS_ROLE: 'all',
  });
  if (!parsed.ok) {
    await slack.stop();
    throw new Error(`the try session's settings are invalid:\n${parsed.errors.join('\n')}`);
  }
  const { config } = parsed;
  if (options.demo) await wipe(options.redisUrl, [`${prefix}:*`, `${queuePrefix}:*`]);

  const clock = shiftedClock();
  const logger = createLogger({
    level: config.logLevel as never,
    write: options.log,
    secrets: [botToken, signingSecret],
  });
  let certops: RunningCertOps;
  try {
    certops = await startCertOps(config, { logger, clock });
  } catch (error) {
    await slack.stop();
    throw error;
  }
  const clockQueue = new Queue(QUEUES.clock, {
    connection: { url: options.redisUrl },
    prefix: queuePrefix,
  });
  const clockEvents = new QueueEvents(QUEUES.clock, {
    connection: { url: options.redisUrl },
    prefix: queuePrefix,
  });
  await clockEvents.waitUntilReady();
  let demoCa: DemoCa | undefined;
  const shell = new TryShell({
    slack,
    eventsUrl: `http://127.0.0.1:${certops.port}/slack/events`,
    signingSecret,
    user: options.user ?? DEMO_PEOPLE_ROLES.defaultUser,
    people: DEMO_PEOPLE_ROLES.roles,
    channels: DEMO_CHANNELS.names,
    channel: DEMO_CHANNELS.general,
    clock,
    timeZone: config.calendar.timezone,
    // The same jobs the schedulers run, now: what the moved clock made due goes out.
    wake: async () => {
      const jobs = await clockQueue.addBulk([
        { name: JOBS.reviewSweep, data: {} },
        { name: JOBS.expiryCheck, data: {} },
      ]);
      // Waited for, so that the next day's step sees what this one did.
      await Promise.all(
        jobs.map((job) =>
          job.waitUntilFinished(clockEvents, WAKE_TIMEOUT_MS).catch(() => undefined),
        ),
      );
    },
    write: options.write,
    demoCertificate: async (names) => {
      const now = clock.now().getTime();
      demoCa ??= await createDemoCa(new Date(now - 2 * DAY_MS), new Date(now + 800 * DAY_MS));
      return demoCa.issue({
        names,
        notBefore: new Date(now - DAY_MS),
        notAfter: new Date(now + 365 * DAY_MS),
        validationType: 'OV',
      });
    },
  });
  // After the shell: the requests the demo leaves open post their Slack messages (buttons).
  const demo = options.demo ? await seedDemoData(certops.useCases) : [];
  await certops.settle();
  if (demo.length > 0) {
    options.write('Demo instances (`/cert status <id>` tells more):');
    for (const instance of demo)
      options.write(`  ${instance.id.padEnd(11)} ${instance.state.padEnd(20)} ${instance.note}`);
  }
  return {
    shell,
    certops,
    demo,
    async stop() {
      shell.close();
      await clockEvents.close();
      await clockQueue.close();
      await certops.stop();
      await slack.stop();
    },
  };
}

async function wipe(url: string, patterns: readonly string[]): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    for (const pattern of patterns) await deleteByPattern(redis, pattern);
  } finally {
    await redis.quit();
  }
}
