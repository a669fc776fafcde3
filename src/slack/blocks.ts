import type { types } from '@slack/bolt';
import type { Params } from './i18n/index.js';
import { LIMITS } from './limits.js';

/**
 * Small pure Block Kit builders that cannot produce a payload Slack rejects for size:
 * - display text is truncated with `…` (never splitting a character, emoji or flag);
 * - identifiers and values (block_id, action_id, callback_id, button/option values, urls,
 *   private_metadata) throw a RangeError instead, since a cut id would point elsewhere;
 * - counts that carry actions or choices (actions elements, select/radio/checkbox options,
 *   modal blocks, section fields) throw a RangeError: dropping one silently would hide a
 *   choice, so callers paginate (`paginate`) or split (`fieldsSection`);
 * - counts that are display only (context elements, message blocks via `fitMessage`) are
 *   folded or dropped with a visible note.
 *
 * Lengths are measured in UTF-16 code units (`string.length`), never fewer than the code
 * points Slack counts, so a truncated string fits whichever way Slack counts.
 */

export type KnownBlock = types.KnownBlock;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;
export type PlainTextElement = types.PlainTextElement;
export type MrkdwnElement = types.MrkdwnElement;
export type PlainTextOption = types.PlainTextOption;
export type ConfirmationDialog = types.ConfirmationDialog;
export type Button = types.Button;
export type StaticSelect = types.StaticSelect;
export type MultiStaticSelect = types.MultiStaticSelect;
export type ExternalSelect = types.ExternalSelect;
export type MultiExternalSelect = types.MultiExternalSelect;
export type Checkboxes = types.Checkboxes;
export type RadioButtons = types.RadioButtons;
export type PlainTextInput = types.PlainTextInput;
export type SectionBlock = types.SectionBlock;
export type HeaderBlock = types.HeaderBlock;
export type ContextBlock = types.ContextBlock;
export type DividerBlock = types.DividerBlock;
export type ActionsBlock = types.ActionsBlock;
export type InputBlock = types.InputBlock;

export const ELLIPSIS = '…';

// Grapheme clusters, so a cut never lands inside a surrogate pair, a ZWJ emoji or a flag.
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** `text` if it fits in `max`, else its longest whole-grapheme prefix plus `…`, ≤ `max`. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < ELLIPSIS.length) return '';
  // The grapheme holding the first code unit past the budget starts at the last safe cut.
  const cut = graphemes.segment(text).containing(max - ELLIPSIS.length)?.index ?? 0;
  return `${text.slice(0, cut).trimEnd()}${ELLIPSIS}`;
}

/**
 * Escapes the three characters Slack's mrkdwn treats as control characters, so user input
 * such as `<!channel>`, `<@U123>` or `<http://evil|bank>` shows as typed and pings no one.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Message parameters with every string escaped (`escapeMrkdwn`): people and the CA wrote them. */
export function escapeParams(params: Params | undefined): Params {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    out[name] = typeof value === 'string' ? escapeMrkdwn(value) : value;
  }
  return out;
}

// --- text objects ---

export function plainText(text: string, max: number = LIMITS.textObject): PlainTextElement {
  return { type: 'plain_text', text: truncate(text, max), emoji: true };
}

/** Mrkdwn is not escaped here: callers escape user input with `escapeMrkdwn` first. */
export function mrkdwn(text: string, max: number = LIMITS.textObject): MrkdwnElement {
  return { type: 'mrkdwn', text: truncate(text, max) };
}

// --- blocks ---

export function header(text: string): HeaderBlock {
  return { type: 'header', text: plainText(text, LIMITS.headerText) };
}

export interface SectionOptions {
  /** At most 10 (throws beyond); use `fieldsSection` for longer lists. */
  readonly fields?: readonly string[];
  readonly accessory?: types.SectionBlockAccessory;
  readonly blockId?: string;
}

/** A section; empty `text` is left out (allowed when there are fields). */
export function section(text: string, options: SectionOptions = {}): SectionBlock {
  const { fields, accessory, blockId } = options;
  const block: SectionBlock = { type: 'section' };
  if (blockId !== undefined) block.block_id = uncut('block_id', blockId, LIMITS.blockId);
  if (text !== '') block.text = mrkdwn(text, LIMITS.sectionText);
  if (fields && fields.length > 0) {
    block.fields = within('section fields', fields, LIMITS.sectionFields).map((f) =>
      mrkdwn(f, LIMITS.sectionFieldText),
    );
  }
  if (accessory) block.accessory = accessory;
  return block;
}

/** Any number of mrkdwn fields as consecutive sections of at most 10 fields each. */
export function fieldsSection(fields: readonly string[]): SectionBlock[] {
  const sections: SectionBlock[] = [];
  for (let i = 0; i < fields.length; i += LIMITS.sectionFields) {
    sections.push(section('', { fields: fields.slice(i, i + LIMITS.sectionFields) }));
  }
  return sections;
}

/** A context block; past 10 texts, the rest are folded into the 10th so nothing is lost. */
export function context(texts: readonly string[]): ContextBlock {
  const max = LIMITS.contextElements;
  const folded =
    texts.length <= max ? texts : [...texts.slice(0, max - 1), texts.slice(max - 1).join('  ')];
  return { type: 'context', elements: folded.map((t) => mrkdwn(t)) };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

/** An actions block; more than 25 elements throws (a missing button would go unnoticed). */
export function actions(
  blockId: string,
  elements: readonly types.ActionsBlockElement[],
): ActionsBlock {
  return {
    type: 'actions',
    block_id: uncut('block_id', blockId, LIMITS.blockId),
    elements: [...within('actions elements', elements, LIMITS.actionsElements)],
  };
}

export interface InputOptions {
  readonly blockId: string;
  readonly label: string;
  readonly element: types.InputBlockElement;
  readonly optional?: boolean;
  readonly hint?: string;
  readonly dispatchAction?: boolean;
}

export function input(options: InputOptions): InputBlock {
  const block: InputBlock = {
    type: 'input',
    block_id: uncut('block_id', options.blockId, LIMITS.blockId),
    label: plainText(options.label, LIMITS.inputLabel),
    element: options.element,
  };
  if (options.optional !== undefined) block.optional = options.optional;
  if (options.hint !== undefined) block.hint = plainText(options.hint, LIMITS.inputHint);
  if (options.dispatchAction !== undefined) block.dispatch_action = options.dispatchAction;
  return block;
}

// --- elements ---

export interface ConfirmOptions {
  readonly title: string;
  readonly text: string;
  readonly confirm: string;
  readonly deny: string;
  readonly style?: 'primary' | 'danger';
}

export function confirmDialog(options: ConfirmOptions): ConfirmationDialog {
  const dialog: ConfirmationDialog = {
    title: plainText(options.title, LIMITS.confirmTitle),
    text: plainText(options.text, LIMITS.confirmText),
    confirm: plainText(options.confirm, LIMITS.confirmButton),
    deny: plainText(options.deny, LIMITS.confirmButton),
  };
  if (options.style) dialog.style = options.style;
  return dialog;
}

export interface ButtonOptions {
  readonly actionId: string;
  readonly text: string;
  /** Data, not display: longer than 2000 throws (see `encodeMetadata`). */
  readonly value?: string;
  readonly style?: 'primary' | 'danger';
  readonly confirm?: ConfirmOptions;
  readonly url?: string;
}

export function button(options: ButtonOptions): Button {
  const el: Button = {
    type: 'button',
    action_id: uncut('action_id', options.actionId, LIMITS.actionId),
    text: plainText(options.text, LIMITS.buttonText),
  };
  if (options.value !== undefined) {
    el.value = uncut('button value', options.value, LIMITS.buttonValue);
  }
  if (options.style) el.style = options.style;
  if (options.confirm) el.confirm = confirmDialog(options.confirm);
  if (options.url !== undefined) el.url = uncut('button url', options.url, LIMITS.url);
  return el;
}

/** An option; `value` is an id, so one longer than 75 throws rather than being cut. */
export function option(text: string, value: string, description?: string): PlainTextOption {
  const opt: PlainTextOption = {
    text: plainText(text, LIMITS.optionText),
    value: uncut('option value', value, LIMITS.optionValue),
  };
  if (description !== undefined && description !== '') {
    opt.description = plainText(description, LIMITS.optionDescription);
  }
  return opt;
}

export interface SelectOptions {
  readonly actionId: string;
  /** 1–100 options; more throws, so callers paginate. */
  readonly options: readonly PlainTextOption[];
  readonly placeholder?: string;
  readonly confirm?: ConfirmOptions;
  readonly focusOnLoad?: boolean;
}

export function staticSelect(
  options: SelectOptions & { readonly initialValue?: string },
): StaticSelect {
  const el: StaticSelect = {
    type: 'static_select',
    action_id: uncut('action_id', options.actionId, LIMITS.actionId),
    options: [...between('select options', options.options, LIMITS.selectOptions)],
  };
  addSelectCommon(el, options);
  const initial = options.options.find((o) => o.value === options.initialValue);
  if (initial) el.initial_option = initial;
  return el;
}

/**
 * A select whose options the bot serves as the person types (a block_suggestion request to the
 * `app.options` listener of `actionId`): for lists past a static select's 100.
 */
export function externalSelect(
  options: Omit<SelectOptions, 'options'> & {
    readonly initialOption?: PlainTextOption;
    /** Characters typed before Slack asks; 0 asks as soon as the menu opens. */
    readonly minQueryLength?: number;
  },
): ExternalSelect {
  const el: ExternalSelect = {
    type: 'external_select',
    action_id: uncut('action_id', options.actionId, LIMITS.actionId),
  };
  addSelectCommon(el, { ...options, options: [] });
  if (options.initialOption) el.initial_option = options.initialOption;
  if (options.minQueryLength !== undefined) el.min_query_length = options.minQueryLength;
  return el;
}

/** A multi-select whose options a search serves (block_suggestion), from 0 characters typed. */
export function multiExternalSelect(
  options: Omit<SelectOptions, 'options'> & {
    /** The options already chosen (Slack keeps them only if the view says so). */
    readonly initialOptions?: readonly PlainTextOption[];
    readonly minQueryLength?: number;
  },
): MultiExternalSelect {
  const el: MultiExternalSelect = {
    type: 'multi_external_select',
    action_id: uncut('action_id', options.actionId, LIMITS.actionId),
  };
  addSelectCommon(el, { ...options, options: [] });
  if (options.initialOptions && options.initialOptions.length > 0)
    el.initial_options = [
      ...between('select options', options.initialOptions, LIMITS.selectOptions),
    ];
  if (options.minQueryLength !== undefined) el.min_query_length = options.minQueryLength;
  return el;
}

export function multiStaticSelect(
  options: SelectOptions & {
    readonly initialValues?: readonly string[];
    readonly maxSelectedItems?: number;
  },
): MultiStaticSelect {
  const el: MultiStaticSelect = {
    type: 'multi_static_select',
    action_id: uncut('action_id', options.actionId, LIMITS.actionId),
    options: [...between('select options', options.options, LIMITS.selectOptions)],
  };
  addSelectCommon(el, options);
  const initial = selected(options.options, options.initialValues);
  if (initial.length > 0) el.initial_options = initial;
  if (options.maxSelectedItems !== undefined) el.max_selected_items = options.maxSelectedItems;
  return el;
}

export interface ChoiceOptions {
  readonly actionId: string;
  /** 1–10 options; more throws. */
  readonly options: readonly PlainTextOption[];
  readonly focusOnLoad?: boolean;
}

export function checkboxes(
  options: ChoiceOptions & { readonly initialValues?: readonly string[] },
): Checkboxes {
  const el: Checkboxes = {
    type: 'checkboxes',
    action_id: uncut('action_id', options.actionId, LIMITS.actionId),
    options: [...between('checkbox options', options.options, LIMITS.checkboxOptions)],
  };
  const initial = selected(options.options, options.initialValues);
  if (initial.length > 0) el.initial_options = initial;
  if (options.focusOnLoad !== undefined) el.focus_on_load = options.focusOnLoad;
  return el;
}

export function radioButtons(
  options: ChoiceOptions & { readonly initialValue?: string },
): RadioButtons {
  const el: RadioButtons = {
    type: 'radio_buttons',
    action_id: uncut('action_id', options.actionId, LIMITS.actionId),
    options: [...between('radio options', options.options, LIMITS.radioOptions)],
  };
  const initial = options.options.find((o) => o.value === options.initialValue);
  if (initial) el.initial_option = initial;
  if (options.focusOnLoad !== undefined) el.focus_on_load = options.focusOnLoad;
  return el;
}

export interface PlainTextInputOptions {
  readonly actionId: string;
  readonly multiline?: boolean;
  /** Clamped to 1–3000; `initialValue` is cut to it so Slack does not reject the view. */
  readonly maxLength?: number;
  readonly minLength?: number;
  readonly initialValue?: string;
  readonly placeholder?: string;
  readonly focusOnLoad?: boolean;
}

export function plainTextInput(options: PlainTextInputOptions): PlainTextInput {
  const max = clampLength(options.maxLength, 1);
  const el: PlainTextInput = {
    type: 'plain_text_input',
    action_id: uncut('action_id', options.actionId, LIMITS.actionId),
  };
  if (options.multiline !== undefined) el.multiline = options.multiline;
  if (options.maxLength !== undefined) el.max_length = max;
  if (options.minLength !== undefined)
    el.min_length = Math.min(clampLength(options.minLength, 0), max);
  if (options.initialValue !== undefined && options.initialValue !== '') {
    el.initial_value = truncate(options.initialValue, max);
  }
  if (options.placeholder !== undefined) {
    el.placeholder = plainText(options.placeholder, LIMITS.placeholder);
  }
  if (options.focusOnLoad !== undefined) el.focus_on_load = options.focusOnLoad;
  return el;
}

// --- views ---

export interface ModalOptions {
  readonly callbackId: string;
  /** Cut to 24, as are `submit` and `close`. */
  readonly title: string;
  readonly submit?: string;
  readonly close?: string;
  /** At most 100; more throws. */
  readonly blocks: readonly KnownBlock[];
  /** At most 3000 (throws beyond); build it with `encodeMetadata`. */
  readonly privateMetadata?: string;
  readonly notifyOnClose?: boolean;
}

export function modal(options: ModalOptions): ModalView {
  const view: ModalView = {
    type: 'modal',
    callback_id: uncut('callback_id', options.callbackId, LIMITS.callbackId),
    title: plainText(options.title, LIMITS.modalTitle),
    blocks: [...within('modal blocks', options.blocks, LIMITS.viewBlocks)],
  };
  if (options.submit !== undefined) view.submit = plainText(options.submit, LIMITS.modalSubmit);
  if (options.close !== undefined) view.close = plainText(options.close, LIMITS.modalClose);
  if (options.privateMetadata !== undefined) {
    view.private_metadata = uncut(
      'private_metadata',
      options.privateMetadata,
      LIMITS.privateMetadata,
    );
  }
  if (options.notifyOnClose !== undefined) view.notify_on_close = options.notifyOnClose;
  return view;
}

/** The App Home tab: at most 100 blocks (throws beyond). */
export function homeView(blocks: readonly KnownBlock[], privateMetadata?: string): HomeView {
  const view: HomeView = {
    type: 'home',
    blocks: [...within('home blocks', blocks, LIMITS.viewBlocks)],
  };
  if (privateMetadata !== undefined) {
    view.private_metadata = uncut('private_metadata', privateMetadata, LIMITS.privateMetadata);
  }
  return view;
}

// --- messages ---

/** The serialized size of `blocks`, which is what `msg_blocks_too_long` is about. */
export function blocksSize(blocks: readonly KnownBlock[]): number {
  return JSON.stringify(blocks).length;
}

/** Whether `chat.postMessage({ blocks, text })` stays within every message limit. */
export function messageFits(blocks: readonly KnownBlock[], text: string): boolean {
  return (
    blocks.length <= LIMITS.messageBlocks &&
    blocksSize(blocks) <= LIMITS.messageBlocksChars &&
    text.length <= LIMITS.messageText
  );
}

/** The top-level `text` fallback, cut to the message limit. */
export function fallbackText(text: string): string {
  return truncate(text, LIMITS.messageText);
}

/**
 * `blocks` unchanged if they fit; otherwise the longest leading run that fits together with a
 * context note `more(hidden)` (e.g. "…and 12 more", from the i18n catalog), where `hidden`
 * counts the blocks left out.
 */
export function fitMessage(
  blocks: readonly KnownBlock[],
  more: (hidden: number) => string,
  maxBlocks: number = LIMITS.messageBlocks,
  maxChars: number = LIMITS.messageBlocksChars,
): KnownBlock[] {
  if (blocks.length <= maxBlocks && blocksSize(blocks) <= maxChars) return [...blocks];
  // JSON of n items = 2 brackets + their sizes + (n - 1) commas; sizes are computed once.
  const prefix = [0];
  for (const block of blocks) prefix.push((prefix.at(-1) ?? 0) + JSON.stringify(block).length);
  for (let keep = Math.min(blocks.length, Math.max(maxBlocks - 1, 0)); keep > 0; keep--) {
    const note = context([more(blocks.length - keep)]);
    const size = 2 + (prefix[keep] ?? 0) + keep + JSON.stringify(note).length;
    if (size <= maxChars) return [...blocks.slice(0, keep), note];
  }
  return [context([more(blocks.length)])];
}

// --- pagination ---

export interface Page<T> {
  readonly items: T[];
  /** 0-based, clamped into range (page numbers come back from Slack as untrusted values). */
  readonly page: number;
  /** At least 1, so an empty list still reads "page 1 of 1". */
  readonly pages: number;
  readonly hasPrev: boolean;
  readonly hasNext: boolean;
}

/** One 0-based page of `items`; an out-of-range or non-integer `page` is clamped. */
export function paginate<T>(items: readonly T[], page: number, pageSize: number): Page<T> {
  const at = pageOf(items.length, page, pageSize);
  const start = at.page * pageSize;
  return { items: items.slice(start, start + pageSize), ...at };
}

/**
 * Where page `page` lies among `total` items (clamped like paginate), for a list whose page was
 * read elsewhere (the store reads one page of a list, not all of it).
 */
export function pageOf(total: number, page: number, pageSize: number): Omit<Page<never>, 'items'> {
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
  }
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = Number.isFinite(page) ? Math.min(Math.max(Math.trunc(page), 0), pages - 1) : 0;
  return { page: current, pages, hasPrev: current > 0, hasNext: current < pages - 1 };
}

// --- helpers ---

/** Ids and values are never cut: a truncated id would silently point at something else. */
function uncut(what: string, value: string, max: number): string {
  if (value.length > max) {
    throw new RangeError(`${what} is ${value.length} characters, the limit is ${max}`);
  }
  return value;
}

function within<T>(what: string, items: readonly T[], max: number): readonly T[] {
  if (items.length > max) {
    throw new RangeError(`${items.length} ${what}, the limit is ${max}: paginate or split`);
  }
  return items;
}

function between<T>(what: string, items: readonly T[], max: number): readonly T[] {
  if (items.length === 0) throw new RangeError(`${what} must not be empty`);
  return within(what, items, max);
}

function selected(
  options: readonly PlainTextOption[],
  values: readonly string[] | undefined,
): PlainTextOption[] {
  if (!values || values.length === 0) return [];
  const wanted = new Set(values);
  return options.filter((o) => o.value !== undefined && wanted.has(o.value));
}

function addSelectCommon(
  el: StaticSelect | MultiStaticSelect | ExternalSelect | MultiExternalSelect,
  options: SelectOptions,
): void {
  if (options.placeholder !== undefined) {
    el.placeholder = plainText(options.placeholder, LIMITS.placeholder);
  }
  if (options.confirm) el.confirm = confirmDialog(options.confirm);
  if (options.focusOnLoad !== undefined) el.focus_on_load = options.focusOnLoad;
}

/** A plain_text_input length clamped to `min`–3000; missing or not finite means `max`. */
function clampLength(n: number | undefined, min: number): number {
  const max = LIMITS.plainTextInputMaxLength;
  if (n === undefined || !Number.isFinite(n)) return max;
  return Math.min(Math.max(Math.trunc(n), min), max);
}
