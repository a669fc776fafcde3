import type { RespondFn } from '@slack/bolt';
import { fallbackText, type ModalView } from './blocks.js';
import type { SlackClient, SlackDeps } from './deps.js';

/**
 * How the bot answers people and updates what they look at, in one place for every feature.
 * Replies do not throw: by the time they run the change is made (or the request acked), so a
 * failed message is logged, with the feature's name for context, and nothing more. Event
 * notifications are the exception: they run as queued jobs, so their failures are thrown for a
 * retry (`postDirectMessage`, `loggedNotification`).
 */

/** The Web API error code (`hash_conflict`, `expired_trigger_id`, ...) of a platform error. */
export function platformError(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** A DM to a person (Slack opens the conversation); a failure is thrown. */
export async function postDirectMessage(
  client: SlackClient,
  userId: string,
  text: string,
): Promise<void> {
  await client.chat.postMessage({ channel: userId, text: fallbackText(text) });
}

/** A DM to a person (Slack opens the conversation); logged, never thrown. */
export async function directMessage(
  client: SlackClient,
  deps: SlackDeps,
  userId: string,
  text: string,
  feature?: string,
): Promise<boolean> {
  try {
    await postDirectMessage(client, userId, text);
    return true;
  } catch (error) {
    deps.logger.error(`${feature ? `${feature}: ` : ''}direct message to ${userId} failed`, error);
    return false;
  }
}

export interface Reply {
  /** The feature answering, for the logs (`apply`, `combine`, ...). */
  readonly feature: string;
  readonly userId: string;
  /** The channel the command came from, when known. */
  readonly channel: string | undefined;
  readonly text: string;
}

/**
 * Tells a person the outcome of a modal. A submission has no response_url, so: an ephemeral
 * message in the channel the command came from, or a DM when there is none or that fails
 * (a channel the bot is not in).
 */
export async function tellUser(client: SlackClient, deps: SlackDeps, reply: Reply): Promise<void> {
  const { feature, userId, channel } = reply;
  const text = fallbackText(reply.text);
  if (channel) {
    try {
      await client.chat.postEphemeral({ channel, user: userId, text });
      return;
    } catch (error) {
      deps.logger.warn(`${feature}: ephemeral reply in ${channel} failed, sending a DM`, error);
    }
  }
  await directMessage(client, deps, userId, text, feature);
}

/** Answers only the person who clicked, leaving the message as it is; logged, never thrown. */
export function ephemeralReply(
  deps: SlackDeps,
  respond: RespondFn,
): (text: string) => Promise<void> {
  return (text) =>
    respond({ response_type: 'ephemeral', replace_original: false, text }).then(
      () => undefined,
      (error: unknown) => deps.logger.error('ephemeral reply failed', error),
    );
}

/**
 * Runs an event notification (a queued job): a failure is logged with what it was, then thrown
 * again so that the job is retried; the change it tells of is committed already.
 */
export async function loggedNotification(
  deps: SlackDeps,
  what: string,
  run: () => Promise<unknown>,
): Promise<void> {
  try {
    await run();
  } catch (error) {
    deps.logger.error(`${what} failed`, error);
    throw error;
  }
}

/**
 * Replaces an open modal (a live update after an action). The view's hash makes Slack refuse
 * an update older than one already made (`hash_conflict`): the newer update carries the latest
 * state, so that is expected and only logged at debug level.
 */
export async function updateView(
  client: SlackClient,
  deps: SlackDeps,
  feature: string,
  current: { readonly id: string; readonly hash?: string | undefined },
  next: ModalView,
): Promise<void> {
  try {
    await client.views.update({
      view_id: current.id,
      ...(current.hash ? { hash: current.hash } : {}),
      view: next,
    });
  } catch (error) {
    if (platformError(error) === 'hash_conflict') {
      deps.logger.debug(`${feature}: skipped a stale modal update (hash_conflict)`);
    } else {
      deps.logger.warn(`${feature}: views.update failed`, error);
    }
  }
}

/** LOADING_VIEW_AFTER_MS: the default of SlackSettings.loadingViewAfterMs. */
export const LOADING_VIEW_AFTER_MS = 1000;

/** What building a modal came to: the modal, or words for the person instead of one. */
export type ModalOutcome = { readonly view: ModalView } | { readonly text: string };

export interface OpenModalOptions {
  readonly client: SlackClient;
  readonly deps: SlackDeps;
  readonly feature: string;
  readonly triggerId: string;
  /** The "loading" modal, and the one showing `text` when the answer is words after all. */
  readonly placeholder: { readonly loading: ModalView; readonly says: (text: string) => ModalView };
  /** The reads and the modal (or why there is none). */
  readonly build: () => Promise<ModalOutcome>;
  /** Words found in time: said (an ephemeral), and no modal opens. */
  readonly tell: (text: string) => Promise<unknown>;
}

/**
 * Opens a modal that needs reads first without letting its trigger run out (Slack honours a
 * trigger_id for 3 s). The reads get `loadingViewAfterMs`: done by then, the modal opens as it
 * is (one call). Still running, a "loading" modal opens on the trigger at once and is replaced
 * with views.update (hash-checked) when they finish; words found then are shown in the modal.
 * A views.open failure is thrown; a failed update is logged.
 */
export async function openModalWhenReady(options: OpenModalOptions): Promise<void> {
  const { client, deps, triggerId, placeholder } = options;
  const building = options.build();
  const waitMs = deps.settings.loadingViewAfterMs ?? LOADING_VIEW_AFTER_MS;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), waitMs);
  });
  const inTime = await Promise.race([building.then((outcome) => ({ outcome })), late]);
  clearTimeout(timer);
  if (inTime) {
    if ('view' in inTime.outcome)
      await client.views.open({ trigger_id: triggerId, view: inTime.outcome.view });
    else await options.tell(inTime.outcome.text);
    return;
  }
  // The reads go on meanwhile; a failure of theirs is the caller's, like an in-time one.
  building.catch(() => undefined);
  const opened = await client.views.open({ trigger_id: triggerId, view: placeholder.loading });
  deps.logger.info(`${options.feature}: reads took over ${waitMs} ms; opened a loading modal`);
  const outcome = await building;
  const view = opened.view;
  if (!view?.id) return;
  await updateView(
    client,
    deps,
    options.feature,
    { id: view.id, hash: view.hash },
    'view' in outcome ? outcome.view : placeholder.says(outcome.text),
  );
}
