import { textOf } from './render-blocks.js';
import {
  elementOptions,
  type InputValue,
  initialValue,
  type Json,
  type StateValues,
  stateValues,
  type ViewRef,
  viewSubmission,
} from './view-state.js';

/**
 * A modal as a form a terminal can ask for, one field at a time: what each input block asks
 * (`formFields`), the question (`promptFor`), the answer checked the way Slack's client checks
 * it before sending (`parseAnswer`: required, lengths, numbers, offered options), and the answers
 * encoded as Slack would send them (`viewState`, `submissionPayload`). Pure.
 */

export type { InputValue, Json };

export type FieldKind =
  | 'text'
  | 'multiline'
  | 'select'
  | 'multiselect'
  | 'checkboxes'
  | 'radio'
  | 'user'
  | 'users'
  | 'channel'
  | 'date'
  | 'number'
  | 'other';

export interface FieldOption {
  readonly value: string;
  readonly text: string;
  readonly description?: string;
}

export interface FormField {
  readonly blockId: string;
  readonly actionId: string;
  readonly label: string;
  readonly kind: FieldKind;
  /** The element type as Slack names it (`plain_text_input`, `static_select`, …). */
  readonly elementType: string;
  readonly optional: boolean;
  readonly hint?: string;
  readonly placeholder?: string;
  /** The options, in display order (numbered 1..n in the prompt). */
  readonly options?: readonly FieldOption[];
  /** Option values for option kinds, text otherwise. */
  readonly initial?: string | readonly string[];
  /** Whether answering sends block_actions at once (the bot may update the modal). */
  readonly dispatchAction: boolean;
  /** Text inputs: the length Slack's client enforces. */
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Number inputs. */
  readonly minValue?: number;
  readonly maxValue?: number;
  readonly decimal?: boolean;
  /** Multi-selects: at most this many options. */
  readonly maxSelected?: number;
}

export type ParsedAnswer =
  | { readonly ok: true; readonly value: InputValue }
  | { readonly ok: false; readonly error: string };

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(element: Json): FieldKind {
  switch (element.type) {
    case 'plain_text_input':
      return element.multiline === true ? 'multiline' : 'text';
    case 'email_text_input':
    case 'url_text_input':
      return 'text';
    case 'number_input':
      return 'number';
    case 'static_select':
      return 'select';
    case 'multi_static_select':
      return 'multiselect';
    case 'checkboxes':
      return 'checkboxes';
    case 'radio_buttons':
      return 'radio';
    case 'users_select':
      return 'user';
    case 'multi_users_select':
      return 'users';
    case 'conversations_select':
    case 'channels_select':
      return 'channel';
    case 'datepicker':
      return 'date';
    default:
      return 'other';
  }
}

const OPTION_KINDS: ReadonlySet<FieldKind> = new Set([
  'select',
  'multiselect',
  'checkboxes',
  'radio',
]);
const MANY_KINDS: ReadonlySet<FieldKind> = new Set(['multiselect', 'checkboxes', 'users']);

function count(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return undefined;
}

/**
 * The form field an element asks for: input blocks use it with their label, and a shell can
 * use it for a select in a section accessory too (its label being the section's text).
 */
export function elementField(
  blockId: string,
  element: Json,
  label: string,
  extra: {
    readonly optional?: boolean;
    readonly hint?: string;
    readonly dispatchAction?: boolean;
  } = {},
): FormField {
  const kind = kindOf(element);
  const options = OPTION_KINDS.has(kind)
    ? elementOptions(element).flatMap((o): FieldOption[] => {
        if (typeof o.value !== 'string') return [];
        const description = textOf(o.description);
        return [
          {
            value: o.value,
            text: textOf(o.text) || o.value,
            ...(description ? { description } : {}),
          },
        ];
      })
    : undefined;
  const initial = initialValue(element);
  const placeholder = textOf(element.placeholder);
  const has = (n: number | undefined): n is number => n !== undefined;
  const minLength = count(element.min_length);
  const maxLength = count(element.max_length);
  const minValue = count(element.min_value);
  const maxValue = count(element.max_value);
  const maxSelected = count(element.max_selected_items);
  return {
    blockId,
    actionId: typeof element.action_id === 'string' ? element.action_id : '',
    label,
    kind,
    elementType: typeof element.type === 'string' ? element.type : '?',
    optional: extra.optional ?? false,
    ...(extra.hint ? { hint: extra.hint } : {}),
    ...(placeholder ? { placeholder } : {}),
    ...(options ? { options } : {}),
    ...(initial !== undefined && (typeof initial === 'string' || initial.length > 0)
      ? { initial }
      : {}),
    dispatchAction: extra.dispatchAction ?? false,
    ...(has(minLength) ? { minLength } : {}),
    ...(has(maxLength) ? { maxLength } : {}),
    ...(has(minValue) ? { minValue } : {}),
    ...(has(maxValue) ? { maxValue } : {}),
    ...(kind === 'number' ? { decimal: element.is_decimal_allowed === true } : {}),
    ...(has(maxSelected) ? { maxSelected } : {}),
  };
}

/** The input blocks of `view` as form fields, in order (blocks without ids are skipped). */
export function formFields(view: unknown): FormField[] {
  if (!isJson(view) || !Array.isArray(view.blocks)) return [];
  return view.blocks.flatMap((block): FormField[] => {
    if (!isJson(block) || block.type !== 'input' || !isJson(block.element)) return [];
    if (typeof block.block_id !== 'string' || block.block_id === '') return [];
    const hint = textOf(block.hint);
    return [
      elementField(block.block_id, block.element, textOf(block.label) || block.block_id, {
        optional: block.optional === true,
        ...(hint ? { hint } : {}),
        dispatchAction: block.dispatch_action === true,
      }),
    ];
  });
}

function initialText(field: FormField): string | undefined {
  const initial = field.initial;
  if (initial === undefined) return undefined;
  const values = typeof initial === 'string' ? [initial] : initial;
  if (!field.options) return values.join(', ');
  return values.map((v) => field.options?.find((o) => o.value === v)?.text ?? v).join(', ');
}

/** A checkbox field with one box reads as a yes/no question. */
function isYesNo(field: FormField): boolean {
  return field.kind === 'checkboxes' && field.options?.length === 1;
}

function howToAnswer(field: FormField, multilineEnd: string): string {
  switch (field.kind) {
    case 'multiline':
      return `several lines; end with a line holding only '${multilineEnd}'`;
    case 'select':
    case 'radio':
      return 'a number (or the option itself)';
    case 'multiselect':
    case 'checkboxes':
      return isYesNo(field) ? 'y to tick, n to leave it unticked' : 'numbers separated by commas';
    case 'user':
      return 'a user id, e.g. U123';
    case 'users':
      return 'user ids separated by commas';
    case 'channel':
      return 'a channel id, e.g. C123';
    case 'date':
      return 'a date as YYYY-MM-DD';
    case 'number': {
      const range =
        field.minValue !== undefined && field.maxValue !== undefined
          ? ` from ${field.minValue} to ${field.maxValue}`
          : field.minValue !== undefined
            ? ` of at least ${field.minValue}`
            : field.maxValue !== undefined
              ? ` of at most ${field.maxValue}`
              : '';
      return `${field.decimal ? 'a number' : 'a whole number'}${range}`;
    }
    default:
      return 'one line';
  }
}

/**
 * The question for `field`: its label (and "optional"), hint, numbered options, and how to
 * answer (what Enter keeps, `-` to clear an optional field). `multilineEnd` is the line the
 * shell takes as the end of a multi-line answer (default `.`).
 */
export function promptFor(
  field: FormField,
  options: { readonly multilineEnd?: string } = {},
): string {
  const lines = [`${field.label}${field.optional ? ' (optional)' : ''}`];
  if (field.hint) lines.push(`  ${field.hint}`);
  if (field.placeholder && !field.options) lines.push(`  <${field.placeholder}>`);
  const initial = new Set(
    field.initial === undefined
      ? []
      : typeof field.initial === 'string'
        ? [field.initial]
        : field.initial,
  );
  for (const [i, option] of (field.options ?? []).entries()) {
    const mark = initial.has(option.value) ? ' *' : '';
    const description = option.description ? ` — ${option.description}` : '';
    lines.push(`  ${i + 1}) ${option.text}${description}${mark}`);
  }
  const how = [howToAnswer(field, options.multilineEnd ?? '.')];
  if (field.minLength !== undefined && field.minLength > 0 && field.maxLength !== undefined) {
    how.push(`${field.minLength}–${field.maxLength} characters`);
  } else if (field.maxLength !== undefined) how.push(`at most ${field.maxLength} characters`);
  else if (field.minLength !== undefined && field.minLength > 0) {
    how.push(`at least ${field.minLength} characters`);
  }
  if (field.maxSelected !== undefined) how.push(`at most ${field.maxSelected}`);
  const kept = initialText(field);
  if (kept !== undefined) how.push(`Enter keeps: ${kept}`);
  else if (field.optional) how.push('Enter leaves it empty');
  if (field.optional) how.push("'-' for none");
  lines.push(`  → ${how.join('; ')}`);
  return lines.join('\n');
}

function fail(error: string): ParsedAnswer {
  return { ok: false, error };
}

function pickOne(field: FormField, raw: string): FieldOption | undefined {
  const options = field.options ?? [];
  const answer = raw.trim();
  if (/^\d+$/.test(answer)) {
    const byNumber = options[Number(answer) - 1];
    if (byNumber) return byNumber;
  }
  const lower = answer.toLowerCase();
  return (
    options.find((o) => o.value === answer) ??
    options.find((o) => o.text.toLowerCase() === lower) ??
    options.find((o) => o.value.toLowerCase() === lower)
  );
}

function noSuchOption(field: FormField, answer: string): ParsedAnswer {
  const n = field.options?.length ?? 0;
  return fail(n === 0 ? 'there is nothing to choose' : `no option "${answer}": answer with 1–${n}`);
}

/** Several options: comma-separated parts, each one option or several separated by spaces. */
function pickMany(field: FormField, raw: string): ParsedAnswer {
  const chosen: string[] = [];
  for (const part of raw
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')) {
    const whole = pickOne(field, part);
    const found = whole ? [whole] : part.split(/\s+/).map((word) => pickOne(field, word) ?? word);
    for (const option of found) {
      if (typeof option === 'string') return noSuchOption(field, option);
      if (!chosen.includes(option.value)) chosen.push(option.value);
    }
  }
  return { ok: true, value: chosen };
}

function isValidDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function textAnswer(field: FormField, text: string): ParsedAnswer {
  const length = text.length;
  if (field.maxLength !== undefined && length > field.maxLength) {
    return fail(`at most ${field.maxLength} characters (this is ${length})`);
  }
  if (field.minLength !== undefined && length < field.minLength) {
    return fail(`at least ${field.minLength} characters (this is ${length})`);
  }
  return { ok: true, value: text };
}

function numberAnswer(field: FormField, text: string): ParsedAnswer {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return fail(`not a number: ${text}`);
  const n = Number(text);
  if (!field.decimal && !Number.isInteger(n)) return fail('a whole number, please');
  if (field.minValue !== undefined && n < field.minValue) {
    return fail(`at least ${field.minValue}`);
  }
  if (field.maxValue !== undefined && n > field.maxValue) return fail(`at most ${field.maxValue}`);
  return { ok: true, value: text };
}

const ID = /^[A-Za-z0-9_]+$/;

/** `U123`, `@U123` or `<@U123>` (and `#C1`, `<#C1|name>` for channels): the id. */
function idOf(word: string): string {
  return word.replace(/^<[@#]([^|>]*)(\|[^>]*)?>$/, '$1').replace(/^[@#]/, '');
}

/**
 * `raw` (one line, or lines joined with `\n` for a multi-line field) as the value of `field`:
 * options by number, value or text (case-insensitive); lists separated by commas or spaces;
 * empty keeps the initial value (or is "required"); `-` clears an optional field. Fails with a
 * short message (the field stays asked) where Slack's client would refuse to submit.
 */
export function parseAnswer(field: FormField, raw: string): ParsedAnswer {
  const text = field.kind === 'multiline' ? raw.replace(/\r\n?/g, '\n') : raw.trim();
  const blank = text.trim();
  const many = MANY_KINDS.has(field.kind);
  if (blank === '') {
    const hasInitial =
      field.initial !== undefined &&
      (typeof field.initial === 'string' || field.initial.length > 0);
    if (hasInitial) return { ok: true, value: field.initial };
    return field.optional ? { ok: true, value: undefined } : fail('required');
  }
  if (blank === '-') return field.optional ? { ok: true, value: undefined } : fail('required');
  switch (field.kind) {
    case 'text':
    case 'multiline':
    case 'other':
      return textAnswer(field, text);
    case 'number':
      return numberAnswer(field, text);
    case 'date':
      return isValidDate(text) ? { ok: true, value: text } : fail('a date as YYYY-MM-DD, please');
    case 'select':
    case 'radio': {
      const option = pickOne(field, text);
      return option ? { ok: true, value: option.value } : noSuchOption(field, text);
    }
    case 'user':
    case 'channel': {
      const id = idOf(text);
      return ID.test(id) ? { ok: true, value: id } : fail(`not an id: ${text}`);
    }
    default:
      break;
  }
  let parsed: ParsedAnswer;
  if (isYesNo(field) && /^(y|yes|n|no)$/i.test(text)) {
    parsed = { ok: true, value: /^y/i.test(text) ? [field.options?.[0]?.value as string] : [] };
  } else if (field.kind === 'users') {
    const ids = text
      .split(/[\s,]+/)
      .filter((w) => w !== '')
      .map(idOf);
    const bad = ids.find((id) => !ID.test(id));
    parsed = bad !== undefined ? fail(`not an id: ${bad}`) : { ok: true, value: [...new Set(ids)] };
  } else {
    parsed = pickMany(field, text);
  }
  if (!parsed.ok || !many) return parsed;
  const chosen = parsed.value as readonly string[];
  if (chosen.length === 0 && !field.optional) return fail('required');
  if (field.maxSelected !== undefined && chosen.length > field.maxSelected) {
    return fail(`at most ${field.maxSelected}`);
  }
  return parsed;
}

/** `view.state` as Slack sends it with `answers` (by block id) filled in. */
export function viewState(
  view: Json,
  answers: Readonly<Record<string, InputValue>>,
): { values: StateValues } {
  const blocks = Array.isArray(view.blocks) ? view.blocks.filter(isJson) : [];
  return { values: stateValues(blocks, answers) };
}

/** The view_submission payload for `opened` filled in with `answers` by `userId`. */
export function submissionPayload(
  opened: ViewRef,
  userId: string,
  answers: Readonly<Record<string, InputValue>>,
  triggerId: string,
): Json {
  return viewSubmission(opened, userId, answers, triggerId);
}
