import { EventEmitter } from 'node:events';
import { elementField, type FormField, formFields, parseAnswer, promptFor } from './form.js';
import type { LocalSlackApi, RecordedCall } from './local-slack-api.js';
import { type Pressable, renderBlocks, renderMessage, renderView } from './render-blocks.js';
import { eventBody, interactivityBody, sign, slashCommandBody } from './slack-requests.js';
import {
  blockElements,
  type InputValue,
  type Json,
  pressPayload,
  viewChange,
  viewSubmission,
} from './view-state.js';

/**
 * The try shell: a terminal stand-in for a Slack workspace, in the spirit of Hubot's shell
 * adapter. Lines typed become what Slack would send the bot (signed slash commands, button
 * clicks, modal submissions, App Home events) over the bot's real HTTP endpoint; what the bot
 * sends to the Web API (recorded by the local Slack stand-in) is rendered as text. Nothing in
 * the bot knows it is being tried.
 */
export interface TryShellOptions {
  readonly slack: LocalSlackApi;
  /** The bot's Slack endpoint, `http://127.0.0.1:<port>/slack/events`. */
  readonly eventsUrl: string;
  readonly signingSecret: string;
  /** Who types first. */
  readonly user: string;
  /** Who is who, for `who` (user id → what they can do). */
  readonly people: Readonly<Record<string, string>>;
  /** Channel names by id, for headers (`#approvals`). */
  readonly channels: Readonly<Record<string, string>>;
  /** Where commands are typed. */
  readonly channel: string;
  /** The bot's clock; `advance` moves it. */
  readonly clock: { now(): Date; advance(ms: number): void; readonly offsetMs: number };
  readonly timeZone: string;
  /** Runs the clock's jobs now (expiry check, review sweep) and waits for them, after `advance`. */
  readonly wake: () => Promise<void>;
  /** Where the screen goes (the terminal; tests collect it). */
  readonly write: (text: string) => void;
  /**
   * A certificate (PEM, no key) for these names from the demo CA, valid around the bot's clock:
   * what `:demo-cert` pastes, since nobody trying CertOps has a CA at hand.
   */
  readonly demoCertificate?: (names: readonly string[]) => Promise<string>;
}

interface ShownMessage {
  readonly channel: string;
  readonly ts: string | undefined;
  readonly text: string;
  readonly blocks: Json[];
  readonly ephemeral: boolean;
}

type ButtonTarget =
  | { readonly kind: 'message'; readonly messageKey: string }
  | { readonly kind: 'view'; readonly viewId: string; readonly userId: string };

interface Button {
  readonly target: ButtonTarget;
  readonly pressable: Pressable;
}

interface OpenForm {
  readonly userId: string;
  id: string;
  hash: string;
  view: Json;
  fields: FormField[];
  answers: Record<string, InputValue>;
  /** Indexes into `fields` still to ask, in order. */
  queue: number[];
  /** Lines of a multi-line answer being typed (ends with a line holding only "."). */
  lines: string[] | undefined;
  /** A view with nothing to fill in but a submit button: asks yes/no. */
  confirming: boolean;
  /** The view's notes as last shown. */
  notes: string;
}

const HELP = `Commands:
  /cert <text>     what a person types in Slack (try /cert help)
  <n> or press <n> press button [n]
  as <user>        type as someone else (who lists them)
  who              the people of this workspace
  home             open the CertOps App Home tab
  advance <time>   move the bot's clock forward, e.g. advance 2d, advance 1d12h, advance 30m;
                   the clock's jobs (expiry check, review reminders) run at once
  time             the bot's clock
  help, quit
In a modal: answer each field; ':press <n>' presses a button or select of the modal;
':cancel' closes the modal; in a certificate field,
':demo-cert shop.example.com' pastes a certificate for those names from the demo CA.`;

/** Elements that are pressed by choosing an option (in messages, App Home, a modal's section). */
const CHOICE_ELEMENTS = new Set([
  'static_select',
  'multi_static_select',
  'overflow',
  'users_select',
  'multi_users_select',
  'conversations_select',
  'channels_select',
  'datepicker',
]);

/** Calls that show nothing: lookups the bot makes before answering. */
const QUIET_METHODS = new Set(['auth.test', 'users.info', 'conversations.open']);
const ANSWER_WAIT_MS = 3000;
const DURATION = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;
const DAY_MS = 24 * 3600 * 1000;
const MAX_ADVANCE_MS = 800 * DAY_MS;

export class TryShell extends EventEmitter {
  /** Everything written, in order, for scripted sessions. */
  readonly screen: string[] = [];
  private user: string;
  private readonly messages = new Map<string, ShownMessage>();
  private readonly buttons = new Map<number, Button>();
  private nextButton = 1;
  private readonly responseUrls = new Map<
    string,
    { userId: string; channel: string; messageKey?: string }
  >();
  private readonly triggers = new Map<string, string>();
  private readonly homes = new Map<string, { id: string; view: Json }>();
  private form: OpenForm | undefined;
  /** A select or overflow menu pressed, waiting for its option. */
  private choosing: { readonly n: number; readonly field: FormField } | undefined;
  private sequence = 0;
  private readonly onCall = (call: RecordedCall) => {
    try {
      this.show(call);
    } catch (error) {
      this.print(`(could not show ${call.method}: ${(error as Error).message})`);
    }
  };

  constructor(private readonly options: TryShellOptions) {
    super();
    this.user = options.user;
    options.slack.on('call', this.onCall);
  }

  close(): void {
    this.options.slack.off('call', this.onCall);
  }

  /** The prompt for the next line: the person typing, or the modal field being asked. */
  prompt(): string {
    if (this.choosing) return '  choose › ';
    const form = this.form;
    if (!form) return `${this.user}> `;
    if (form.confirming) return '  › ';
    if (form.lines) return '  ... ';
    return '  › ';
  }

  /** Whether a modal is open (lines answer its fields). */
  get inModal(): boolean {
    return this.form !== undefined;
  }

  /** Handles one typed line; resolves once Slack's request has been acked. */
  async handle(raw: string): Promise<'quit' | undefined> {
    if (this.choosing) {
      await this.choose(raw);
      return undefined;
    }
    if (this.form) {
      await this.answer(raw);
      return undefined;
    }
    const line = raw.trim();
    if (line === '') return undefined;
    if (line === 'quit' || line === 'exit') return 'quit';
    if (line === 'help' || line === '?') {
      this.print(HELP);
      return undefined;
    }
    if (line.startsWith('/')) {
      await this.command(line);
      return undefined;
    }
    const press = /^(?:press\s+)?\[?(\d+)\]?$/.exec(line);
    if (press) {
      await this.press(Number(press[1]));
      return undefined;
    }
    const [word, ...rest] = line.split(/\s+/);
    switch (word) {
      case 'as':
        this.switchUser(rest[0]);
        return undefined;
      case 'who':
        this.print(this.who());
        return undefined;
      case 'home':
        await this.openHome();
        return undefined;
      case 'advance':
        await this.advance(rest.join(''));
        return undefined;
      case 'time':
      case 'now':
        this.print(`the bot's clock: ${this.time()}${this.offsetNote()}`);
        return undefined;
      default:
        this.print(`unknown command "${word}": type help`);
        return undefined;
    }
  }

  // --- what the person does ----------------------------------------------------------------

  private async command(line: string): Promise<void> {
    const match = /^(\/\S+)\s*([\s\S]*)$/.exec(line);
    const command = match?.[1] ?? line;
    const text = match?.[2] ?? '';
    if (command !== '/cert') {
      this.print(`only /cert is installed here (got ${command})`);
      return;
    }
    const responseId = this.responseUrl({ userId: this.user, channel: this.options.channel });
    const triggerId = this.trigger(this.user);
    const body = slashCommandBody({
      text,
      userId: this.user,
      channelId: this.options.channel,
      responseUrl: this.options.slack.responseUrl(responseId),
      triggerId,
    });
    const since = this.options.slack.calls.length;
    const res = await this.post(body, 'form');
    const acked = await this.showAck(res, { userId: this.user, channel: this.options.channel });
    if (!acked) await this.answerAfter(since);
  }

  private async press(n: number, chosen?: InputValue): Promise<void> {
    const button = this.buttons.get(n);
    if (!button) {
      this.print(`there is no button [${n}]`);
      return;
    }
    const { target, pressable } = button;
    // A select or an overflow menu: the option is asked first, then sent with the action.
    if (chosen === undefined && CHOICE_ELEMENTS.has(pressable.type)) {
      const field = elementField(pressable.blockId, pressable.element, pressable.text || 'Choose');
      this.choosing = { n, field };
      this.print(promptFor(field));
      return;
    }
    const found = { block: { block_id: pressable.blockId }, element: pressable.element };
    const ids = { triggerId: this.trigger(this.user), actionTs: `${Date.now() / 1000}`, chosen };
    if (target.kind === 'view') {
      // The open modal (its answers so far travel in its state, as in Slack) or an App Home.
      const form = this.form?.id === target.viewId ? this.form : undefined;
      const home = [...this.homes.values()].find((h) => h.id === target.viewId);
      const opened = form ?? { id: target.viewId, hash: 'h0', view: home?.view ?? {} };
      const payload = pressPayload(
        this.user,
        found,
        { in: 'view', opened, inputs: form?.answers ?? {} },
        ids,
      );
      const since = this.options.slack.calls.length;
      await this.showAck(await this.post(interactivityBody(payload), 'form'), {
        userId: this.user,
        channel: this.options.channel,
      });
      await this.answerAfter(since);
      return;
    }
    const message = this.messages.get(target.messageKey);
    if (!message) {
      this.print(`button [${n}] belongs to a message that is gone`);
      return;
    }
    const stillThere = message.blocks.some((block) =>
      blockElements(block).some((e) => e.action_id === pressable.actionId),
    );
    if (!stillThere) {
      this.print(`button [${n}] is no longer on its message`);
      return;
    }
    const responseId = this.responseUrl({
      userId: this.user,
      channel: message.channel,
      messageKey: target.messageKey,
    });
    const payload = pressPayload(
      this.user,
      found,
      {
        in: 'message',
        channelId: message.channel,
        channelName: this.channelName(message.channel),
        ts: message.ts ?? '1700000000.000000',
        text: message.text,
        blocks: message.blocks,
        responseUrl: this.options.slack.responseUrl(responseId),
        isEphemeral: message.ephemeral,
      },
      ids,
    );
    const since = this.options.slack.calls.length;
    await this.showAck(await this.post(interactivityBody(payload), 'form'), {
      userId: this.user,
      channel: message.channel,
    });
    await this.answerAfter(since);
  }

  /** The option for the select or overflow menu being pressed. */
  private async choose(raw: string): Promise<void> {
    const { n, field } = this.choosing as { n: number; field: FormField };
    if (raw.trim() === ':cancel') {
      this.choosing = undefined;
      this.print('(nothing chosen)');
      return;
    }
    const parsed = parseAnswer(field, raw);
    if (!parsed.ok || parsed.value === undefined) {
      this.print(`  ! ${parsed.ok ? 'choose one' : parsed.error}`);
      return;
    }
    this.choosing = undefined;
    await this.press(n, parsed.value);
    // Pressed inside a modal: back to the field that was being asked.
    if (this.form && !this.choosing) this.askNext();
  }

  private switchUser(id: string | undefined): void {
    if (!id || !/^[UW][A-Z0-9]{1,30}$/.test(id)) {
      this.print('usage: as <user id>, e.g. as UAPPROVER (who lists the people)');
      return;
    }
    this.user = id;
    const role = this.options.people[id];
    this.print(`you are now ${id}${role ? ` (${role})` : ' (not one of the demo people)'}`);
  }

  private who(): string {
    return Object.entries(this.options.people)
      .map(([id, role]) => `${id === this.user ? '* ' : '  '}${id.padEnd(14)} ${role}`)
      .join('\n');
  }

  private async openHome(): Promise<void> {
    const since = this.options.slack.calls.length;
    const res = await this.post(
      eventBody({
        type: 'app_home_opened',
        user: this.user,
        channel: `D_${this.user}`,
        tab: 'home',
        event_ts: `${Date.now() / 1000}`,
      }),
      'json',
    );
    await res.text();
    if (res.status !== 200) {
      this.print(`(the bot answered ${res.status})`);
      return;
    }
    const user = this.user;
    const call = await this.options.slack
      .waitFor(
        (c) =>
          c.method === 'views.publish' &&
          c.params.user_id === user &&
          this.options.slack.calls.indexOf(c) >= since,
        5000,
      )
      .catch(() => undefined);
    if (!call) this.print('(the App Home did not arrive within 5 s)');
  }

  private async advance(spec: string): Promise<void> {
    const match = DURATION.exec(spec);
    if (!spec || !match) {
      this.print('usage: advance <time>, e.g. advance 2d, advance 1d12h, advance 3h, advance 1w');
      return;
    }
    const [, w, d, h, m] = match.map((part) => Number(part ?? 0));
    const ms = ((((w ?? 0) * 7 + (d ?? 0)) * 24 + (h ?? 0)) * 60 + (m ?? 0)) * 60_000;
    if (ms <= 0 || this.options.clock.offsetMs + ms > MAX_ADVANCE_MS) {
      this.print('advance by something between 1 minute and 800 days in all');
      return;
    }
    // A day at a time, the clock's jobs run after each step, as the daily check and the review
    // sweep would have while that time passed: a hosted certificate is renewed inside its
    // window instead of being found expired at the end of a long jump.
    const days = Math.ceil(ms / DAY_MS);
    this.print(
      days > 1
        ? `moving the bot's clock ${days} days forward, a day at a time, running the clock's jobs each day`
        : `moving the bot's clock forward, then running the clock's jobs`,
    );
    for (let left = ms; left > 0; left -= DAY_MS) {
      this.options.clock.advance(Math.min(left, DAY_MS));
      await this.options.wake();
    }
    this.print(`the bot's clock is now ${this.time()}${this.offsetNote()}`);
  }

  // --- modals --------------------------------------------------------------------------------

  private openForm(userId: string, id: string, hash: string, view: Json): void {
    const fields = formFields(view);
    const form: OpenForm = {
      userId,
      id,
      hash,
      view,
      fields,
      answers: {},
      queue: fields.map((_, i) => i),
      lines: undefined,
      confirming: false,
      notes: renderBlocks(((view.blocks as Json[]) ?? []).filter(isNote)),
    };
    this.form = form;
    this.print(
      frame(
        `modal for ${userId}`,
        renderView(view, { number: (p) => this.number(p, { kind: 'view', viewId: id, userId }) }),
      ),
    );
    this.askNext();
  }

  private askNext(): void {
    const form = this.form;
    if (!form) return;
    const index = form.queue[0];
    if (index === undefined) {
      if (form.view.submit) {
        // Nothing (left) to fill in: ask before submitting.
        form.confirming = true;
        this.print(
          form.fields.length === 0 ? 'submit? [y/n]' : 'every field answered: submit? [y/n]',
        );
      } else {
        this.form = undefined;
        this.print('(nothing to fill in; modal closed)');
      }
      return;
    }
    const field = form.fields[index] as FormField;
    if (field.kind === 'multiline') form.lines = [];
    this.print(promptFor(field));
    if (
      field.kind === 'multiline' &&
      this.options.demoCertificate &&
      /PEM|certificate/i.test(field.label)
    )
      this.print(
        "  → or ':demo-cert <name>[,<name>…]' to paste a demo certificate for those names",
      );
    this.emit('prompt');
  }

  private async answer(raw: string): Promise<void> {
    const form = this.form as OpenForm;
    const press = /^:press\s+\[?(\d+)\]?$/.exec(raw.trim());
    if (press) {
      await this.press(Number(press[1]));
      if (this.form === form && !this.choosing) this.askNext();
      return;
    }
    if (raw.trim() === ':cancel') {
      this.form = undefined;
      this.print('(modal closed)');
      return;
    }
    if (form.confirming) {
      if (/^y(es)?$/i.test(raw.trim())) {
        form.confirming = false;
        await this.submit(form);
      } else if (/^no?$/i.test(raw.trim())) {
        this.form = undefined;
        this.print('(modal closed)');
      } else this.print('answer y or n');
      return;
    }
    const index = form.queue[0];
    if (index === undefined) return;
    const field = form.fields[index] as FormField;
    let given = raw;
    if (form.lines) {
      const demo = /^:demo-cert\s+(.+)$/.exec(raw.trim());
      if (demo && form.lines.length === 0 && this.options.demoCertificate) {
        const names = (demo[1] ?? '').split(/[\s,]+/).filter(Boolean);
        given = (await this.options.demoCertificate(names)).trim();
        this.print(`  (a demo certificate for ${names.join(', ')}, signed by the demo CA)`);
      } else {
        // Enter on the first line leaves the field empty (or keeps its initial value).
        const done = raw.trim() === '.' || (raw === '' && form.lines.length === 0);
        if (!done) {
          form.lines.push(raw);
          return;
        }
        given = form.lines.join('\n');
      }
      form.lines = undefined;
    }
    const parsed = parseAnswer(field, given);
    if (!parsed.ok) {
      this.print(`  ! ${parsed.error}`);
      if (field.kind === 'multiline') form.lines = [];
      return;
    }
    form.answers[field.blockId] = parsed.value;
    form.queue.shift();
    if (field.dispatchAction) await this.dispatchChange(form, field);
    if (this.form !== form) return;
    if (form.queue.length > 0) {
      this.askNext();
      return;
    }
    await this.submit(form);
  }

  /** An input that dispatches on change: Slack sends block_actions and the bot may update the view. */
  private async dispatchChange(form: OpenForm, field: FormField): Promise<void> {
    const payload = viewChange(form, form.userId, field.blockId, form.answers, {
      triggerId: this.trigger(form.userId),
      actionTs: `${Date.now() / 1000}`,
    });
    const since = this.options.slack.calls.length;
    const res = await this.post(interactivityBody(payload), 'form');
    await res.text();
    // The bot answers a change with views.update (a hint, a summed quota); show what it says.
    await this.options.slack
      .waitFor(
        (c) =>
          c.method === 'views.update' &&
          c.params.view_id === form.id &&
          this.options.slack.calls.indexOf(c) >= since,
        1500,
      )
      .catch(() => undefined);
  }

  private async submit(form: OpenForm): Promise<void> {
    const payload = viewSubmission(form, form.userId, form.answers, this.trigger(form.userId));
    const since = this.options.slack.calls.length;
    const res = await this.post(interactivityBody(payload), 'form');
    const text = await res.text();
    if (res.status !== 200) {
      this.print(
        `  (the bot answered ${res.status}; the modal stays open: fix a field or :cancel)`,
      );
      form.queue = form.fields.map((_, i) => i);
      this.askNext();
      return;
    }
    const ack = parseJson(text);
    const action = ack?.response_action;
    if (action === 'errors') {
      const errors = (ack?.errors ?? {}) as Record<string, string>;
      const failed = form.fields
        .map((field, i) => ({ field, i }))
        .filter(({ field }) => errors[field.blockId] !== undefined);
      for (const [blockId, message] of Object.entries(errors)) {
        const field = form.fields.find((f) => f.blockId === blockId);
        this.print(`  ! ${field?.label ?? blockId}: ${message}`);
      }
      form.queue = failed.length > 0 ? failed.map(({ i }) => i) : form.fields.map((_, i) => i);
      this.askNext();
      return;
    }
    if ((action === 'update' || action === 'push') && ack?.view) {
      this.openForm(form.userId, form.id, form.hash, ack.view as Json);
      return;
    }
    this.form = undefined;
    this.print('(submitted; modal closed)');
    await this.answerAfter(since);
  }

  // --- what the bot sends -----------------------------------------------------------------------

  private show(call: RecordedCall): void {
    const { method, params } = call;
    switch (method) {
      case 'chat.postMessage': {
        const channel = String(params.channel ?? '');
        const ts = call.response?.ts as string | undefined;
        const key = `${channel}:${ts}`;
        this.remember(key, { channel, ts, params, ephemeral: false });
        const thread = params.thread_ts ? ' (thread reply)' : '';
        this.printMessage(`${this.where(channel)}${thread}`, key);
        return;
      }
      case 'chat.update': {
        const channel = String(params.channel ?? '');
        const ts = params.ts as string | undefined;
        const key = `${channel}:${ts}`;
        this.remember(key, { channel, ts, params, ephemeral: false });
        this.printMessage(`${this.where(channel)}, message updated`, key);
        return;
      }
      case 'chat.postEphemeral': {
        const channel = String(params.channel ?? '');
        const key = `ephemeral:${++this.sequence}`;
        this.remember(key, { channel, ts: undefined, params, ephemeral: true });
        this.printMessage(`${this.where(channel)}, only ${String(params.user)} sees this`, key);
        return;
      }
      case 'views.open':
      case 'views.push': {
        const view = (params.view ?? {}) as Json;
        const answered = (call.response?.view ?? {}) as Json;
        const userId = this.triggers.get(String(params.trigger_id)) ?? this.user;
        this.openForm(userId, String(answered.id ?? 'V0'), String(answered.hash ?? 'h0'), view);
        return;
      }
      case 'views.update': {
        const form = this.form;
        if (!form || params.view_id !== form.id) return;
        form.view = (params.view ?? {}) as Json;
        const fresh = formFields(form.view);
        // Still to ask: the fields not answered yet, and the ones the update brought (a rebuilt
        // modal may name its inputs anew).
        const pending = new Set(form.queue.map((i) => form.fields[i]?.blockId));
        const known = new Set(form.fields.map((f) => f.blockId));
        form.fields = fresh;
        form.queue = fresh.flatMap((f, i) =>
          pending.has(f.blockId) || !known.has(f.blockId) ? [i] : [],
        );
        // Only what the bot says about the answers so far (a hint, a summed quota), once.
        const notes = renderBlocks(((form.view.blocks as Json[]) ?? []).filter(isNote), {
          number: (p) => this.number(p, { kind: 'view', viewId: form.id, userId: form.userId }),
        });
        if (notes.trim() !== '' && notes !== form.notes)
          this.print(indent(this.named(notes), '  │ '));
        form.notes = notes;
        return;
      }
      case 'views.publish': {
        const userId = String(params.user_id ?? '');
        const id = String((call.response?.view as Json | undefined)?.id ?? 'V0');
        const view = (params.view ?? {}) as Json;
        this.homes.set(userId, { id, view });
        this.print(
          frame(
            `App Home of ${userId}`,
            renderView(view, {
              number: (p) => this.number(p, { kind: 'view', viewId: id, userId }),
            }),
          ),
        );
        return;
      }
      default:
        if (method.startsWith('response_url:')) this.showResponse(method.slice(13), params);
    }
  }

  private showResponse(id: string, params: Json): void {
    const origin = this.responseUrls.get(id);
    if (!origin) return;
    if (params.delete_original === true && origin.messageKey) {
      this.messages.delete(origin.messageKey);
      this.print(`[${this.clockTime()}] ${this.where(origin.channel)}: a message was deleted`);
      return;
    }
    const replacing = params.replace_original === true && origin.messageKey;
    const key = replacing ? (origin.messageKey as string) : `response:${id}`;
    const before = this.messages.get(key);
    const inChannel = params.response_type === 'in_channel';
    this.remember(key, {
      channel: origin.channel,
      ts: before?.ts,
      params,
      ephemeral: before?.ephemeral ?? !inChannel,
    });
    const who = inChannel ? '' : `, only ${origin.userId} sees this`;
    this.printMessage(
      `${this.where(origin.channel)}${replacing ? ', message replaced' : ''}${who}`,
      key,
    );
  }

  private remember(
    key: string,
    source: { channel: string; ts: string | undefined; params: Json; ephemeral: boolean },
  ): void {
    const blocks = Array.isArray(source.params.blocks) ? (source.params.blocks as Json[]) : [];
    this.messages.set(key, {
      channel: source.channel,
      ts: source.ts,
      text: typeof source.params.text === 'string' ? source.params.text : '',
      blocks,
      ephemeral: source.ephemeral,
    });
  }

  private printMessage(heading: string, key: string): void {
    const message = this.messages.get(key);
    if (!message) return;
    const body = renderMessage(
      { text: message.text, blocks: message.blocks },
      { number: (p) => this.number(p, { kind: 'message', messageKey: key }) },
    );
    this.print(`[${this.clockTime()}] ${heading}\n${indent(this.named(body), '  ')}`);
  }

  /**
   * The ack of a request: a status other than 200, or a message in its body, is shown.
   * True when it said something (nothing more to wait for).
   */
  private async showAck(
    res: Response,
    origin: { userId: string; channel: string },
  ): Promise<boolean> {
    const text = await res.text();
    if (res.status !== 200) {
      this.print(`(the bot answered HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''})`);
      return true;
    }
    const body = parseJson(text);
    if (body && (typeof body.text === 'string' || Array.isArray(body.blocks))) {
      const key = `ack:${++this.sequence}`;
      this.remember(key, { channel: origin.channel, ts: undefined, params: body, ephemeral: true });
      this.printMessage(`${this.where(origin.channel)}, only ${origin.userId} sees this`, key);
      return true;
    }
    return false;
  }

  /**
   * Slack shows a handler's answer when it comes, after the ack; the shell waits for the bot's
   * first Web API call after `since` (bounded, as Slack's own 3 s) so the answer is on screen
   * before the next prompt and a piped script's next line finds the modal open.
   */
  private async answerAfter(since: number): Promise<void> {
    const calls = this.options.slack.calls;
    await this.options.slack
      .waitFor((c) => calls.indexOf(c) >= since && !QUIET_METHODS.has(c.method), ANSWER_WAIT_MS)
      .catch(() => undefined);
  }

  // --- plumbing ------------------------------------------------------------------------------

  private number(pressable: Pressable, target: ButtonTarget): number {
    const n = this.nextButton++;
    this.buttons.set(n, { target, pressable });
    return n;
  }

  private responseUrl(origin: { userId: string; channel: string; messageKey?: string }): string {
    const id = `r${++this.sequence}`;
    this.responseUrls.set(id, origin);
    return id;
  }

  private trigger(userId: string): string {
    const id = `trigger-${++this.sequence}`;
    this.triggers.set(id, userId);
    return id;
  }

  private post(body: string, contentType: 'form' | 'json'): Promise<Response> {
    return fetch(this.options.eventsUrl, {
      method: 'POST',
      headers: {
        'content-type':
          contentType === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
        ...sign(body, this.options.signingSecret),
      },
      body,
    });
  }

  private where(channel: string): string {
    if (/^[UW]/.test(channel)) return `DM to ${channel}`;
    if (channel.startsWith('D_')) return `DM to ${channel.slice(2)}`;
    return `#${this.channelName(channel)}`;
  }

  /** Channel mentions by name, as Slack shows them (`#support`, not `#CSUPPORT`). */
  private named(text: string): string {
    return text.replace(/#([CG][A-Z0-9]+)\b/g, (whole, id: string) => {
      const name = this.options.channels[id];
      return name ? `#${name}` : whole;
    });
  }

  private channelName(channel: string): string {
    return this.options.channels[channel] ?? channel;
  }

  private time(): string {
    return formatTime(this.options.clock.now(), this.options.timeZone, true);
  }

  private clockTime(): string {
    return formatTime(this.options.clock.now(), this.options.timeZone, false);
  }

  private offsetNote(): string {
    const hours = Math.round(this.options.clock.offsetMs / 3_600_000);
    return hours === 0 ? '' : ` (${hours} h ahead of real time)`;
  }

  private print(text: string): void {
    this.screen.push(text);
    this.options.write(text);
    this.emit('output', text);
  }

  /** Resolves with the screen written since `since` once it matches (scripted sessions). */
  waitFor(pattern: RegExp, since: number, timeoutMs = 30_000): Promise<string> {
    const seen = () => this.screen.slice(since).join('\n');
    if (pattern.test(seen())) return Promise.resolve(seen());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('output', check);
        reject(new Error(`screen did not show ${pattern} within ${timeoutMs} ms:\n${seen()}`));
      }, timeoutMs);
      const check = () => {
        if (!pattern.test(seen())) return;
        clearTimeout(timer);
        this.off('output', check);
        resolve(seen());
      };
      this.on('output', check);
    });
  }
}

/** Blocks of a modal that say something (not inputs): shown again when the bot updates them. */
function isNote(block: Json): boolean {
  return block.type === 'context' || block.type === 'section';
}

function frame(title: string, body: string): string {
  return `┌─ ${title}\n${indent(body, '│ ')}\n└─`;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

function parseJson(text: string): Json | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

function formatTime(at: Date, timeZone: string, long: boolean): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    ...(long ? { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    ...(long ? { timeZoneName: 'short' } : { month: 'short', day: 'numeric' }),
  }).format(at);
}
