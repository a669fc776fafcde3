import { elementOptions, type InputValue, initialValue, type Json } from './view-state.js';

/**
 * Block Kit as terminal text: what a person would read in Slack, in a form a shell can print.
 * Pure, and total: payloads come from the bot but are treated as untrusted (a missing field, a
 * wrong type or an unknown block renders as something visible, never throws), and every string
 * is stripped of control characters so nothing in a payload can drive the terminal.
 */

export type { InputValue, Json };

/** An interactive element a person can press (outside input blocks), to be numbered. */
export interface Pressable {
  /** The block's id; '' when the block has none. */
  readonly blockId: string;
  /** The element's action id; '' when it has none. */
  readonly actionId: string;
  /** A button's value. */
  readonly value?: string;
  /** The element type: `button`, `static_select`, `overflow`, … */
  readonly type: string;
  /** A button's text or a select's placeholder, as shown. */
  readonly text?: string;
  readonly element: Json;
}

export interface RenderOptions {
  /** Wrap lines longer than this (terminal columns, wide characters counting 2); default 100. */
  readonly width?: number;
  /**
   * Called once for every interactive element outside input blocks, top to bottom; the number
   * it returns is shown (`[3] Approve`). Without it, elements show as `[Approve]`.
   */
  readonly number?: (pressable: Pressable) => number;
  /** Current answers of input blocks, by block id (otherwise their initial values show). */
  readonly values?: Readonly<Record<string, InputValue>>;
  /** Validation errors by block id, shown under the input as `  ! message`. */
  readonly errors?: Readonly<Record<string, string>>;
}

export const DEFAULT_WIDTH = 100;
const MIN_WIDTH = 20;
const DIVIDER_WIDTH = 40;
/** Options listed after a select before `…+N more`. */
const LISTED_OPTIONS = 8;
/** Lines of a multi-line input value shown before `…+N more lines`. */
const SHOWN_VALUE_LINES = 3;
/** Nesting followed in rich text before giving up (payloads are untrusted). */
const MAX_DEPTH = 8;

// --- untrusted access ---

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Tabs become spaces; other control characters and bidi overrides are dropped. */
export function terminalSafe(text: string): string {
  return (
    text
      .replace(/\t/g, '  ')
      .replace(/\r\n?/g, '\n')
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
      .replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '')
  );
}

// --- mrkdwn ---

const ESCAPES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&' };
/** The emoji codes the bot's messages use, as the characters Slack shows; others stay codes. */
const EMOJI: Readonly<Record<string, string>> = {
  white_check_mark: '✅',
  x: '❌',
  warning: '⚠️',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  eyes: '👀',
  tada: '🎉',
  rotating_light: '🚨',
  lock: '🔒',
  bell: '🔔',
};
const SPECIAL_MENTIONS = new Set(['here', 'channel', 'everyone']);

function angle(inner: string): string {
  const bar = inner.indexOf('|');
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? inner.slice(bar + 1) : '';
  if (target.startsWith('@')) return `@${label || target.slice(1)}`;
  if (target.startsWith('#')) return `#${label || target.slice(1)}`;
  if (target.startsWith('!')) {
    if (label) return label;
    const name = target.slice(1);
    if (SPECIAL_MENTIONS.has(name)) return `@${name}`;
    if (name.startsWith('subteam^')) return `@${name.slice('subteam^'.length)}`;
    return `<${inner}>`;
  }
  if (target === '') return `<${inner}>`;
  if (!label || label === target || `mailto:${label}` === target) {
    return target.startsWith('mailto:') && !label
      ? target.slice('mailto:'.length)
      : label || target;
  }
  return `${label} (${target})`;
}

/**
 * Slack mrkdwn as terminal text: mentions, channels and links spelled out (`<@U1>` → `@U1`,
 * `<#C1|ops>` → `#ops`, `<!here>` → `@here`, `<url|label>` → `label (url)`), `&lt; &gt; &amp;`
 * unescaped; `*bold*`, `_italic_`, `~strike~`, `` `code` `` and code blocks kept as written.
 */
export function mrkdwnToText(text: string): string {
  if (typeof text !== 'string') return '';
  return terminalSafe(
    text
      .replace(/<([^<>\n]*)>/g, (_whole, inner: string) => angle(inner))
      .replace(/:([a-z0-9_+-]{1,40}):/g, (whole, name: string) => EMOJI[name] ?? whole)
      .replace(/&(lt|gt|amp);/g, (_whole, name: string) => ESCAPES[name] ?? ''),
  );
}

/** A text object (plain_text or mrkdwn), or a bare string (a message's mrkdwn `text`), as text. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return mrkdwnToText(value);
  if (!isJson(value)) return '';
  const text = str(value.text);
  if (text === undefined) return '';
  return value.type === 'plain_text' ? terminalSafe(text) : mrkdwnToText(text);
}

// --- width and wrapping ---

function charWidth(code: number): number {
  if (
    (code >= 0x300 && code <= 0x36f) ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x20d0 && code <= 0x20ff) ||
    (code >= 0xfe00 && code <= 0xfe0f)
  )
    return 0;
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x231a && code <= 0x231b) ||
    (code >= 0x23e9 && code <= 0x23ec) ||
    code === 0x23f0 ||
    code === 0x23f3 ||
    code === 0x2705 ||
    (code >= 0x270a && code <= 0x270b) ||
    code === 0x2728 ||
    code === 0x274c ||
    code === 0x274e ||
    (code >= 0x2753 && code <= 0x2755) ||
    code === 0x2757 ||
    (code >= 0x2b1b && code <= 0x2b1c) ||
    code === 0x2b50 ||
    code === 0x2b55 ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f680 && code <= 0x1f6ff) ||
    (code >= 0x1f7e0 && code <= 0x1f7eb) ||
    (code >= 0x1f900 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  )
    return 2;
  return 1;
}

/** Terminal columns `text` takes: East Asian wide characters and most emoji count 2. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char.codePointAt(0) ?? 0);
  return width;
}

/** Leading spaces, then a bullet continuation lines hang under. */
const MARKER = /^( *)(· |• |↳ |! |- |> |\d{1,3}\. |\[[^\]]{1,6}\] )?/;

/** Words, single wide characters (CJK breaks between any two) and runs of spaces. */
function tokens(text: string): string[] {
  return (
    text.match(
      / +|[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]|[^ \u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]+/g,
    ) ?? []
  );
}

/** One line wrapped at `width`; continuation lines hang under the text after any bullet. */
function wrapLine(line: string, width: number): string[] {
  if (displayWidth(line) <= width) return [line];
  const [, lead = '', bullet] = MARKER.exec(line) ?? [];
  const hanging = Math.min(
    lead.length + (bullet ? displayWidth(bullet) : 2),
    Math.floor(width / 2),
  );
  const pad = ' '.repeat(hanging);
  const out: string[] = [];
  let current = '';
  let used = 0;
  const flush = () => {
    if (out.length > 0 || current.trim() !== '') out.push(current.trimEnd());
    current = pad;
    used = hanging;
  };
  for (const token of tokens(line)) {
    const w = displayWidth(token);
    if (token.startsWith(' ')) {
      if (used + w > width) flush();
      else if (current !== pad || out.length === 0) {
        current += token;
        used += w;
      }
      continue;
    }
    if (used + w > width && used > (out.length === 0 ? 0 : hanging)) flush();
    if (used + w <= width) {
      current += token;
      used += w;
      continue;
    }
    // A word longer than a line (a URL, a fingerprint): cut it.
    for (const char of token) {
      const cw = charWidth(char.codePointAt(0) ?? 0);
      if (used + cw > width && used > hanging) flush();
      current += char;
      used += cw;
    }
  }
  if (current.trim() !== '') out.push(current.trimEnd());
  return out;
}

/** Lines wrapped at `width`, except inside ``` code blocks, which are kept as written. */
function wrapLines(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  let inCode = false;
  for (const raw of lines) {
    const line = terminalSafe(raw).replace(/\n/g, ' ');
    out.push(...(inCode ? [line] : wrapLine(line, width)));
    if ((line.match(/```/g)?.length ?? 0) % 2 === 1) inCode = !inCode;
  }
  return out;
}

// --- elements ---

interface Context {
  readonly width: number;
  readonly options: RenderOptions;
}

function optionText(option: Json): string {
  return textOf(option.text) || (str(option.value) ?? '');
}

/** The options' texts, the first few, then how many more. */
function optionList(element: Json): string {
  const options = elementOptions(element);
  const shown = options.slice(0, LISTED_OPTIONS).map(optionText);
  if (options.length > LISTED_OPTIONS) shown.push(`…+${options.length - LISTED_OPTIONS} more`);
  return shown.join(', ');
}

/** The texts of the options `value` names (option values), or the values themselves. */
function chosenTexts(element: Json, value: InputValue): string[] {
  const values = Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  const options = elementOptions(element);
  return values.map((v) => {
    const found = options.find((o) => o.value === v);
    return found ? optionText(found) : v;
  });
}

function placeholderOf(element: Json): string | undefined {
  return textOf(element.placeholder) || undefined;
}

const SELECT_KIND: Readonly<Record<string, string>> = {
  users_select: 'user',
  multi_users_select: 'users',
  conversations_select: 'conversation',
  multi_conversations_select: 'conversations',
  channels_select: 'channel',
  multi_channels_select: 'channels',
  external_select: 'search',
  multi_external_select: 'search',
  datepicker: 'date',
  timepicker: 'time',
  datetimepicker: 'date and time',
};

/** Checkboxes as `[x] a  [ ] b`, radio buttons as `(•) a  ( ) b`. */
function choices(element: Json, value: InputValue): string {
  const chosen = new Set(Array.isArray(value) ? value : typeof value === 'string' ? [value] : []);
  const radio = element.type === 'radio_buttons';
  const marks = radio ? ['(•)', '( )'] : ['[x]', '[ ]'];
  return elementOptions(element)
    .map((o) => `${marks[chosen.has(o.value as string) ? 0 : 1]} ${optionText(o)}`)
    .join('  ');
}

/** An interactive element's face (without its number): what Slack shows on it. */
function elementFace(element: Json, value: InputValue): string {
  const type = str(element.type) ?? '?';
  if (type === 'button') {
    const text = textOf(element.text) || '(button)';
    const style = element.style === 'danger' || element.style === 'primary' ? element.style : '';
    const url = str(element.url);
    return `${text}${style ? ` (${style})` : ''}${url ? ` → ${terminalSafe(url)}` : ''}`;
  }
  if (type === 'overflow') return `⋯ (options: ${optionList(element)})`;
  if (type === 'checkboxes' || type === 'radio_buttons') return choices(element, value);
  const shown = chosenTexts(element, value);
  const face = shown.length > 0 ? shown.join(', ') : `<${placeholderOf(element) ?? 'choose'}>`;
  if (type === 'static_select' || type === 'multi_static_select') {
    return `${face} ▾ (options: ${optionList(element)})`;
  }
  const kind = SELECT_KIND[type];
  if (kind) return `${face} ▾ (${kind})`;
  return `<${type}>`;
}

/** `[n] face`, numbering the element through `options.number`. */
function pressableFace(block: Json, element: Json, ctx: Context): string {
  const text = textOf(element.text) || placeholderOf(element);
  const value = str(element.value);
  const pressable: Pressable = {
    blockId: str(block.block_id) ?? '',
    actionId: str(element.action_id) ?? '',
    type: str(element.type) ?? '?',
    element,
    ...(value !== undefined ? { value } : {}),
    ...(text ? { text } : {}),
  };
  const face = elementFace(element, initialValue(element));
  const n = ctx.options.number?.(pressable);
  return n === undefined ? `[${face}]` : `[${n}] ${face}`;
}

// --- blocks ---

function indentLines(text: string, first: string, rest: string): string[] {
  return text.split('\n').map((line, i) => `${i === 0 ? first : rest}${line}`);
}

/** A section field: `*Label*\nvalue` reads as `  Label: value`. */
function fieldLines(field: unknown): string[] {
  const text = textOf(field);
  if (text === '') return [];
  const [first = '', ...rest] = text.split('\n');
  const label = /^\*([^*\n]+)\*:?$/.exec(first.trim())?.[1]?.replace(/:$/, '');
  if (label === undefined) return indentLines(text, '  ', '    ');
  if (rest.length === 0) return [`  ${label}`];
  if (rest.length === 1) return [`  ${label}: ${rest[0]}`];
  return [`  ${label}:`, ...rest.map((line) => `    ${line}`)];
}

function imageLine(element: Json): string {
  const alt = str(element.alt_text) ?? '';
  const title = textOf(element.title);
  const words = [title, alt].filter((w) => w !== '').join(' — ');
  return `[image${words ? `: ${terminalSafe(words)}` : ''}]`;
}

function section(block: Json, ctx: Context): string[] {
  const lines: string[] = [];
  const text = textOf(block.text);
  if (text !== '') lines.push(...text.split('\n'));
  for (const field of list(block.fields)) lines.push(...fieldLines(field));
  const accessory = block.accessory;
  if (isJson(accessory)) {
    lines.push(
      accessory.type === 'image'
        ? `  ${imageLine(accessory)}`
        : `  ${pressableFace(block, accessory, ctx)}`,
    );
  }
  return lines;
}

function contextLines(block: Json): string[] {
  return list(block.elements).flatMap((element) => {
    if (!isJson(element)) return [];
    const text = element.type === 'image' ? imageLine(element) : textOf(element);
    return text === '' ? [] : indentLines(text, '  · ', '    ');
  });
}

/** The elements side by side, a line broken between elements rather than inside one. */
function actionsLines(block: Json, ctx: Context): string[] {
  const lines: string[] = [];
  for (const element of list(block.elements)) {
    if (!isJson(element)) continue;
    const face = pressableFace(block, element, ctx);
    const last = lines.at(-1);
    if (last !== undefined && displayWidth(`${last}  ${face}`) <= ctx.width) {
      lines[lines.length - 1] = `${last}  ${face}`;
    } else lines.push(face);
  }
  return lines;
}

/** A value typed or chosen in an input, as shown in the form. */
function inputFace(element: Json, value: InputValue): string[] {
  const type = str(element.type) ?? '?';
  if (
    type === 'plain_text_input' ||
    type === 'email_text_input' ||
    type === 'url_text_input' ||
    type === 'number_input'
  ) {
    const text = typeof value === 'string' ? terminalSafe(value) : '';
    if (text === '') return [placeholderOf(element) ? `<${placeholderOf(element)}>` : '(empty)'];
    const lines = text.split('\n');
    if (lines.length === 1) return lines;
    const shown = lines.slice(0, SHOWN_VALUE_LINES);
    const hidden = lines.length - shown.length;
    return ['', ...shown, ...(hidden > 0 ? [`…+${hidden} more lines`] : [])];
  }
  if (type === 'static_select' || type === 'multi_static_select') {
    const shown = chosenTexts(element, value);
    return [
      shown.length > 0 ? `${shown.join(', ')} ▾` : `<${placeholderOf(element) ?? 'choose'}> ▾`,
    ];
  }
  return [elementFace(element, value)];
}

function inputLines(block: Json, ctx: Context): string[] {
  const blockId = str(block.block_id) ?? '';
  const element = isJson(block.element) ? block.element : {};
  const label = textOf(block.label) || blockId || 'input';
  const values = ctx.options.values;
  const value =
    values && blockId && Object.hasOwn(values, blockId) ? values[blockId] : initialValue(element);
  const [first = '', ...rest] = inputFace(element, value);
  const lines = [
    `${label}${block.optional === true ? ' (optional)' : ''}:${first ? ` ${first}` : ''}`,
    ...rest.map((line) => `    ${line}`),
  ];
  const hint = textOf(block.hint);
  if (hint) lines.push(...indentLines(hint, '  ↳ ', '    '));
  const error = blockId ? ctx.options.errors?.[blockId] : undefined;
  if (typeof error === 'string') lines.push(...indentLines(terminalSafe(error), '  ! ', '    '));
  return lines;
}

// --- rich text ---

function richInline(elements: unknown, depth: number): string {
  if (depth > MAX_DEPTH) return '';
  return list(elements)
    .map((element) => {
      if (!isJson(element)) return '';
      switch (element.type) {
        case 'text':
          return str(element.text) ?? '';
        case 'link': {
          const url = str(element.url) ?? '';
          const text = str(element.text);
          return text && text !== url ? `${text} (${url})` : url;
        }
        case 'user':
          return `@${str(element.user_id) ?? '?'}`;
        case 'usergroup':
          return `@${str(element.usergroup_id) ?? '?'}`;
        case 'channel':
          return `#${str(element.channel_id) ?? '?'}`;
        case 'broadcast':
          return `@${str(element.range) ?? 'here'}`;
        case 'emoji':
          return str(element.unicode) && /^[0-9a-f-]{1,40}$/i.test(element.unicode as string)
            ? String.fromCodePoint(
                ...(element.unicode as string)
                  .split('-')
                  .map((h) => Number.parseInt(h, 16))
                  .filter((n) => Number.isInteger(n) && n >= 0 && n <= 0x10ffff),
              )
            : `:${str(element.name) ?? '?'}:`;
        case 'date':
          return (
            str(element.fallback) ??
            (typeof element.timestamp === 'number' ? String(element.timestamp) : '')
          );
        case 'color':
          return str(element.value) ?? '';
        default:
          return '';
      }
    })
    .join('');
}

function richLines(elements: unknown, depth: number): string[] {
  if (depth > MAX_DEPTH) return [];
  return list(elements).flatMap((element): string[] => {
    if (!isJson(element)) return [];
    switch (element.type) {
      case 'rich_text_section':
        return richInline(element.elements, depth + 1).split('\n');
      case 'rich_text_preformatted':
        return ['```', ...richInline(element.elements, depth + 1).split('\n'), '```'];
      case 'rich_text_quote':
        return richInline(element.elements, depth + 1)
          .split('\n')
          .map((line) => `> ${line}`);
      case 'rich_text_list': {
        const depthOf = typeof element.indent === 'number' ? element.indent : 0;
        const indent = '  '.repeat(Math.min(Math.max(Math.trunc(depthOf) || 0, 0), 6));
        const ordered = element.style === 'ordered';
        const start = Number.isInteger(element.offset) ? (element.offset as number) : 0;
        return list(element.elements).flatMap((item, i) =>
          richLines([item], depth + 1).map(
            (line, j) => `${indent}${j > 0 ? '   ' : ordered ? `${start + i + 1}. ` : '• '}${line}`,
          ),
        );
      }
      default:
        return [];
    }
  });
}

// --- entry points ---

function widthOf(options: RenderOptions): number {
  const width = options.width;
  return typeof width === 'number' && Number.isFinite(width)
    ? Math.max(Math.floor(width), MIN_WIDTH)
    : DEFAULT_WIDTH;
}

function blockLines(block: unknown, ctx: Context): string[] {
  if (!isJson(block)) return ['[unsupported block: ?]'];
  switch (block.type) {
    case 'header': {
      const text = textOf(block.text);
      return [`== ${text} ==`];
    }
    case 'section':
      return section(block, ctx);
    case 'context':
      return contextLines(block);
    case 'divider':
      return ['─'.repeat(Math.min(ctx.width, DIVIDER_WIDTH))];
    case 'image':
      return [imageLine(block)];
    case 'actions':
      return actionsLines(block, ctx);
    case 'input':
      return inputLines(block, ctx);
    case 'rich_text':
      return richLines(block.elements, 0);
    case 'video':
      return [`[video: ${textOf(block.title) || str(block.alt_text) || ''}]`];
    case 'file':
      return [`[file: ${str(block.external_id) ?? '?'}]`];
    default: {
      const type = str(block.type);
      return [`[unsupported block: ${type !== undefined ? terminalSafe(type).slice(0, 40) : '?'}]`];
    }
  }
}

function render(blocks: unknown, options: RenderOptions): string[] {
  const ctx: Context = { width: widthOf(options), options };
  return list(blocks).flatMap((block) => wrapLines(blockLines(block, ctx), ctx.width));
}

/** Blocks (a message's or a view's) as lines of text, without a trailing newline. */
export function renderBlocks(blocks: unknown, options: RenderOptions = {}): string {
  return render(blocks, options).join('\n');
}

/** A message: its blocks, or its mrkdwn `text` when it has none. */
export function renderMessage(message: unknown, options: RenderOptions = {}): string {
  if (!isJson(message)) return '';
  if (list(message.blocks).length > 0) return renderBlocks(message.blocks, options);
  return wrapLines(textOf(message.text).split('\n'), widthOf(options)).join('\n');
}

/**
 * A modal (title, blocks, then its submit and close labels) or an App Home tab, with input
 * blocks as `Label (optional): value` (current answers from `options.values`, else initial
 * values or placeholders), their hints, and `errors` (block id → message) under them.
 */
export function renderView(
  view: unknown,
  options: RenderOptions = {},
  errors: Readonly<Record<string, string>> | undefined = options.errors,
): string {
  if (!isJson(view)) return '';
  const opts: RenderOptions = errors ? { ...options, errors } : options;
  const width = widthOf(opts);
  const home = view.type === 'home';
  const title = home ? '[App Home]' : `[modal] ${textOf(view.title) || '(untitled)'}`;
  const lines = [...wrapLines([title], width), ...render(view.blocks, opts)];
  if (!home) {
    const submit = textOf(view.submit);
    const close = textOf(view.close) || 'Cancel';
    lines.push(...wrapLines([`${submit ? `Submit: ${submit}  ·  ` : ''}Close: ${close}`], width));
  }
  return lines.join('\n');
}
