import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from '@slack/bolt';
import type { z } from 'zod';
import { type SlackClient, type SlackDeps, translatorFor } from './deps.js';
import type { MessageKey, Translate } from './i18n/index.js';
import { decodeMetadata } from './metadata.js';
import { tellUser } from './replies.js';
import { type SubmittedView, submittedViewSchema } from './view-state.js';

/**
 * A modal submission, from the untrusted payload to the answer, in one place for every modal:
 * read and validate it, let the feature decide, then either show errors on the modal's fields
 * (it stays open) or close it and go on (telling the person the outcome).
 */

type SubmitArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

/** A modal submission, read: who sent it, what they sent, and how to answer them. */
export interface Submission<M> {
  readonly userId: string;
  /** In the language of the person who submitted. */
  readonly t: Translate;
  readonly view: SubmittedView;
  readonly meta: M;
  /** For the work after the ack (updating the message a modal was opened from). */
  readonly client: SlackClient;
  /** Tells the person the outcome (`tellUser`): ephemeral in `channel`, else by DM. */
  readonly tell: (channel: string | undefined, text: string) => Promise<void>;
}

export interface SubmissionOptions<M> {
  /** For the logs and replies: `apply`, `combine`, ... */
  readonly feature: string;
  /** The modal's private_metadata: a schema, or a reader that never throws. */
  readonly metadata: z.ZodType<M> | ((privateMetadata: string | undefined) => M);
  /** Said when the view or its metadata is unreadable. */
  readonly unreadable: MessageKey;
  /** Where `unreadable` is shown, as a field error; by default the modal closes and it is told. */
  readonly unreadableOn?: string;
  /** The view may hold secrets (a pasted key): only an error's name is logged. */
  readonly sensitive?: boolean;
  /**
   * Where a failure of `decide` is shown, as a field error (the modal stays open to try again);
   * without it the failure goes to the app's error handler (listener-errors.ts).
   */
  readonly failedOn?: { readonly block: string; readonly message: MessageKey };
}

/** What the feature decided about a submission. */
export type SubmitOutcome =
  /** Mistakes shown on the modal's fields, by block id; the modal stays open. */
  | { readonly errors: Readonly<Record<string, string>> }
  /** The modal closes, then `after` runs: work Slack's 3 s ack need not wait for. */
  | { readonly after?: () => Promise<void> };

/** Errors on the modal's fields: the modal stays open. */
export function fieldErrors(errors: Readonly<Record<string, string>>): SubmitOutcome {
  return { errors };
}

/** The modal closes, then the person is told `text` (made after the ack when a function). */
export function closeAndTell<M>(
  submission: Submission<M>,
  channel: string | undefined,
  text: string | (() => Promise<string>),
): SubmitOutcome {
  return {
    after: async () => submission.tell(channel, typeof text === 'string' ? text : await text()),
  };
}

/**
 * The start of a modal submission: the view and its private_metadata, validated. When either
 * is unreadable it is logged and answered (`unreadable`), and undefined comes back.
 */
export async function readSubmission<M>(
  { ack, body, client }: SubmitArgs,
  deps: SlackDeps,
  how: SubmissionOptions<M>,
): Promise<Submission<M> | undefined> {
  const { feature } = how;
  const userId = body.user.id;
  const t = await translatorFor(deps, userId);
  const tell = (channel: string | undefined, text: string) =>
    tellUser(client, deps, { feature, userId, channel, text });
  try {
    const view = submittedViewSchema.parse(body.view);
    const meta =
      typeof how.metadata === 'function'
        ? how.metadata(view.private_metadata)
        : decodeMetadata(how.metadata, view.private_metadata);
    return { userId, t, view, meta, client, tell };
  } catch (error) {
    const { name, message } = error as Error;
    deps.logger.warn(`${feature}: unreadable submission`, how.sensitive ? name : message);
    if (how.unreadableOn) {
      await ack({ response_action: 'errors', errors: { [how.unreadableOn]: t(how.unreadable) } });
    } else {
      await ack();
      await tell(undefined, t(how.unreadable));
    }
    return undefined;
  }
}

/** The view_submission listener of a modal: `decide` says what to answer (see SubmitOutcome). */
export function onSubmission<M>(
  deps: SlackDeps,
  how: SubmissionOptions<M>,
  decide: (submission: Submission<M>) => Promise<SubmitOutcome>,
): (args: SubmitArgs) => Promise<void> {
  return async (args) => {
    const submission = await readSubmission(args, deps, how);
    if (!submission) return;
    const outcome = await decideOrFail(deps, how, submission, decide);
    if ('errors' in outcome) {
      await args.ack({ response_action: 'errors', errors: { ...outcome.errors } });
      return;
    }
    await args.ack();
    await outcome.after?.();
  };
}

async function decideOrFail<M>(
  deps: SlackDeps,
  how: SubmissionOptions<M>,
  submission: Submission<M>,
  decide: (submission: Submission<M>) => Promise<SubmitOutcome>,
): Promise<SubmitOutcome> {
  if (!how.failedOn) return decide(submission);
  try {
    return await decide(submission);
  } catch (error) {
    // Logged whole, like the app's error handler does: the logger redacts.
    deps.logger.error(`${how.feature}: submission failed`, error);
    return fieldErrors({ [how.failedOn.block]: submission.t(how.failedOn.message) });
  }
}
