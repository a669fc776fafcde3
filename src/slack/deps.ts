import type { App, RespondFn } from '@slack/bolt';
import type { UseCaseContext } from '../usecases/context.js';
import type { CertOpsEvent, KeyValueStore, Logger } from '../usecases/ports/index.js';
import { type Locale, type Translate, translator } from './i18n/index.js';

/** Channels and people from configuration that the Slack side needs. */
export interface SlackSettings {
  readonly approvalChannel: string;
  readonly supportChannel: string;
  /**
   * How long a modal's reads may take before a "loading" modal opens on the trigger (which
   * Slack honours for 3 s) and is filled in when they finish (LOADING_VIEW_AFTER_MS by default).
   */
  readonly loadingViewAfterMs?: number;
}

/** What listeners may use: use cases and their context, never Redis or BullMQ directly. */
export interface SlackDeps {
  readonly useCases: UseCaseContext;
  readonly settings: SlackSettings;
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  /** The user's Slack locale, cached; English when unknown. Never throws, never slow. */
  readonly localeOf: (userId: string) => Promise<Locale>;
}

export async function translatorFor(deps: SlackDeps, userId: string): Promise<Translate> {
  return translator(await deps.localeOf(userId));
}

/** Slack's web client as handlers and notifications get it. */
export type SlackClient = App['client'];

export interface SubcommandArgs {
  readonly deps: SlackDeps;
  readonly client: SlackClient;
  readonly respond: RespondFn;
  readonly t: Translate;
  readonly userId: string;
  readonly channelId: string;
  readonly triggerId: string;
  /** The words after the subcommand, already split on whitespace. */
  readonly args: readonly string[];
}

export type SubcommandHandler = (args: SubcommandArgs) => Promise<void>;

/** A vertical slice of the Slack side: its subcommands, listeners and event notifications. */
export interface SlackFeature {
  /**
   * Stable across releases: it is part of the ids of the feature's notification jobs (one job
   * per event and feature).
   */
  readonly name: string;
  readonly subcommands?: Readonly<Record<string, SubcommandHandler>>;
  register?(app: App, deps: SlackDeps): void;
  /**
   * Turns use-case events into messages. Each runs as a queued job (src/jobs/notifications.ts):
   * log a failure, then throw it so that the job is retried.
   */
  readonly notify?: {
    readonly [K in CertOpsEvent['type']]?: (
      event: Extract<CertOpsEvent, { type: K }>,
      client: SlackClient,
      deps: SlackDeps,
    ) => Promise<void>;
  };
}
