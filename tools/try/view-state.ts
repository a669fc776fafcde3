/**
 * The Slack side of interactivity, as pure functions: what Slack puts in an interaction payload
 * when a person fills in a modal (`view.state.values`), submits it (view_submission), changes a
 * dispatching input or presses a button (block_actions with the element's state in
 * `actions[0]`). The try shell and the e2e driver both build their payloads here, from the views
 * and messages the bot sent, so both speak to the bot exactly as Slack does.
 */

/** A JSON object as it travels to and from Slack. */
export type Json = Record<string, unknown>;

/** What a person puts into an input: text, one option value, several option values, or nothing. */
export type InputValue = string | readonly string[] | undefined;

/** `view.state.values`: by block id, then action id, each element's state. */
export type StateValues = Record<string, Record<string, Json>>;

/** A view the bot opened, as Slack answered it: its id and hash, and the view the bot sent. */
export interface ViewRef {
  readonly id: string;
  readonly hash: string;
  readonly view: Json;
}

const TEAM_ID = 'T_TEST';
const APP_ID = 'A_CERTOPS';

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonList(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isJson) : [];
}

/** What every interaction payload starts with: its type, the team, the person, a trigger id. */
export function interaction(type: string, userId: string, triggerId: string): Json {
  return {
    type,
    team: { id: TEAM_ID, domain: 'test' },
    user: {
      id: userId,
      username: userId.toLowerCase(),
      name: userId.toLowerCase(),
      team_id: TEAM_ID,
    },
    api_app_id: APP_ID,
    token: 'deprecated-verification-token',
    trigger_id: triggerId,
  };
}

/** The interactive elements of a block: an input's element, a section's accessory, actions. */
export function blockElements(block: Json): Json[] {
  return [
    ...jsonList(block.elements),
    ...(isJson(block.accessory) ? [block.accessory] : []),
    ...(isJson(block.element) ? [block.element] : []),
  ];
}

/** The first element with `actionId` in `blocks`, and the block holding it. */
export function findElement(
  blocks: readonly Json[],
  actionId: string,
): { block: Json; element: Json } | undefined {
  for (const block of blocks) {
    if (!isJson(block)) continue;
    const element = blockElements(block).find((e) => e.action_id === actionId);
    if (element) return { block, element };
  }
  return undefined;
}

/** What an element holds before anyone touches it (its `initial_*`), as an input value. */
export function initialValue(element: Json): InputValue {
  if (typeof element.initial_value === 'string') return element.initial_value;
  const initial = element.initial_option;
  if (isJson(initial) && typeof initial.value === 'string') return initial.value;
  if (Array.isArray(element.initial_options)) {
    return jsonList(element.initial_options)
      .map((o) => o.value)
      .filter((v): v is string => typeof v === 'string');
  }
  for (const one of ['initial_user', 'initial_conversation', 'initial_channel', 'initial_date']) {
    if (typeof element[one] === 'string') return element[one];
  }
  for (const many of ['initial_users', 'initial_conversations', 'initial_channels']) {
    const list = element[many];
    if (Array.isArray(list)) return list.filter((v): v is string => typeof v === 'string');
  }
  return undefined;
}

/** An element's options, those in option groups included, in display order. */
export function elementOptions(element: Json): Json[] {
  const grouped = jsonList(element.option_groups).flatMap((g) => jsonList(g.options));
  return [...jsonList(element.options), ...grouped];
}

function asList(value: InputValue): readonly string[] {
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

function asOne(value: InputValue): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * Slack's `state.values` entry for one element holding `value`. An option value the element
 * does not offer throws: Slack could never send it, so it is a mistake in the caller.
 */
export function stateOf(element: Json, value: InputValue): Json {
  const type = element.type as string;
  const pick = (v: string) => {
    const found = elementOptions(element).find((o) => o.value === v);
    if (!found)
      throw new Error(
        `option ${v} is not offered by ${String(element.action_id)}: ${JSON.stringify(elementOptions(element).map((o) => o.value))}`,
      );
    return found;
  };
  switch (type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return { type, value: asOne(value) };
    case 'static_select':
    case 'radio_buttons':
    case 'overflow':
      return { type, selected_option: typeof value === 'string' ? pick(value) : null };
    case 'multi_static_select':
    case 'checkboxes':
      return { type, selected_options: asList(value).map(pick) };
    case 'external_select': {
      // The bot served its options (block_suggestion): the initial one, or one chosen by value.
      const initial = element.initial_option as Json | undefined;
      if (typeof value !== 'string') return { type, selected_option: null };
      return {
        type,
        selected_option:
          initial?.value === value ? initial : { text: { type: 'plain_text', text: value }, value },
      };
    }
    case 'multi_external_select': {
      // Served by the bot: chosen ones it already showed keep their text, others show the value.
      const initial = jsonList(element.initial_options);
      return {
        type,
        selected_options: asList(value).map(
          (v) =>
            initial.find((o) => o.value === v) ?? {
              text: { type: 'plain_text', text: v },
              value: v,
            },
        ),
      };
    }
    case 'users_select':
      return { type, selected_user: asOne(value) };
    case 'multi_users_select':
      return { type, selected_users: asList(value) };
    case 'conversations_select':
      return { type, selected_conversation: asOne(value) };
    case 'multi_conversations_select':
      return { type, selected_conversations: asList(value) };
    case 'channels_select':
      return { type, selected_channel: asOne(value) };
    case 'multi_channels_select':
      return { type, selected_channels: asList(value) };
    case 'datepicker':
      return { type, selected_date: asOne(value) };
    case 'timepicker':
      return { type, selected_time: asOne(value) };
    default:
      return { type, value: asOne(value) };
  }
}

/**
 * `view.state.values` for `blocks` with `inputs` (by block id) applied: every element of an
 * input, section accessory or actions block with ids, holding its input if given, else its
 * initial value (an input given as `undefined` is cleared).
 */
export function stateValues(
  blocks: readonly Json[],
  inputs: Readonly<Record<string, InputValue>>,
): StateValues {
  const values: StateValues = {};
  for (const block of blocks) {
    if (!isJson(block)) continue;
    if (block.type !== 'input' && block.type !== 'actions' && block.type !== 'section') continue;
    const elements =
      block.type === 'input'
        ? jsonList([block.element])
        : block.type === 'section'
          ? jsonList([block.accessory])
          : jsonList(block.elements);
    for (const element of elements) {
      const blockId = block.block_id;
      const actionId = element.action_id;
      if (typeof blockId !== 'string' || typeof actionId !== 'string' || !blockId || !actionId)
        continue;
      const given = Object.hasOwn(inputs, blockId) ? inputs[blockId] : initialValue(element);
      values[blockId] = { ...values[blockId], [actionId]: stateOf(element, given) };
    }
  }
  return values;
}

/** The view as Slack sends it back in a payload: the bot's view plus ids, hash and state. */
export function viewPayload(opened: ViewRef, inputs: Readonly<Record<string, InputValue>>): Json {
  const blocks = jsonList(opened.view.blocks);
  return {
    id: opened.id,
    team_id: TEAM_ID,
    type: typeof opened.view.type === 'string' ? opened.view.type : 'modal',
    blocks,
    private_metadata: opened.view.private_metadata ?? '',
    callback_id: opened.view.callback_id,
    state: { values: stateValues(blocks, inputs) },
    hash: opened.hash,
    title: opened.view.title,
    root_view_id: opened.id,
    app_id: APP_ID,
    bot_id: 'B_BOT',
  };
}

/** A view_submission payload: `userId` submits `opened` filled in with `inputs`. */
export function viewSubmission(
  opened: ViewRef,
  userId: string,
  inputs: Readonly<Record<string, InputValue>>,
  triggerId: string,
): Json {
  return {
    ...interaction('view_submission', userId, triggerId),
    view: viewPayload(opened, inputs),
    response_urls: [],
    is_enterprise_install: false,
  };
}

/**
 * A block_actions payload for a person changing the input (or section select) in `blockId` of
 * an open modal: the view's whole state with `inputs` applied, and the changed element's own
 * state (`value`, `selected_option` or `selected_options`) in `actions[0]`. Throws when the
 * block has no element with an action id.
 */
export function viewChange(
  opened: ViewRef,
  userId: string,
  blockId: string,
  inputs: Readonly<Record<string, InputValue>>,
  ids: { readonly triggerId: string; readonly actionTs: string },
): Json {
  const view = viewPayload(opened, inputs);
  const block = jsonList(opened.view.blocks).find((b) => b.block_id === blockId);
  const element = jsonList([block?.element ?? block?.accessory])[0];
  const actionId = element?.action_id;
  if (!element || typeof actionId !== 'string') {
    throw new Error(`no input or select in block ${blockId}`);
  }
  const values = (view.state as { values: StateValues }).values;
  return {
    ...interaction('block_actions', userId, ids.triggerId),
    container: { type: 'view', view_id: opened.id },
    view,
    actions: [
      {
        ...values[blockId]?.[actionId],
        action_id: actionId,
        block_id: blockId,
        action_ts: ids.actionTs,
      },
    ],
  };
}

/**
 * A block_suggestion payload: someone typing `value` into the external select of `blockId` in
 * an open view. The bot answers it in the ack with the options to show.
 */
export function suggestionPayload(
  opened: ViewRef,
  userId: string,
  blockId: string,
  value: string,
): Json {
  const block = jsonList(opened.view.blocks).find((b) => b.block_id === blockId);
  const element = jsonList([block?.element ?? block?.accessory])[0];
  const actionId = element?.action_id;
  const searched = element?.type === 'external_select' || element?.type === 'multi_external_select';
  if (!searched || typeof actionId !== 'string')
    throw new Error(`no external select in block ${blockId}`);
  const { trigger_id: _, ...fields } = interaction('block_suggestion', userId, '');
  return {
    ...fields,
    container: { type: 'view', view_id: opened.id },
    view: viewPayload(opened, {}),
    action_id: actionId,
    block_id: blockId,
    value,
  };
}

/**
 * `actions[0]` of a block_actions payload for pressing `element` in `block`: a button's type,
 * ids, value and text; with `chosen` (a select or overflow in a message or a section), the
 * element's state holding it instead.
 */
export function pressedAction(
  block: Json,
  element: Json,
  actionTs: string,
  chosen?: InputValue,
): Json {
  const state = chosen !== undefined ? stateOf(element, chosen) : { type: element.type };
  return {
    ...state,
    action_id: element.action_id,
    block_id: block.block_id,
    ...(chosen === undefined && element.value !== undefined ? { value: element.value } : {}),
    ...(chosen === undefined && element.text ? { text: element.text } : {}),
    action_ts: actionTs,
  };
}

/** Where a pressed element is: a posted message, or an open view (modal or App Home). */
export type PressedIn =
  | {
      readonly in: 'message';
      readonly channelId: string;
      readonly ts: string | undefined;
      readonly text: unknown;
      readonly blocks: readonly Json[];
      readonly responseUrl: string;
      readonly isEphemeral?: boolean;
      /** The channel's name, as Slack sends it (a placeholder when unknown). */
      readonly channelName?: string;
    }
  | {
      readonly in: 'view';
      readonly opened: ViewRef;
      /** What the person has entered in the view so far (its state), by block id. */
      readonly inputs?: Readonly<Record<string, InputValue>>;
    };

/** A block_actions payload: `userId` pressed `element` of `block` in a message or a view. */
export function pressPayload(
  userId: string,
  found: { readonly block: Json; readonly element: Json },
  where: PressedIn,
  ids: { readonly triggerId: string; readonly actionTs: string; readonly chosen?: InputValue },
): Json {
  return {
    ...interaction('block_actions', userId, ids.triggerId),
    actions: [pressedAction(found.block, found.element, ids.actionTs, ids.chosen)],
    ...(where.in === 'view'
      ? {
          container: { type: 'view', view_id: where.opened.id },
          view: viewPayload(where.opened, where.inputs ?? {}),
        }
      : {
          container: {
            type: 'message',
            message_ts: where.ts,
            channel_id: where.channelId,
            is_ephemeral: where.isEphemeral ?? false,
          },
          channel: { id: where.channelId, name: where.channelName ?? 'channel' },
          message: { ts: where.ts, text: where.text, blocks: where.blocks },
          response_url: where.responseUrl,
        }),
  };
}
