import type { RecordedCall } from '../../src/try/local-slack-api.js';
import { eventBody, interactivityBody, slashCommandBody } from '../../src/try/slack-requests.js';
import type { BotUnderTest } from './certops-under-test.js';

type Json = Record<string, unknown>;
/** What a person puts into an input: text, one option value, several option values, or nothing. */
export type InputValue = string | readonly string[] | undefined;

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
    const payload = {
      ...interaction('view_submission', userId),
      view: this.viewPayload(opened, inputs),
      response_urls: [],
      is_enterprise_install: false,
    };
    return this.interact(payload);
  }

  /** Clicks a button found by action id in a message (chat.postMessage call, response) or a view. */
  async click(
    source: RecordedCall | OpenedView,
    actionId: string,
    userId: string,
    options: { channelId?: string } = {},
  ): Promise<AckResult> {
    const isView = 'view' in source && 'hash' in source;
    const blocks =
      (isView
        ? (source.view.blocks as Json[])
        : ((source.params.blocks as Json[] | undefined) ?? [])) ?? [];
    const found = findElement(blocks, actionId);
    if (!found)
      throw new Error(`no element ${actionId} in ${JSON.stringify(blocks).slice(0, 500)}`);
    const { block, element } = found;
    const call = isView ? undefined : (source as RecordedCall);
    const channel =
      options.channelId ?? (call?.params.channel as string | undefined) ?? 'C_GENERAL';
    const ts = call ? this.messageTs(call) : undefined;
    const responseUrl = this.slack.responseUrl(`action${++sequence}`);
    const payload: Json = {
      ...interaction('block_actions', userId),
      actions: [
        {
          type: element.type,
          action_id: actionId,
          block_id: block.block_id,
          ...(element.value !== undefined ? { value: element.value } : {}),
          ...(element.text ? { text: element.text } : {}),
          action_ts: `${Date.now() / 1000}`,
        },
      ],
      ...(isView
        ? {
            container: { type: 'view', view_id: (source as OpenedView).id },
            view: this.viewPayload(source as OpenedView, {}),
          }
        : {
            container: {
              type: 'message',
              message_ts: ts,
              channel_id: channel,
              is_ephemeral: false,
            },
            channel: { id: channel, name: 'channel' },
            message: { ts, text: call?.params.text, blocks },
            response_url: responseUrl,
          }),
    };
    return this.interact(payload);
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
    const view = this.viewPayload(opened, inputs);
    const block = ((opened.view.blocks as Json[]) ?? []).find((b) => b.block_id === blockId);
    const element = (block?.element ?? block?.accessory) as Json | undefined;
    const actionId = element?.action_id as string | undefined;
    if (!element || !actionId) throw new Error(`no input or select in block ${blockId}`);
    const values = (view.state as { values: Record<string, Record<string, Json>> }).values;
    const payload: Json = {
      ...interaction('block_actions', userId),
      container: { type: 'view', view_id: opened.id },
      view,
      actions: [
        {
          ...values[blockId]?.[actionId],
          action_id: actionId,
          block_id: blockId,
          action_ts: `${Date.now() / 1000}`,
        },
      ],
    };
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

  private viewPayload(opened: OpenedView, inputs: Record<string, InputValue>): Json {
    const blocks = (opened.view.blocks as Json[]) ?? [];
    const values: Record<string, Record<string, Json>> = {};
    for (const block of blocks) {
      if (block.type !== 'input' && block.type !== 'actions' && block.type !== 'section') continue;
      const elements =
        block.type === 'input'
          ? [block.element as Json]
          : block.type === 'section'
            ? block.accessory
              ? [block.accessory as Json]
              : []
            : ((block.elements as Json[]) ?? []);
      for (const element of elements) {
        const blockId = block.block_id as string;
        const actionId = element.action_id as string;
        if (!blockId || !actionId) continue;
        const given = blockId in inputs ? inputs[blockId] : initialValue(element);
        values[blockId] = { ...values[blockId], [actionId]: stateOf(element, given) };
      }
    }
    return {
      id: opened.id,
      team_id: 'T_TEST',
      type: 'modal',
      blocks,
      private_metadata: opened.view.private_metadata ?? '',
      callback_id: opened.view.callback_id,
      state: { values },
      hash: opened.hash,
      title: opened.view.title,
      root_view_id: opened.id,
      app_id: 'A_CERTOPS',
      bot_id: 'B_BOT',
    };
  }
}

/** What every interaction payload starts with: its type, the team, the person, a trigger id. */
function interaction(type: string, userId: string): Json {
  return {
    type,
    team: { id: 'T_TEST', domain: 'test' },
    user: {
      id: userId,
      username: userId.toLowerCase(),
      name: userId.toLowerCase(),
      team_id: 'T_TEST',
    },
    api_app_id: 'A_CERTOPS',
    token: 'deprecated-verification-token',
    trigger_id: `trigger-${++sequence}`,
  };
}

function findElement(blocks: Json[], actionId: string): { block: Json; element: Json } | undefined {
  for (const block of blocks) {
    const elements = [
      ...((block.elements as Json[] | undefined) ?? []),
      ...(block.accessory ? [block.accessory as Json] : []),
      ...(block.element ? [block.element as Json] : []),
    ];
    const element = elements.find((e) => e.action_id === actionId);
    if (element) return { block, element };
  }
  return undefined;
}

function initialValue(element: Json): InputValue {
  if (typeof element.initial_value === 'string') return element.initial_value;
  const initial = element.initial_option as Json | undefined;
  if (initial) return initial.value as string;
  const initials = element.initial_options as Json[] | undefined;
  if (initials) return initials.map((o) => o.value as string);
  return undefined;
}

function options(element: Json): Json[] {
  const direct = (element.options as Json[] | undefined) ?? [];
  const grouped = ((element.option_groups as Json[] | undefined) ?? []).flatMap(
    (g) => (g.options as Json[]) ?? [],
  );
  return [...direct, ...grouped];
}

/** Slack's `state.values` entry for one element holding `value`. */
function stateOf(element: Json, value: InputValue): Json {
  const type = element.type as string;
  const pick = (v: string) => {
    const found = options(element).find((o) => o.value === v);
    if (!found)
      throw new Error(
        `option ${v} is not offered by ${element.action_id as string}: ${JSON.stringify(options(element).map((o) => o.value))}`,
      );
    return found;
  };
  switch (type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return { type, value: typeof value === 'string' ? value : null };
    case 'static_select':
    case 'radio_buttons':
      return { type, selected_option: typeof value === 'string' ? pick(value) : null };
    case 'multi_static_select':
    case 'checkboxes':
      return {
        type,
        selected_options: (Array.isArray(value)
          ? value
          : typeof value === 'string'
            ? [value]
            : []
        ).map(pick),
      };
    case 'users_select':
      return { type, selected_user: typeof value === 'string' ? value : null };
    case 'conversations_select':
      return { type, selected_conversation: typeof value === 'string' ? value : null };
    default:
      return { type, value: typeof value === 'string' ? value : null };
  }
}
