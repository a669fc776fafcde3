import { webApi } from '@slack/bolt';
import type { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { missingCasProductCodes } from './ca/alibaba-cas-product-codes.js';
import { createCaRegistry } from './ca/registry.js';
import {
  buildCalendarData,
  calendarCoverageWarnings,
  defaultCalendarYears,
  loadCalendarOverridesFile,
} from './calendar/holiday-data.js';
import type { Config } from './config.js';
import { BusinessCalendar } from './domain/calendar.js';
import { type Clock, systemClock } from './domain/clock.js';
import { BullmqDispatcher } from './jobs/bullmq-dispatcher.js';
import { SWEEP_NOTIFICATION_MAX_AGE_MS } from './jobs/delivery-sweep.js';
import { type RunningJobs, startJobs } from './jobs/index.js';
import { NotificationQueue, startNotificationWorker } from './jobs/notifications.js';
import {
  type RunningSlackApp,
  SlackStartupError,
  startSlackApp,
  verifyBotToken,
} from './slack/app.js';
import { boltLogger } from './slack/bolt-logger.js';
import { notifierRoutes, slackDelivery } from './slack/delivery.js';
import type { SlackDeps } from './slack/deps.js';
import type { LoadGate } from './slack/load-gate.js';
import { createLocaleResolver } from './slack/locale.js';
import { RedisKeyValueStore } from './store/redis-kv.js';
import { RedisStore } from './store/redis-store.js';
import { teamDirectory, type UseCaseContext } from './usecases/context.js';
import { randomIds } from './usecases/ids.js';
import type { CaRegistry, Logger } from './usecases/ports/index.js';

export interface CertOpsOptions {
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Which CA takes which certificate; the manual provider when not given. */
  readonly ca?: CaRegistry;
}

export interface RunningCertOps {
  readonly calendar: BusinessCalendar;
  readonly store: RedisStore;
  /** The use cases as Slack calls them (tests and jobs use the same). */
  readonly useCases: UseCaseContext;
  /** Resolves when the notifications of changes made so far have been delivered. */
  settle(): Promise<void>;
  /** Port of the HTTP listener (Slack requests and /healthz), when this process runs `web`. */
  readonly port: number | undefined;
  /** Slack requests being worked on, when this process runs `web`. */
  readonly load: LoadGate | undefined;
  /** Stops taking work, then closes connections; bounded by `timeoutMs`. False if it ran out. */
  stop(timeoutMs?: number): Promise<boolean>;
}

/** How long `stop()` lets this process's last notifications go out before closing. */
const SETTLE_ON_STOP_MS = 5000;

export class StartupError extends Error {
  override name = 'StartupError';
}

/**
 * The composition root: builds the calendar, connects Redis, and starts what this process's
 * role asks for (`web`: Bolt; `worker`: the clocks' schedulers and workers; `all`: both).
 * Any number of processes of each role may share one Redis.
 */
export async function startCertOps(
  config: Config,
  options: CertOpsOptions,
): Promise<RunningCertOps> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const calendar = await buildCalendar(config, clock.now());
  for (const warning of calendarCoverageWarnings(calendar, clock.now())) logger.warn(warning);

  let ca: CaRegistry;
  try {
    ca = options.ca ?? createCaRegistry(config.ca, logger);
  } catch (error) {
    throw new StartupError((error as Error).message);
  }

  const redis = new Redis(config.redis.url, {
    lazyConnect: true,
    // Handlers must answer Slack within 3 s: fail a command fast rather than queue it while
    // Redis is away; ioredis keeps reconnecting in the background.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 5000,
  });
  redis.on('error', (error: Error) => logger.warn(`redis: ${error.message}`));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new StartupError(
      `cannot reach Redis at ${safeUrl(config.redis.url)}: ${(error as Error).message}`,
    );
  }
  const store = new RedisStore(redis, config.redis.keyPrefix);
  try {
    await store.migrate((line) => logger.info(line));
  } catch (error) {
    redis.disconnect();
    throw new StartupError(`cannot migrate the store: ${(error as Error).message}`);
  }
  let missingCodes: string | undefined;
  try {
    missingCodes = await missingCasProductCodes(ca, store.certificates);
  } catch (error) {
    redis.disconnect();
    throw new StartupError(
      `cannot check the CAS product codes of open instances: ${(error as Error).message}`,
    );
  }
  if (missingCodes !== undefined) {
    redis.disconnect();
    throw new StartupError(missingCodes);
  }
  const queueSettings = { connection: { url: config.redis.url }, prefix: config.queue.prefix };
  const dispatcher = new BullmqDispatcher(queueSettings, redis);
  let notifications: NotificationQueue;
  try {
    notifications = await NotificationQueue.open({
      settings: queueSettings,
      redis,
      logger,
      clock,
      routes: notifierRoutes(),
    });
  } catch (error) {
    await dispatcher.close().catch(() => undefined);
    redis.disconnect();
    throw new StartupError(`cannot open the notifications queue: ${(error as Error).message}`);
  }
  const useCases: UseCaseContext = {
    store,
    clock,
    ids: randomIds,
    calendar,
    policy: {
      approvers: new Set(config.approvals.approvers),
      admins: new Set(config.approvals.admins),
      timeZone: config.calendar.timezone,
      reminderDays: config.expiry.reminderDays,
    },
    teams: teamDirectory(config.teams.memberOf),
    ca,
    events: notifications,
    dispatcher,
    reviewAlarms: dispatcher,
  };
  const kv = new RedisKeyValueStore(redis, config.redis.keyPrefix);
  // Its own client: locale lookups must give up fast, never retry.
  const lookups = new webApi.WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    logger: boltLogger(logger),
    timeout: 800,
    retryConfig: { retries: 0 },
  });
  const deps: SlackDeps = {
    useCases,
    settings: {
      approvalChannel: config.approvals.channel,
      supportChannel: config.support.channel,
      loadingViewAfterMs: config.http.loadingViewAfterMs,
    },
    kv,
    logger,
    localeOf: createLocaleResolver({ client: lookups, cache: kv, logger }),
  };
  // What the job workers deliver goes out through the Slack side.
  const lockDurationMs = config.jobs.lockSeconds * 1000;
  const delivery = slackDelivery({ deps, slack: config.slack, lockDurationMs });
  const failStartup = async (error: unknown): Promise<never> => {
    await notifications.close().catch(() => undefined);
    await dispatcher.close().catch(() => undefined);
    redis.disconnect();
    throw error instanceof SlackStartupError ? new StartupError(error.message) : error;
  };

  let slack: RunningSlackApp | undefined;
  let jobs: RunningJobs | undefined;
  let notificationWorker: Worker | undefined;
  try {
    if (config.role !== 'worker') {
      slack = await startSlackApp({
        slack: config.slack,
        port: config.http.port,
        logger,
        healthy: async () => redis.status === 'ready' && (await redis.ping()) === 'PONG',
        deps,
        maxInFlight: config.http.maxInFlight,
      });
      logger.info(`CertOps web role listening on port ${slack.port} (${config.slack.mode} mode)`);
    } else {
      await verifyBotToken(config.slack, logger);
    }
    // While Slack is down, queues probe it with a pause doubling from 1 s up to the setting.
    const outageMaxMs = config.jobs.slackOutageMaxBackoffSeconds * 1000;
    const outageBackoff = { firstMs: Math.min(1000, outageMaxMs), maxMs: outageMaxMs };
    // Every role delivers notifications: whichever process is free takes the next one, and a
    // web process alone loses none.
    notificationWorker = startNotificationWorker({
      settings: queueSettings,
      delivery,
      logger,
      lockDurationMs,
      outageBackoff,
      onRefused: async (event, feature, code) => {
        // Nobody saw it: support gets a case naming what was refused and why.
        const certificate =
          event.type === 'instances_combined' ? event.combined : event.certificate;
        const key = `notify:${event.type}:${event.application.id}@${event.application.version}:${feature}:refused`;
        await dispatcher
          .dispatch(
            {
              kind: 'escalation',
              cause: 'delivery_refused',
              certificateId: certificate.id,
              applicationId: event.application.id,
              detail: `${code} (${feature}: ${event.type})`,
            },
            key,
          )
          .catch((error: unknown) =>
            logger.error(
              'notifications: queueing the support case of a refused message failed',
              error,
            ),
          );
      },
    });
    if (config.role !== 'web') {
      jobs = await startJobs({
        settings: queueSettings,
        ctx: useCases,
        dispatcher,
        delivery,
        kv,
        logger,
        timeZone: config.calendar.timezone,
        checkTime: config.expiry.checkTime,
        reminderDays: config.expiry.reminderDays,
        lockDurationMs,
        outageBackoff,
        sweptQueues: [{ queue: notifications.queue, maxAgeMs: SWEEP_NOTIFICATION_MAX_AGE_MS }],
      });
      logger.info('CertOps worker role started');
    }
  } catch (error) {
    await slack?.stop().catch(() => undefined);
    await jobs?.close().catch(() => undefined);
    await notificationWorker?.close().catch(() => undefined);
    return failStartup(error);
  }

  return {
    calendar,
    store,
    useCases,
    settle: () => notifications.drain(),
    port: slack?.port,
    load: slack?.load,
    async stop(timeoutMs = 10_000) {
      const shutdown = (async () => {
        // Stop taking work first (Slack requests, then jobs; active jobs finish), then let
        // notifications of committed changes go out for a while (any left stay queued for the
        // next worker), then close the connections.
        await slack?.stop();
        await jobs?.close();
        await notifications.settle(Math.min(SETTLE_ON_STOP_MS, timeoutMs / 2));
        await notificationWorker?.close();
        await notifications.close();
        await dispatcher.close();
        await redis.quit().catch(() => redis.disconnect());
        return true;
      })();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => {
          logger.warn(`shutdown did not finish within ${timeoutMs} ms; closing connections`);
          redis.disconnect();
          resolve(false);
        }, timeoutMs);
      });
      const finished = await Promise.race([shutdown, deadline]);
      clearTimeout(timer);
      return finished;
    },
  };
}

async function buildCalendar(config: Config, now: Date): Promise<BusinessCalendar> {
  try {
    const overrides = config.calendar.file
      ? await loadCalendarOverridesFile(config.calendar.file)
      : undefined;
    return new BusinessCalendar(
      buildCalendarData({
        region: config.calendar.region,
        timeZone: config.calendar.timezone,
        years: defaultCalendarYears(now),
        ...(overrides ? { overrides } : {}),
      }),
    );
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
}

function safeUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
}
