/**
 * Every Block Kit limit CertOps relies on, in one place. Lengths are characters; `blocks.ts`
 * measures them in UTF-16 code units, never fewer than Slack's count, so what fits here fits
 * there.
 *
 * Sources: `@slack/types` 3.2 (`views.ts`, `block-kit/*.ts`), docs.slack.dev block and
 * composition-object pages, vercel/chat `adapter-slack/src/blocks/limits.ts`, bolt-js#2509.
 */
export const LIMITS = {
  // --- surfaces ---
  /** Blocks in one message (docs.slack.dev chat.postMessage `blocks`). */
  messageBlocks: 50,
  /** Blocks in a modal or Home tab (`@slack/types` views.ts BaseView.blocks). */
  viewBlocks: 100,
  /** Serialized view size before `view_too_large` (views.open errors). */
  viewPayloadBytes: 250_000,
  /** Modal `title` (`@slack/types` views.ts ModalView.title). */
  modalTitle: 24,
  /** Modal `submit` button text (views.ts ModalView.submit). */
  modalSubmit: 24,
  /** Modal `close` button text (views.ts ModalView.close). */
  modalClose: 24,
  /** View `private_metadata` (views.ts BaseView.private_metadata). */
  privateMetadata: 3000,
  /** Message `text`: Slack truncates beyond this (docs.slack.dev chat.postMessage). */
  messageText: 40_000,
  /**
   * Safe budget for a message's blocks as serialized JSON: Slack answers `msg_blocks_too_long`
   * at ~13.2k characters although no single limit is hit (bolt-js#2509, #2867); undocumented.
   */
  messageBlocksChars: 12_000,

  // --- identifiers ---
  /** View `callback_id` (views.ts BaseView.callback_id). */
  callbackId: 255,
  /** View `external_id` (docs.slack.dev view object). */
  externalId: 255,
  /** Any block's `block_id` (`@slack/types` blocks.ts Block.block_id). */
  blockId: 255,
  /** Any interactive element's `action_id` (extensions.ts Action.action_id). */
  actionId: 255,

  // --- text ---
  /** Any `plain_text` / `mrkdwn` text object (composition-objects.ts TextObject.text). */
  textObject: 3000,
  /** Section `text` (blocks.ts SectionBlock.text). */
  sectionText: 3000,
  /** Fields in one section (blocks.ts SectionBlock.fields). */
  sectionFields: 10,
  /** Text of one section field (blocks.ts SectionBlock.fields). */
  sectionFieldText: 2000,
  /** Header block text (blocks.ts HeaderBlock.text). */
  headerText: 150,
  /** Input block `label` (blocks.ts InputBlock.label). */
  inputLabel: 2000,
  /** Input block `hint` (blocks.ts InputBlock.hint). */
  inputHint: 2000,
  /** Any element `placeholder` (extensions.ts Placeholdable.placeholder). */
  placeholder: 150,
  /** Cumulative text of `markdown` blocks in one payload (docs.slack.dev markdown block). */
  markdownBlock: 12_000,

  // --- elements ---
  /** Elements in an actions block (blocks.ts ActionsBlock.elements). */
  actionsElements: 25,
  /** Elements in a context block (blocks.ts ContextBlock.elements). */
  contextElements: 10,
  /** Button text; Slack shows only ~30 before cutting it visually (block-elements.ts Button). */
  buttonText: 75,
  /** Button `value` (block-elements.ts Button.value). */
  buttonValue: 2000,
  /** Button or option `url` (block-elements.ts Button.url, composition-objects.ts Option.url). */
  url: 3000,
  /** Options in a static or multi-static select (block-elements.ts StaticSelect.options). */
  selectOptions: 100,
  /** Option groups in a static or multi-static select (block-elements.ts StaticSelect). */
  selectOptionGroups: 100,
  /** Option group `label` (composition-objects.ts OptionGroup.label). */
  optionGroupLabel: 75,
  /** Options in radio buttons (block-elements.ts RadioButtons.options). */
  radioOptions: 10,
  /** Options in checkboxes (block-elements.ts Checkboxes.options). */
  checkboxOptions: 10,
  /** Options in an overflow menu (block-elements.ts Overflow.options). */
  overflowOptions: 5,
  /** Option `text` (composition-objects.ts PlainTextOption.text). */
  optionText: 75,
  /** Option `description` (composition-objects.ts OptionDescriptor.description). */
  optionDescription: 75,
  /**
   * Option `value`: docs.slack.dev option object says 150, `@slack/types` still says 75;
   * the lower one is the safe cap.
   */
  optionValue: 75,

  // --- confirmation dialog (composition-objects.ts Confirm) ---
  /** Confirm dialog `title`. */
  confirmTitle: 100,
  /** Confirm dialog `text`. */
  confirmText: 300,
  /** Confirm dialog `confirm` and `deny` button texts. */
  confirmButton: 30,

  // --- plain_text_input (block-elements.ts PlainTextInput) ---
  /** Largest `max_length` (and `min_length`) a plain_text_input accepts; range 1–3000. */
  plainTextInputMaxLength: 3000,

  // --- app manifest (node-slack-sdk web-api types/request/manifest.ts) ---
  /** Slash command name, including the leading `/`. */
  slashCommandName: 32,
  /** Slash commands per app. */
  slashCommandsPerApp: 50,
  /** Shortcuts per app. */
  shortcutsPerApp: 10,
} as const;
