import type { RecordedCall } from '../../tools/try/local-slack-api.js';
import { eventBody, interactivityBody, slashCommandBody } from '../../tools/try/slack-requests.js';
import {
  findElement,
  type InputValue,
  type Json,
  pressPayload,
  suggestionPayload,
  viewChange,
  viewSubmission,
} from '../../tools/try/view-state.js';
import type { BotUnderTest } from './certops-under-test.js';

export type { InputValue };

export interface OpenedView {
  readonly id: string;
  readonly hash: string;
  readonly view: Json;
  readonly call: RecordedCall;
}

export interface AckResult {
  readonly status: number;
  /** The ack body (e.g. `{response_action: 'errors', errors: {...}}`), when there is one. */
  readonly body: Json | undefined;
}

let sequence = 0;

/**
 * Drives the bot as Slack does, over signed HTTP: slash commands, view submissions and button
 * clicks with payloads shaped like Slack's, built from the views and messages the bot sent to
 * the fake Web API. A person's inputs are given per block id; the driver reads each block's
 * element type from the view to encode the value (`state.values`) the way Slack would.
 */
export class SlackDriver {
  constructor(readonly bot: BotUnderTest) {}

  private get slack() {
    return this.bot.slack;
  }

  /** Sends `/cert <text>` and resolves with the ack status and the response_url id it used. */
  async command(
    userId: string,
    text: string,
    options: { channelId?: string } = {},
  ): Promise<{ status: number; responseUrl: string; since: number }> {
    const responseUrl = `cmd${++sequence}`;
    const since = this.slack.calls.length;
    const res = await this.bot.post(
      slashCommandBody({
        text,
        userId,
        responseUrl: this.slack.responseUrl(responseUrl),
        triggerId: `trigger-${sequence}`,
        ...(options.channelId ? { channelId: options.channelId } : {}),
      }),
      'form',
    );
    await res.text();
    return { status: res.status, responseUrl, since };
  }

  /** The reply a command (or action) sent to its response_url. */
  reply(responseUrl: string): Promise<RecordedCall> {
    return this.slack.waitFor((c) => c.method === `response_url:${responseUrl}`);
  }

  /**
   * The ephemeral message `user` was shown in `channel` after call index `since`: the answer to a
   * modal submitted from that channel. Matched exactly, so a queued notification DM to the same
   * person (an earlier decision, say) is never taken for it.
   */
  ephemeral(since: number, user: string, channel: string): Promise<RecordedCall> {
    return this.slack.waitFor(
      (c) =>
        c.method === 'chat.postEphemeral' &&
        c.params.user === user &&
        c.params.channel === channel &&
        this.slack.calls.indexOf(c) >= since,
    );
  }

  /**
   * The direct message the bot sent `user` after call index `since` whose text is `text` (or
   * passes it, as a predicate). The text is part of the match: DMs are queued notifications, and
   * another one to the same person may arrive first.
   */
  dm(
    since: number,
    user: string,
    text: string | ((text: string) => boolean),
  ): Promise<RecordedCall> {
    const matches = typeof text === 'string' ? (t: string) => t === text : text;
    return this.slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.channel === user &&
        matches(String(c.params.text ?? '')) &&
        this.slack.calls.indexOf(c) >= since,
    );
  }

  /** Text of a reply, blocks included, for assertions on what a person reads. */
  static text(call: RecordedCall): string {
    return JSON.stringify([
      call.params.text ?? '',
      call.params.blocks ?? [],
      (call.params.view as Json | undefined)?.blocks ?? [],
    ]);
  }

  /** The next view the bot opened, pushed or updated after call index `since`. */
  async view(
    since: number,
    method: 'views.open' | 'views.push' | 'views.update' | 'views.publish' = 'views.open',
  ): Promise<OpenedView> {
    const call = await this.slack.waitFor(
      (c) => c.method === method && this.slack.calls.indexOf(c) >= since,
    );
    const view = call.params.view as Json;
    const answered = call.response?.view as Json | undefined;
    const id =
      (call.params.view_id as string | undefined) ?? (answered?.id as string | undefined) ?? 'V0';
    return { id, hash: (answered?.hash as string | undefined) ?? 'h0', view, call };
  }

  /** Submits a modal with the given inputs (by block id) and returns Slack's view of the ack. */
  async submit(
    opened: OpenedView,
    userId: string,
    inputs: Record<string, InputValue>,
  ): Promise<AckResult> {
    return this.interact(viewSubmission(opened, userId, inputs, `trigger-${++sequence}`));
  }

  /**
   * Clicks a button found by action id in a message (chat.postMessage call, response) or a view.
   * Resolves with the ack and the id of the click's own response_url (`answersTo`).
   */
  async click(
    source: RecordedCall | OpenedView,
    actionId: string,
    userId: string,
    options: { channelId?: string } = {},
  ): Promise<AckResult & { readonly responseUrl: string }> {
    const isView = 'view' in source && 'hash' in source;
    const blocks =
      (isView
        ? (source.view.blocks as Json[])
        : ((source.params.blocks as Json[] | undefined) ?? [])) ?? [];
    const found = findElement(blocks, actionId);
    if (!found)
      throw new Error(`no element ${actionId} in ${JSON.stringify(blocks).slice(0, 500)}`);
    const call = isView ? undefined : (source as RecordedCall);
    const channelId =
      options.channelId ?? (call?.params.channel as string | undefined) ?? 'C_GENERAL';
    const ts = call ? this.messageTs(call) : undefined;
    const responseId = `action${++sequence}`;
    const responseUrl = this.slack.responseUrl(responseId);
    const payload = pressPayload(
      userId,
      found,
      isView
        ? { in: 'view', opened: source as OpenedView }
        : { in: 'message', channelId, ts, text: call?.params.text, blocks, responseUrl },
      { triggerId: `trigger-${++sequence}`, actionTs: `${Date.now() / 1000}` },
    );
    return { ...(await this.interact(payload)), responseUrl: responseId };
  }

  /** What the bot posted to one click's (or command's) response_url so far, in order. */
  answersTo(responseUrl: string): RecordedCall[] {
    return this.slack.callsOf(`response_url:${responseUrl}`);
  }

  /** The `nth` answer (1-based) to one click's response_url, waited for. */
  async nthAnswer(responseUrl: string, nth: number): Promise<RecordedCall> {
    await this.slack.waitFor(() => this.answersTo(responseUrl).length >= nth);
    return this.answersTo(responseUrl)[nth - 1] as RecordedCall;
  }

  /**
   * A person changing an input that dispatches on change in an open modal: choosing in a select,
   * radio buttons or a multi-select, or typing in a `dispatch_action` text input. Sends
   * block_actions as Slack does: the view's whole state with `inputs` (by block id) applied,
   * and the changed element's own state (`value`, `selected_option` or `selected_options`) in
   * `actions[0]`. Resolves with the ack; `act` also waits for the bot's views.update.
   */
  async change(
    opened: OpenedView,
    userId: string,
    blockId: string,
    inputs: Record<string, InputValue>,
  ): Promise<AckResult> {
    const payload = viewChange(opened, userId, blockId, inputs, {
      triggerId: `trigger-${++sequence}`,
      actionTs: `${Date.now() / 1000}`,
    });
    return this.interact(payload);
  }

  /** `change`, then the views.update the bot answers it with (the modal as it is now). */
  async act(
    opened: OpenedView,
    userId: string,
    blockId: string,
    inputs: Record<string, InputValue>,
  ): Promise<OpenedView> {
    const since = this.slack.calls.length;
    const ack = await this.change(opened, userId, blockId, inputs);
    if (ack.status !== 200) throw new Error(`block_actions on ${blockId} answered ${ack.status}`);
    return this.view(since, 'views.update');
  }

  /**
   * Someone typing `value` into the external select of `blockId` in an open view: Slack asks the
   * bot for options (block_suggestion). Resolves with the ack, whose body holds them.
   */
  async suggest(
    opened: OpenedView,
    userId: string,
    blockId: string,
    value: string,
  ): Promise<AckResult> {
    return this.interact(suggestionPayload(opened, userId, blockId, value));
  }

  /** Sends an Events API event (e.g. app_home_opened), signed, with an event id. */
  async event(
    event: Json,
    eventId?: string,
    headers: Record<string, string> = {},
  ): Promise<number> {
    const res = await this.bot.post(eventBody(event, eventId), 'json', headers);
    await res.text();
    return res.status;
  }

  private async interact(payload: Json): Promise<AckResult> {
    const res = await this.bot.post(interactivityBody(payload), 'form');
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Json) : undefined };
  }

  private messageTs(call: RecordedCall): string {
    // A posted message's ts is what the fake answered; an updated one keeps the ts it names.
    return (
      (call.params.ts as string | undefined) ??
      (call.response?.ts as string | undefined) ??
      '1700000000.000000'
    );
  }
}
