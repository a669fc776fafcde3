import { type RunningCertOps, startCertOps } from '../../src/certops.js';
import { type Config, parseConfig } from '../../src/config.js';
import type { Clock } from '../../src/domain/clock.js';
import { createLogger } from '../../src/infra/logger.js';
import type { CaRegistry } from '../../src/usecases/ports/index.js';
import { LocalSlackApi } from '../../tools/try/local-slack-api.js';
import { sign } from '../../tools/try/slack-requests.js';
import { deleteByPattern, type TestRedis, testRedis } from './redis.js';

export const SIGNING_SECRET = 'test0signing0secret0abcdef012345';
export const APPROVERS = ['UAPPROVER1', 'UAPPROVER2'];
export const APPROVAL_CHANNEL = 'CAPPROVALS';
export const SUPPORT_CHANNEL = 'CSUPPORT';

export interface BotUnderTest {
  readonly slack: LocalSlackApi;
  readonly certops: RunningCertOps;
  readonly config: Config;
  readonly redis: TestRedis;
  readonly logs: string[];
  readonly baseUrl: string;
  /** POSTs a correctly signed body to /slack/events, as Slack does. */
  post(
    body: string,
    contentType: 'form' | 'json',
    extraHeaders?: Record<string, string>,
  ): Promise<Response>;
  stop(): Promise<void>;
}

/**
 * The real composition root on a free port, a private key prefix on the test Redis, and a fake
 * Slack Web API on loopback recording what the bot sends.
 */
export async function startBot(
  options: { env?: Record<string, string>; clock?: Clock; ca?: CaRegistry } = {},
): Promise<BotUnderTest> {
  const slack = new LocalSlackApi();
  await slack.start();
  const redis = await testRedis();
  const parsed = parseConfig({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    PORT: '0',
    REDIS_URL: redis.url,
    CERTOPS_KEY_PREFIX: redis.prefix,
    CERTOPS_QUEUE_PREFIX: `${redis.prefix}-q`,
    CERTOPS_APPROVERS: APPROVERS.join(','),
    CERTOPS_APPROVAL_CHANNEL: APPROVAL_CHANNEL,
    CERTOPS_SUPPORT_CHANNEL: SUPPORT_CHANNEL,
    LOG_LEVEL: 'debug',
    ...options.env,
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug' as never,
    write: (line) => logs.push(line),
    secrets: ['xoxb-test-token', SIGNING_SECRET],
  });
  let certops: RunningCertOps;
  try {
    certops = await startCertOps(parsed.config, {
      logger,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.ca ? { ca: options.ca } : {}),
    });
  } catch (error) {
    // A start-up that fails (what some tests want) leaves nothing running.
    await slack.stop();
    await redis.cleanup();
    throw error;
  }
  const baseUrl = `http://127.0.0.1:${certops.port}`;
  return {
    slack,
    certops,
    config: parsed.config,
    redis,
    logs,
    baseUrl,
    post: (body, contentType, extraHeaders = {}) =>
      fetch(`${baseUrl}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type':
            contentType === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
          ...sign(body, SIGNING_SECRET),
          ...extraHeaders,
        },
        body,
      }),
    async stop() {
      await certops.stop();
      await slack.stop();
      await deleteByPattern(redis.redis, `${redis.prefix}-q:*`);
      await redis.cleanup();
    },
  };
}
