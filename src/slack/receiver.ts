import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type App,
  AuthorizationError,
  type CustomRoute,
  defaultBodyLimit,
  HTTPModuleFunctions,
  HTTPReceiver,
  isRawBodyError,
  type ReceiverEvent,
  type ReceiverProcessEventErrorHandlerArgs,
  type ReceiverUnhandledRequestHandlerArgs,
  SocketModeReceiver,
  type SocketModeReceiverProcessEventErrorHandlerArgs,
} from '@slack/bolt';
import type { Logger } from '../usecases/ports/index.js';
import { boltLogger } from './bolt-logger.js';
import type { LoadGate } from './load-gate.js';
import { slackBodyProblem } from './receiver-body.js';

const EVENTS_PATH = '/slack/events';

export interface HttpReceiverOptions {
  readonly signingSecret: string;
  readonly logger: Logger;
  readonly customRoutes: CustomRoute[];
  /** When set: a new command or event is answered "busy" at once while the process is full. */
  readonly shed?: { readonly gate: LoadGate; readonly busyText: string };
}

/**
 * Bolt's HTTPReceiver behind a check of each request to /slack/events: signature (401), size
 * (413), parse and body shape (400, see slackBodyProblem) are settled here, so that only a
 * verified body Bolt can route reaches it. The buffered request is handed on as is; Bolt skips
 * re-reading it and verifies the signature once more (microseconds).
 */
export function checkedHttpReceiver(options: HttpReceiverOptions): HTTPReceiver {
  const { signingSecret, logger } = options;
  const receiver = new HTTPReceiver({
    signingSecret,
    logger: boltLogger(logger),
    customRoutes: options.customRoutes,
    processEventErrorHandler: answerProcessEventError,
    unhandledRequestHandler: answerUnhandledRequest,
  });
  const bolt = receiver.requestListener;
  receiver.requestListener = (req, res) => {
    if (req.method?.toUpperCase() !== 'POST' || pathOf(req) !== EVENTS_PATH) return bolt(req, res);
    precheck(req, res, signingSecret, logger, options.shed).then(
      (pass) => {
        if (pass) bolt(req, res);
      },
      (error: unknown) => {
        logger.error(`request check failed: ${(error as Error).message}`);
        answer(res, 500, 'internal error');
      },
    );
  };
  return receiver;
}

/** Answers the request itself and returns false, or returns true to hand it on to Bolt. */
async function precheck(
  req: IncomingMessage,
  res: ServerResponse,
  signingSecret: string,
  logger: Logger,
  shed: HttpReceiverOptions['shed'],
): Promise<boolean> {
  let buffered: Awaited<ReturnType<typeof HTTPModuleFunctions.parseAndVerifyHTTPRequest>>;
  try {
    buffered = await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
      { signingSecret, bodyLimit: defaultBodyLimit },
      req,
    );
  } catch (error) {
    if (isRawBodyError(error) && (error.type === 'entity.too.large' || error.statusCode === 413)) {
      logger.warn(`request body over ${defaultBodyLimit} bytes refused`);
      answer(res, 413, 'request too large');
    } else {
      logger.warn(`unverified request refused: ${(error as Error).message}`);
      answer(res, 401, '');
    }
    return false;
  }
  let body: unknown;
  try {
    body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
  } catch {
    logger.warn('signed request with an unreadable body refused');
    answer(res, 400, 'malformed request body');
    return false;
  }
  // Slack's unsigned SSL probe (Bolt verified nothing and answers it with a 200).
  if (isSslCheck(body)) return true;
  const problem = slackBodyProblem(body);
  if (problem !== undefined) {
    logger.warn(`signed request refused: ${problem}`);
    answer(res, 400, problem);
    return false;
  }
  if (shed?.gate.busy) return !turnedAway(body, res, shed.busyText, logger);
  return true;
}

/**
 * A full process turns away what starts new work: a command gets an ephemeral "busy, try again"
 * as its ack, an event is acknowledged and dropped. Clicks and modal submissions go through:
 * they finish what someone started (a decision, a form), and losing them costs more than a
 * late answer.
 */
function turnedAway(body: unknown, res: ServerResponse, busyText: string, logger: Logger): boolean {
  const fields = body as { command?: unknown; type?: unknown };
  if (typeof fields.command === 'string') {
    logger.warn(`busy: ${fields.command} answered "try again" (too many requests in flight)`);
    res
      .writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      .end(JSON.stringify({ response_type: 'ephemeral', text: busyText }));
    return true;
  }
  if (fields.type === 'event_callback') {
    logger.warn('busy: an event was acknowledged and dropped (too many requests in flight)');
    answer(res, 200, '');
    return true;
  }
  return false;
}

function isSslCheck(body: unknown): boolean {
  return (
    typeof body === 'object' && body !== null && (body as { ssl_check?: unknown }).ssl_check === '1'
  );
}

/**
 * Bolt's default answers a 500 for any error while it routes a verified body. The body shape is
 * checked before, so what lands here is ours (a listener failing before its ack): still a 500,
 * with a short text, and 401 for an authorization failure as Bolt does.
 */
async function answerProcessEventError(
  args: ReceiverProcessEventErrorHandlerArgs,
): Promise<boolean> {
  const { error, logger, response } = args;
  if (response.headersSent) {
    logger.error(`error after the ack: ${error.message}`);
    return false;
  }
  if (error instanceof AuthorizationError) {
    answer(response, 401, '');
    return true;
  }
  logger.error(`error while handling a Slack request: ${error.message}`);
  answer(response, 500, 'internal error');
  return false;
}

/** Nothing acked within 3 s: a known request type naming an action or view nobody handles. */
function answerUnhandledRequest(args: ReceiverUnhandledRequestHandlerArgs): void {
  const { logger, response } = args;
  logger.warn('a Slack request was not acknowledged within 3 s (no listener took it)');
  if (!response.headersSent) answer(response, 404, 'not handled');
}

export interface SocketReceiverOptions {
  readonly appToken: string;
  readonly logger: Logger;
  readonly customRoutes: CustomRoute[];
  readonly port: number;
}

/**
 * Socket Mode: Slack's own connection delivers the bodies, but a body Bolt cannot route would
 * make Bolt throw inside processEvent (or leave the envelope unacked, so Slack redelivers it). Such
 * an envelope is acked and dropped with a warning before Bolt sees it.
 */
export function checkedSocketModeReceiver(options: SocketReceiverOptions): SocketModeReceiver {
  return new CheckedSocketModeReceiver(options);
}

class CheckedSocketModeReceiver extends SocketModeReceiver {
  readonly #logger: Logger;

  constructor(options: SocketReceiverOptions) {
    super({
      appToken: options.appToken,
      logger: boltLogger(options.logger),
      customRoutes: options.customRoutes,
      installerOptions: { port: options.port },
      processEventErrorHandler: answerSocketModeError,
    });
    this.#logger = options.logger;
  }

  override init(app: App): void {
    const logger = this.#logger;
    // The receiver only calls processEvent on what it is given: hand it a checking front.
    const checked = Object.create(app) as App;
    checked.processEvent = async (event: ReceiverEvent) => {
      const problem = slackBodyProblem(event.body);
      if (problem === undefined) return app.processEvent(event);
      logger.warn(`Socket Mode envelope dropped: ${problem}`);
      await event.ack();
    };
    super.init(checked);
  }
}

async function answerSocketModeError(
  args: SocketModeReceiverProcessEventErrorHandlerArgs,
): Promise<boolean> {
  args.logger.error(`error while handling a Socket Mode envelope: ${args.error.message}`);
  // Authorization failures will not get better on redelivery; anything else may.
  return args.error instanceof AuthorizationError;
}

/** Parsed as Bolt routes it, so that no spelling of the path reaches Bolt unchecked. */
function pathOf(req: IncomingMessage): string {
  return new URL(req.url ?? '/', 'http://localhost').pathname;
}

function answer(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(message);
}
