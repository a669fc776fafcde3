import { z } from 'zod';
import type { SlackDeps } from './deps.js';
import { LIMITS } from './limits.js';
import { decodeMetadata } from './metadata.js';

/**
 * Reading what comes back from a modal: what the person filled in (`view.state.values`, keyed
 * by block id, then action id), a submission, an action inside the modal. It comes from Slack
 * untrusted, so it is validated here, once for every feature, and read through typed accessors
 * rather than by walking the nested records.
 */

/** An option we offered: our builders never make a value longer than this. */
const optionSchema = z.object({ value: z.string().max(LIMITS.optionValue) });

/**
 * One element's state: text inputs carry `value`, selects and radio buttons `selected_option`,
 * multi-selects and checkboxes `selected_options`.
 */
const elementStateSchema = z.object({
  value: z.string().nullish(),
  selected_option: optionSchema.nullish(),
  selected_options: z.array(optionSchema).max(LIMITS.selectOptions).nullish(),
});

const viewStateValuesSchema = z.record(
  z.string().max(LIMITS.blockId),
  z.record(z.string().max(LIMITS.actionId), elementStateSchema),
);

/** The parts of a submitted view the handlers read: where to answer, and what was filled in. */
export const submittedViewSchema = z.object({
  private_metadata: z.string().optional(),
  state: z.object({ values: viewStateValuesSchema }),
});
export type SubmittedView = z.infer<typeof submittedViewSchema>;

/** An open view an action came from, which the handler updates in place (id and hash). */
const openViewSchema = submittedViewSchema.extend({
  id: z.string().max(64),
  hash: z.string().max(128).optional(),
});
export type OpenView = z.infer<typeof openViewSchema>;

/**
 * A block_actions payload from inside a modal: who acted, the view, and in `actions[0]` the
 * changed element's new state (Slack sends it there for selects and dispatching inputs).
 */
const viewActionBodySchema = z.object({
  user: z.object({ id: z.string().max(32) }),
  view: openViewSchema,
  actions: z
    .array(elementStateSchema.extend({ action_id: z.string().max(LIMITS.actionId) }))
    .min(1),
});

/** Typed reads of a view's state. `actionId` defaults to the block id (most inputs use both). */
export interface ViewState {
  /** The blocks that have state (the view's inputs), e.g. to find one whose id varies. */
  readonly blockIds: readonly string[];
  has(blockId: string): boolean;
  /** What is typed in a text input; undefined when absent (Slack sends null for an empty one). */
  text(blockId: string, actionId?: string): string | undefined;
  /** The value of the chosen option of a select or radio buttons. */
  selected(blockId: string, actionId?: string): string | undefined;
  /** The values of the chosen options of a multi-select or checkboxes; [] when none. */
  selectedMany(blockId: string, actionId?: string): string[];
}

/**
 * The state of `view` (a view as Slack sent it). Malformed state reads as empty; handlers that
 * must refuse a malformed view read it with `readSubmission` (submission.ts) or `readViewAction`
 * first.
 */
/**
 * What someone typed into an external select (a block_suggestion's `value`): untrusted, so
 * checked and cut to what a search needs; anything else reads as nothing typed.
 */
export function suggestionQuery(value: unknown): string {
  return z.string().max(100).catch('').parse(value).slice(0, 64);
}

export function readViewState(view: unknown): ViewState {
  const state = (view as { state?: { values?: unknown } } | undefined)?.state;
  const parsed = viewStateValuesSchema.safeParse(state?.values ?? {});
  const values = parsed.success ? parsed.data : {};
  const element = (blockId: string, actionId = blockId) => values[blockId]?.[actionId];
  return {
    blockIds: Object.keys(values),
    has: (blockId) => Object.hasOwn(values, blockId),
    text: (blockId, actionId) => element(blockId, actionId)?.value ?? undefined,
    selected: (blockId, actionId) => element(blockId, actionId)?.selected_option?.value,
    selectedMany: (blockId, actionId) =>
      (element(blockId, actionId)?.selected_options ?? []).map((o) => o.value),
  };
}

export type ViewAction = z.infer<typeof viewActionBodySchema>['actions'][number];

/**
 * A block_actions payload from inside a modal and the modal's private_metadata, validated;
 * undefined (and logged) when either is unreadable: the modal then simply stays as it is.
 */
export function readViewAction<M>(
  deps: Pick<SlackDeps, 'logger'>,
  feature: string,
  body: unknown,
  metadataSchema: z.ZodType<M>,
): { userId: string; view: OpenView; action: ViewAction; meta: M } | undefined {
  const parsed = viewActionBodySchema.safeParse(body);
  if (!parsed.success) {
    deps.logger.warn(`${feature}: unreadable action`, parsed.error.message);
    return undefined;
  }
  const { user, view, actions } = parsed.data;
  const [action] = actions;
  if (!action) return undefined; // never: the schema asks for one
  try {
    const meta = decodeMetadata(metadataSchema, view.private_metadata);
    return { userId: user.id, view, action, meta };
  } catch (error) {
    deps.logger.warn(`${feature}: unreadable metadata`, (error as Error).message);
    return undefined;
  }
}
