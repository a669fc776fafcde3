import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made: a Web API method, or a POST to a response_url. */
export interface RecordedCall {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly token: string | undefined;
  readonly at: number;
  /** What the fake answered (e.g. the `ts` of a posted message, the `id` of an opened view). */
  readonly response?: Record<string, unknown>;
}

export interface ScriptedFailure {
  readonly status: number;
  readonly retryAfterSeconds?: number;
  readonly body?: Record<string, unknown>;
}

/**
 * A stand-in for Slack's Web API on loopback (the bot's SLACK_API_URL points here): the try
 * shell's local Slack, and the test suite's fake. It answers
 * like Slack (form-encoded requests, `{ok: true, ...}` JSON replies), records every call, can be
 * told to fail the next calls of a method (429 with Retry-After, 5xx, `ok: false`), and emits
 * `call` so tests wait for events instead of sleeping.
 */
export class LocalSlackApi extends EventEmitter {
  readonly calls: RecordedCall[] = [];
  private server: Server | undefined;
  private readonly failures = new Map<string, ScriptedFailure[]>();
  private readonly locales = new Map<string, string>();
  private outage: 'http' | 'reset' | undefined;
  private readonly holds = new Map<string, Array<{ gate: Promise<void>; after: boolean }>>();
  private readonly lostAnswers = new Map<string, number>();
  /** Messages posted, per conversation (a DM to `U1` is conversation `D_U1`), oldest first. */
  private readonly conversations = new Map<string, StoredMessage[]>();
  private outageStatus = 503;
  private counter = 0;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/api/`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }

  /** A response_url the fake records posts to, as `response_url:<id>`. */
  responseUrl(id = String(++this.counter)): string {
    return `${this.url.replace(/\/api\/$/, '')}/response/${id}`;
  }

  setLocale(userId: string, locale: string): void {
    this.locales.set(userId, locale);
  }

  failNext(method: string, ...failures: ScriptedFailure[]): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...failures]);
  }

  /**
   * Slack is down until `endOutage()`: every call answers `status` (`http`), or its connection is
   * dropped without an answer (`reset`, a network error). Each refused call emits `failed`.
   */
  startOutage(kind: 'http' | 'reset' = 'http', status = 503): void {
    this.outage = kind;
    this.outageStatus = status;
  }

  endOutage(): void {
    this.outage = undefined;
  }

  /**
   * Holds the answer to the next call of `method` until `release()` (a slow Slack): emits `held`
   * with the call when it arrives. `after: 'accepted'` carries the call out first (recorded, a
   * message posted) and holds only the answer: the caller cannot know whether it went through.
   */
  holdNext(method: string, options: { after?: 'accepted' } = {}): () => void {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const hold = { gate, after: options.after === 'accepted' };
    this.holds.set(method, [...(this.holds.get(method) ?? []), hold]);
    return release;
  }

  /**
   * The next `count` calls of `method` are carried out (recorded, a message posted) and their
   * connection is then dropped without an answer: an outcome the caller cannot know.
   */
  loseAnswers(method: string, count = 1): void {
    this.lostAnswers.set(method, (this.lostAnswers.get(method) ?? 0) + count);
  }

  /** The messages posted to a conversation (a user id means the DM with them), oldest first. */
  messagesIn(channel: string): readonly StoredMessage[] {
    return this.conversations.get(conversationOf(channel)) ?? [];
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  reset(): void {
    this.calls.length = 0;
    this.failures.clear();
    this.lostAnswers.clear();
    this.conversations.clear();
  }

  /**
   * Resolves with the first recorded call (past or future) that matches. The timeout only turns
   * a hang into a message naming the calls seen: it is long on purpose (a busy machine is slow,
   * not wrong), and a test's own timeout is usually what stops a wait that never ends.
   */
  waitFor(match: (call: RecordedCall) => boolean, timeoutMs = 30_000): Promise<RecordedCall> {
    const found = this.calls.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('call', onCall);
        reject(
          new Error(
            `no matching Slack call within ${timeoutMs} ms; calls: ${this.calls.map((c) => c.method).join(', ')}`,
          ),
        );
      }, timeoutMs);
      const onCall = (call: RecordedCall) => {
        if (!match(call)) return;
        clearTimeout(timer);
        this.off('call', onCall);
        resolve(call);
      };
      this.on('call', onCall);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const isResponseUrl = path.startsWith('/response/');
    const method = isResponseUrl
      ? `response_url:${path.slice('/response/'.length)}`
      : path.replace(/^\/api\//, '');
    const params = parseBody(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const call: RecordedCall = {
      method,
      params,
      token: auth?.startsWith('Bearer ') ? auth.slice(7) : (params.token as string | undefined),
      at: Date.now(),
    };
    if (this.outage === 'reset') {
      this.emit('failed', call);
      req.socket.destroy();
      return;
    }
    if (this.outage === 'http') {
      res
        .writeHead(this.outageStatus, { 'content-type': 'text/html' })
        .end('<html>Service Unavailable</html>');
      this.emit('failed', call);
      return;
    }
    const hold = this.holds.get(method)?.shift();
    if (hold && !hold.after) {
      this.emit('held', call);
      await hold.gate;
    }
    const failure = this.failures.get(method)?.shift();
    if (failure) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (failure.retryAfterSeconds !== undefined)
        headers['retry-after'] = String(failure.retryAfterSeconds);
      res
        .writeHead(failure.status, headers)
        .end(JSON.stringify(failure.body ?? { ok: false, error: 'scripted_failure' }));
      this.emit('failed', call);
      return;
    }
    const response = this.reply(method, params);
    const recorded = { ...call, response };
    this.calls.push(recorded);
    this.emit('call', recorded);
    if (hold?.after) {
      this.emit('held', recorded);
      await hold.gate;
    }
    const lost = this.lostAnswers.get(method) ?? 0;
    if (lost > 0) {
      this.lostAnswers.set(method, lost - 1);
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(response));
  }

  private reply(method: string, params: Record<string, unknown>): Record<string, unknown> {
    const n = ++this.counter;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          user_id: 'U_BOT',
          bot_id: 'B_BOT',
          team_id: 'T_TEST',
          user: 'certops',
          team: 'Test',
        };
      case 'chat.postMessage': {
        // Slack's ts: seconds now, then a number unique within the conversation.
        const ts = `${Math.floor(Date.now() / 1000)}.${String(n).padStart(6, '0')}`;
        this.store(params, ts);
        return { ok: true, channel: params.channel, ts, message: { text: params.text } };
      }
      case 'conversations.history':
      case 'conversations.replies':
        return this.history(method, params);
      case 'chat.update':
        return { ok: true, channel: params.channel, ts: params.ts };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `1700000000.${String(n).padStart(6, '0')}` };
      case 'views.open':
      case 'views.push':
      case 'views.update':
      case 'views.publish': {
        const view = (params.view ?? {}) as Record<string, unknown>;
        return {
          ok: true,
          view: { ...view, id: (params.view_id as string) ?? `V${n}`, hash: `h${n}` },
        };
      }
      case 'conversations.open':
        return { ok: true, channel: { id: `D_${params.users as string}` } };
      case 'users.info': {
        const user = params.user as string;
        return {
          ok: true,
          user: {
            id: user,
            name: user.toLowerCase(),
            locale: this.locales.get(user) ?? 'en-US',
            tz: 'Asia/Shanghai',
          },
        };
      }
      default:
        return { ok: true };
    }
  }

  private store(params: Record<string, unknown>, ts: string): void {
    const conversation = conversationOf(String(params.channel ?? ''));
    const message: StoredMessage = {
      ts,
      text: typeof params.text === 'string' ? params.text : '',
      bot_id: 'B_BOT',
      ...(typeof params.thread_ts === 'string' ? { thread_ts: params.thread_ts } : {}),
      ...(params.metadata && typeof params.metadata === 'object'
        ? { metadata: params.metadata as StoredMessage['metadata'] }
        : {}),
    };
    this.conversations.set(conversation, [
      ...(this.conversations.get(conversation) ?? []),
      message,
    ]);
  }

  /**
   * `conversations.history` (top-level messages, newest first) and `conversations.replies` (a
   * thread, oldest first) after `oldest`, paged by `limit` and `cursor`; metadata only with
   * `include_all_metadata`, as Slack does.
   */
  private history(method: string, params: Record<string, unknown>): Record<string, unknown> {
    const channel = String(params.channel ?? '');
    if (!this.conversations.has(channel) && !/^[CDG]/.test(channel))
      return { ok: false, error: 'channel_not_found' };
    const oldest = Number(params.oldest ?? 0);
    const limit = Math.max(1, Math.min(1000, Number(params.limit ?? 100)));
    const offset = Number(params.cursor ?? 0) || 0;
    const withMetadata = String(params.include_all_metadata) === 'true';
    const all = (this.conversations.get(channel) ?? []).filter((m) => Number(m.ts) > oldest);
    const thread = String(params.ts ?? '');
    const selected =
      method === 'conversations.replies'
        ? all.filter((m) => m.ts === thread || m.thread_ts === thread)
        : all.filter((m) => m.thread_ts === undefined).reverse();
    const page = selected
      .slice(offset, offset + limit)
      .map(({ metadata, ...m }) => (withMetadata && metadata ? { ...m, metadata } : m));
    const more = offset + limit < selected.length;
    return {
      ok: true,
      messages: page,
      has_more: more,
      response_metadata: { next_cursor: more ? String(offset + limit) : '' },
    };
  }
}

/** A message as `conversations.history` returns it. */
export interface StoredMessage {
  readonly ts: string;
  readonly text: string;
  readonly bot_id: string;
  readonly thread_ts?: string;
  readonly metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

/** A post to a user id lands in the app's DM with them (`conversations.open` answers `D_<id>`). */
function conversationOf(channel: string): string {
  return /^[UW]/.test(channel) ? `D_${channel}` : channel;
}

/** Slack sends form fields; objects (view, blocks) arrive as JSON strings. response_urls get JSON. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    params[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return params;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
