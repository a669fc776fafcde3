import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  RespondArguments,
  RespondFn,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { Certificate } from '../../../domain/certificate.js';
import type {
  DeliveryOutcome,
  EscalationDelivery,
  EscalationMessage,
  KeyedEscalation,
  OutboundMessage,
} from '../../../usecases/ports/index.js';
import { escapeMrkdwn, fallbackText } from '../../blocks.js';
import { type SlackClient, type SlackDeps, type SlackFeature, translatorFor } from '../../deps.js';
import { type Translate, translator } from '../../i18n/index.js';
import { decodeMetadata } from '../../metadata.js';
import { ephemeralReply } from '../../replies.js';
import { renewFeature } from '../renew/index.js';
import { closeCase, escalate } from '../support/index.js';
import { channelMention } from '../support/views.js';
import {
  CLOCKS_IDS,
  digestMessage,
  escalationSummary,
  expiredMessage,
  expiryReminderMessage,
  type RenderedMessage,
  renewalActivatedMessage,
  renewButtonSchema,
  requesterNotice,
  slaReminderMessage,
  unownedMessage,
} from './views.js';

/** The support channel is shared: its messages are in its default language. */
const channelT: Translate = translator('en');

/**
 * Renders a message of the clocks in its recipient's language and posts it: a DM, or the
 * support channel (in English) when the certificate has no owner. An `escalation` here is the
 * notice to its requester (the support side goes through `deliverEscalations`); a
 * `case_closed` closes the certificate's support case (`closeCase`). Reads the store
 * at delivery time, so a reminder about something settled meanwhile is dropped. Throws when
 * Slack refuses the post, so the job is retried.
 */
export async function deliverMessage(
  client: SlackClient,
  deps: SlackDeps,
  message: OutboundMessage,
): Promise<DeliveryOutcome> {
  if (message.kind === 'escalation') return tellRequester(client, deps, message);
  if (message.kind === 'case_closed') {
    const certificate = await deps.useCases.store.certificates.get(message.certificateId);
    // It failed again since: the case is about that now and stays open.
    if (certificate?.renewalFailure) return 'stale';
    return closeCase(client, deps, message);
  }
  const recipient = message.userId;
  const t = recipient ? await translatorFor(deps, recipient) : channelT;
  const rendered = await render(deps, t, message);
  if (!rendered) return 'stale';
  const { channel, text, blocks } = recipient
    ? { channel: recipient, ...rendered }
    : {
        channel: deps.settings.supportChannel,
        ...unownedMessage(t, message.certificateId, rendered),
      };
  await client.chat.postMessage({ channel, text, blocks });
  return 'delivered';
}

async function render(
  deps: SlackDeps,
  t: Translate,
  message: Exclude<OutboundMessage, { kind: 'escalation' | 'case_closed' }>,
): Promise<RenderedMessage | undefined> {
  const { store, policy } = deps.useCases;
  const { supportChannel } = deps.settings;
  switch (message.kind) {
    case 'sla_reminder': {
      const application = await store.applications.get(message.applicationId);
      // Issued, refused or withdrawn since: the reminder has nothing left to say.
      if (application?.status !== 'submitted') return undefined;
      const [certificate, contact] = await Promise.all([
        store.certificates.get(message.certificateId),
        application.contactId ? store.contacts.get(application.contactId) : undefined,
      ]);
      return slaReminderMessage(t, {
        certificateId: message.certificateId,
        certificate,
        application,
        contact,
        supportChannel,
        timeZone: policy.timeZone,
      });
    }
    case 'expiry_reminder': {
      const certificate = await store.certificates.get(message.certificateId);
      // Renewed (a new notAfter) or gone since: this ladder is over.
      if (certificate?.notAfter !== message.notAfter) return undefined;
      return expiryReminderMessage(t, {
        certificate,
        daysLeft: message.daysLeft,
        notAfter: message.notAfter,
        timeZone: policy.timeZone,
      });
    }
    case 'expired': {
      const certificate = await store.certificates.get(message.certificateId);
      if (certificate && certificate.notAfter !== message.notAfter) return undefined;
      return expiredMessage(t, {
        certificateId: message.certificateId,
        certificate,
        notAfter: message.notAfter,
        supportChannel,
        timeZone: policy.timeZone,
      });
    }
    case 'renewal_activated': {
      const certificate = await store.certificates.get(message.certificateId);
      return renewalActivatedMessage(t, {
        certificateId: message.certificateId,
        certificate,
        renewalId: message.renewalId,
        supportChannel,
      });
    }
  }
}

async function tellRequester(
  client: SlackClient,
  deps: SlackDeps,
  message: EscalationMessage,
): Promise<DeliveryOutcome> {
  const notice = requesterNotice(message);
  if (!message.requesterId || !notice) return 'no_one';
  const [t, certificate] = await Promise.all([
    translatorFor(deps, message.requesterId),
    deps.useCases.store.certificates.get(message.certificateId),
  ]);
  const text = t(notice.key, {
    ...escapeAll(notice.params),
    name: escapeMrkdwn(certificate?.name ?? message.certificateId),
    id: escapeMrkdwn(message.certificateId),
    support: channelMention(deps.settings.supportChannel),
  });
  await client.chat.postMessage({ channel: message.requesterId, text: fallbackText(text) });
  return 'delivered';
}

function escapeAll(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, escapeMrkdwn(v)]));
}

/**
 * Posts escalations to the support channel: one goes through `escalate` (a case per certificate,
 * a reply in its thread while a case is open); several become ONE digest message. Throws when
 * Slack refuses the post; nothing was posted then, so the caller may put the items back.
 */
export async function deliverEscalations(
  client: SlackClient,
  deps: SlackDeps,
  items: readonly KeyedEscalation[],
): Promise<EscalationDelivery> {
  const tellRequesters = items.filter(
    (item) => item.message.requesterId && requesterNotice(item.message),
  );
  const [only] = items;
  if (!only) return { posted: 'none', tellRequesters: [] };
  const { store, policy } = deps.useCases;
  if (items.length === 1) {
    const { message } = only;
    const certificate = await store.certificates.get(message.certificateId);
    const summary = escalationSummary(message, certificate, policy.timeZone);
    await escalate(client, deps, {
      certificateId: message.certificateId,
      summaryKey: summary.key,
      params: summary.params,
      ...(message.requesterId ? { requesterId: message.requesterId } : {}),
      onceKey: `clocks:${only.key}`,
    });
    return { posted: 'case', tellRequesters };
  }
  const ids = [...new Set(items.map((item) => item.message.certificateId))];
  const byId = new Map<string, Certificate>(
    (await store.certificates.getMany(ids)).map((cert) => [cert.id, cert]),
  );
  const digest = digestMessage(
    channelT,
    items.map((item) => ({
      message: item.message,
      certificate: byId.get(item.message.certificateId),
    })),
  );
  await client.chat.postMessage({ channel: deps.settings.supportChannel, ...digest });
  return { posted: 'digest', tellRequesters };
}

// --- the Renew button of the expiry reminder ---

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** `respond` for a handler written for slash commands: every answer ephemeral, none replacing. */
function ephemeralRespond(respond: RespondFn): RespondFn {
  return (message: string | RespondArguments) =>
    respond({
      ...(typeof message === 'string' ? { text: message } : message),
      response_type: 'ephemeral',
      replace_original: false,
    });
}

/** Renew opens the renew flow exactly as `/cert renew <id>` does (its subcommand handler). */
async function onRenewClick(deps: SlackDeps, args: ButtonArgs): Promise<void> {
  const { ack, body, action, client, respond } = args;
  await ack();
  const userId = body.user.id;
  const t = await translatorFor(deps, userId);
  const tell = ephemeralReply(deps, respond);
  let certificateId: string;
  try {
    certificateId = decodeMetadata(renewButtonSchema, action.value, 200).c;
  } catch {
    await tell(t('clocks.renew.invalid_button'));
    return;
  }
  const renew = renewFeature.subcommands?.renew;
  if (!renew) throw new Error('the renew feature has no renew subcommand');
  const container = body.container as { channel_id?: unknown };
  const channelId =
    body.channel?.id ?? (typeof container.channel_id === 'string' ? container.channel_id : '');
  await renew({
    deps,
    client,
    respond: ephemeralRespond(respond),
    t,
    userId,
    channelId,
    triggerId: body.trigger_id,
    args: [certificateId],
  });
}

/** The clocks' slice of the Slack side: the Renew button of expiry reminders. */
export const clocksFeature: SlackFeature = {
  name: 'clocks',
  register(app: App, deps: SlackDeps) {
    app.action<BlockAction<ButtonAction>>(CLOCKS_IDS.renew, (args) => onRenewClick(deps, args));
  },
};
