import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, webApi } from '@slack/bolt';
import type { SlackConfig } from '../config.js';
import type { Logger } from '../usecases/ports/index.js';
import { boltLogger } from './bolt-logger.js';
import type { SlackDeps } from './deps.js';
import { translator } from './i18n/index.js';
import { answerListenerErrors } from './listener-errors.js';
import { registerListeners } from './listeners/index.js';
import { LoadGate } from './load-gate.js';
import { checkedHttpReceiver, checkedSocketModeReceiver } from './receiver.js';

import { platformError } from './replies.js';

export interface SlackAppOptions {
  readonly slack: SlackConfig;
  readonly port: number;
  readonly logger: Logger;
  /** Answers /healthz: true while the store answers. */
  readonly healthy: () => Promise<boolean>;
  readonly deps: SlackDeps;
  /** Requests worked on at once before new commands are answered "busy" (HTTP mode). */
  readonly maxInFlight: number;
}

export interface RunningSlackApp {
  readonly app: App;
  /** The requests being worked on (back-pressure). */
  readonly load: LoadGate;
  /** The port actually bound (PORT=0 picks a free one). */
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Bolt in HTTP mode (requests at /slack/events, signatures verified) or Socket Mode when an
 * app token is configured; in both, GET /healthz is served on PORT.
 */
export async function startSlackApp(options: SlackAppOptions): Promise<RunningSlackApp> {
  const { slack } = options;
  const identity = await verifyBotToken(slack, options.logger);
  const logger = boltLogger(options.logger);
  const healthz: CustomRoute = {
    path: '/healthz',
    method: ['GET'],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      options.healthy().then(
        (up) =>
          res
            .writeHead(up ? 200 : 503, { 'content-type': 'text/plain' })
            .end(up ? 'ok' : 'redis unavailable'),
        () => res.writeHead(503, { 'content-type': 'text/plain' }).end('redis unavailable'),
      );
    },
  };
  const common = {
    token: slack.botToken,
    // Known already: Bolt would otherwise call auth.test in its constructor, where a failure
    // is an unhandled rejection instead of a clear start-up error.
    botId: identity.botId,
    botUserId: identity.botUserId,
    logger,
    // The error handler gets the request too: it answers the person (listener-errors.ts).
    extendedErrorHandler: true as const,
    logLevel: logger.getLevel(),
    // Listener calls stay short: Slack wants an answer within 3 s, and the Web API client
    // would otherwise wait up to ~30 minutes retrying. Jobs use their own client.
    clientOptions: {
      slackApiUrl: slack.apiUrl,
      timeout: 2500,
      retryConfig: { retries: 1, maxTimeout: 1000 },
    },
  };
  // Receivers that refuse (HTTP 400) or drop (Socket Mode) bodies Bolt cannot route, instead of
  // letting Bolt throw on them: see receiver.ts.
  const customRoutes = [healthz];
  const load = new LoadGate(options.maxInFlight);
  // Said in both languages: the ack cannot wait for a person's locale.
  const busyText = `${translator('en')('common.busy')}\n${translator('zh-CN')('common.busy')}`;
  const app =
    slack.mode === 'socket'
      ? new App({
          ...common,
          socketMode: true,
          receiver: checkedSocketModeReceiver({
            appToken: slack.appToken,
            logger: options.logger,
            customRoutes,
            port: options.port,
          }),
        })
      : new App({
          ...common,
          receiver: checkedHttpReceiver({
            signingSecret: slack.signingSecret,
            logger: options.logger,
            customRoutes,
            shed: { gate: load, busyText },
          }),
        });
  // Every request Bolt takes is counted until its last listener is done (post-ack work too).
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event) => load.track(() => processEvent(event));
  registerListeners(app, options.deps);
  answerListenerErrors(app, options.deps);
  const started = (await app.start(options.port)) as unknown;
  const port = boundPort(started) ?? options.port;
  return {
    app,
    port,
    load,
    stop: () => app.stop().then(() => undefined),
  };
}

export class SlackStartupError extends Error {
  override name = 'SlackStartupError';
}

/** Checks the bot token with auth.test: a clear start-up error instead of failures later. */
export async function verifyBotToken(
  slack: SlackConfig,
  logger: Logger,
): Promise<{ botId: string; botUserId: string }> {
  const client = new webApi.WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    logger: boltLogger(logger),
    timeout: 5000,
    retryConfig: { retries: 2, maxTimeout: 2000 },
  });
  try {
    const auth = await client.auth.test();
    if (!auth.bot_id || !auth.user_id)
      throw new SlackStartupError(
        'SLACK_BOT_TOKEN is not a bot token (auth.test returned no bot id)',
      );
    return { botId: auth.bot_id, botUserId: auth.user_id };
  } catch (error) {
    if (error instanceof SlackStartupError) throw error;
    const code = platformError(error);
    throw new SlackStartupError(
      code
        ? `Slack refused SLACK_BOT_TOKEN: ${code}`
        : `cannot reach the Slack Web API at ${slack.apiUrl}: ${(error as Error).message}`,
    );
  }
}

function boundPort(started: unknown): number | undefined {
  const server = started as Server | undefined;
  const address =
    typeof server?.address === 'function' ? (server.address() as AddressInfo | null) : null;
  return address?.port;
}
