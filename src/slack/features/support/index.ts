import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { SYSTEM_ACTOR } from '../../../usecases/expiry-check.js';
import type { CaseClosedCause } from '../../../usecases/ports/index.js';
import { escapeParams, fallbackText, truncate } from '../../blocks.js';
import { type SlackClient, type SlackDeps, type SlackFeature, translatorFor } from '../../deps.js';
import { type MessageKey, type Params, type Translate, translator } from '../../i18n/index.js';
import { LIMITS } from '../../limits.js';
import { clickedMessage, type MessageRef } from '../../message-ref.js';
import { decodeMetadata } from '../../metadata.js';
import { directMessage, ephemeralReply, loggedNotification } from '../../replies.js';
import { formatDateTime, who } from '../../views/format.js';
import {
  type CaseMark,
  type CaseRecord,
  type CaseState,
  caseButtonSchema,
  caseMarkSchema,
  caseMessage,
  caseRecordSchema,
  channelMention,
  SUPPORT_IDS,
} from './views.js';

/** A case stays findable this long without news; resolving it ends it sooner. */
const CASE_TTL_MS = 180 * 24 * 60 * 60 * 1000;
/** While one escalation posts a case's parent message; a crash frees the case after this. */
const PENDING_TTL_MS = 30_000;
/** How long a cause (`onceKey`) is remembered against re-runs and retries. */
const ONCE_TTL_MS = 14 * 24 * 60 * 60 * 1000;
const PENDING = JSON.stringify({ pending: true });
/** Waits (ms) for another escalation that is posting the parent: about 3 s in all. */
const PENDING_WAITS = [25, 50, 100, 150, 200, 250, 300, 400, 500, 500, 500];

/** The key holding a certificate's open support case (its parent message). */
export function caseKey(certificateId: string): string {
  return `support-case:${certificateId}`;
}
const ackKey = (channel: string, ts: string) => `support-case-ack:${channel}:${ts}`;
const resolvedKey = (channel: string, ts: string) => `support-case-resolved:${channel}:${ts}`;

/** The support channel is shared: its messages are in its default language. */
const channelT: Translate = translator('en');

export interface Escalation {
  readonly certificateId: string;
  /** What happened, rendered in English for the channel; `params` are escaped for mrkdwn. */
  readonly summaryKey: MessageKey;
  readonly params?: Params;
  /** Shown on a new case's parent message. */
  readonly requesterId?: string;
  /** Someone to tell by DM, in their language; their message gets `{support}` (the channel). */
  readonly notify?: {
    readonly userId: string;
    readonly key: MessageKey;
    readonly params?: Params;
  };
  /** The cause: a second escalation with the same key does nothing (re-runs, retries). */
  readonly onceKey?: string;
}

export interface EscalationResult {
  readonly channel: string;
  /** The message posted: the parent of a new case, or a reply in the open case's thread. */
  readonly ts: string;
  /** The case's parent message. */
  readonly threadTs: string;
  readonly newCase: boolean;
}

/**
 * Escalates to the support channel (the documents' support group): one parent message per
 * certificate case, with Acknowledge and Resolve; later escalations for the same certificate are
 * replies in its thread until the case is resolved. The parent is claimed with `setIfAbsent`,
 * so two escalations at once never open two cases. Throws when Slack refuses the post (the
 * claims are released, so a retry can post again); returns undefined when `onceKey` was seen.
 */
export async function escalate(
  client: SlackClient,
  deps: SlackDeps,
  escalation: Escalation,
): Promise<EscalationResult | undefined> {
  const { kv } = deps;
  const onceKey = escalation.onceKey ? `support-sent:${escalation.onceKey}` : undefined;
  if (onceKey && !(await kv.setIfAbsent(onceKey, '1', ONCE_TTL_MS))) return undefined;
  try {
    const result = await postEscalation(client, deps, escalation);
    if (escalation.notify) {
      const { userId, key, params } = escalation.notify;
      const t = await translatorFor(deps, userId);
      await directMessage(
        client,
        deps,
        userId,
        t(key, { ...escapeParams(params), support: channelMention(result.channel) }),
      );
    }
    return result;
  } catch (error) {
    if (onceKey) await kv.delete(onceKey).catch(() => undefined);
    throw error;
  }
}

async function postEscalation(
  client: SlackClient,
  deps: SlackDeps,
  escalation: Escalation,
): Promise<EscalationResult> {
  const { kv, settings } = deps;
  const key = caseKey(escalation.certificateId);
  const summary = channelT(escalation.summaryKey, escapeParams(escalation.params));
  for (const wait of [0, ...PENDING_WAITS]) {
    if (wait > 0) await delay(wait);
    if (await kv.setIfAbsent(key, PENDING, PENDING_TTL_MS)) {
      try {
        return await openCase(client, deps, escalation, summary);
      } catch (error) {
        await kv.delete(key).catch(() => undefined);
        throw error;
      }
    }
    const current = await readCase(deps, escalation.certificateId);
    if (current === 'invalid') await kv.delete(key); // unreadable: start the case again
    if (current === 'pending' || current === 'invalid' || current === undefined) continue;
    const reply = await client.chat.postMessage({
      channel: current.channel,
      thread_ts: current.ts,
      text: fallbackText(summary),
    });
    return {
      channel: current.channel,
      ts: reply.ts ?? current.ts,
      threadTs: current.ts,
      newCase: false,
    };
  }
  // Another escalation has held the case for seconds without posting: say it anyway, unthreaded.
  deps.logger.warn(`support case for ${escalation.certificateId} stayed pending; posting alone`);
  const alone = await client.chat.postMessage({
    channel: settings.supportChannel,
    text: fallbackText(summary),
  });
  const ts = alone.ts ?? '';
  return { channel: settings.supportChannel, ts, threadTs: ts, newCase: false };
}

async function openCase(
  client: SlackClient,
  deps: SlackDeps,
  escalation: Escalation,
  summary: string,
): Promise<EscalationResult> {
  const { useCases, settings } = deps;
  const cert = await useCases.store.certificates.get(escalation.certificateId);
  const draft: Omit<CaseRecord, 'ts'> = {
    channel: settings.supportChannel,
    certificateId: escalation.certificateId,
    name: (cert?.name ?? escalation.certificateId).slice(0, 200),
    summary: truncate(summary, LIMITS.sectionText),
    ...(escalation.requesterId ? { requesterId: escalation.requesterId } : {}),
    openedAt: useCases.clock.now().getTime(),
  };
  const message = caseMessage(channelT, { ...draft, ts: '0.0' }, {}, useCases.policy.timeZone);
  const posted = await client.chat.postMessage({ channel: draft.channel, ...message });
  const record: CaseRecord = {
    ...draft,
    channel: posted.channel ?? draft.channel,
    ts: posted.ts ?? '',
  };
  const checked = caseRecordSchema.safeParse(record);
  if (checked.success) {
    await deps.kv.set(caseKey(escalation.certificateId), JSON.stringify(checked.data), CASE_TTL_MS);
  } else {
    // Slack answered without a usable ts: nothing can thread under it, so no case is kept.
    await deps.kv.delete(caseKey(escalation.certificateId));
  }
  return { channel: record.channel, ts: record.ts, threadTs: record.ts, newCase: true };
}

/** The open case of a certificate, `pending` while its parent is being posted. */
async function readCase(
  deps: SlackDeps,
  certificateId: string,
): Promise<CaseRecord | 'pending' | 'invalid' | undefined> {
  const raw = await deps.kv.get(caseKey(certificateId));
  if (raw === undefined) return undefined;
  if (raw === PENDING) return 'pending';
  const parsed = caseRecordSchema.safeParse(safeJson(raw));
  return parsed.success ? parsed.data : 'invalid';
}

async function readMark(deps: SlackDeps, key: string): Promise<CaseMark | undefined> {
  const raw = await deps.kv.get(key);
  if (raw === undefined) return undefined;
  const parsed = caseMarkSchema.safeParse(safeJson(raw));
  return parsed.success ? parsed.data : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// --- Acknowledge / Resolve ---

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

async function onCaseClick(deps: SlackDeps, args: ButtonArgs, kind: 'ack' | 'resolve') {
  const { ack, body, action, client, respond } = args;
  await ack();
  const userId = body.user.id;
  const t = await translatorFor(deps, userId);
  const tell = ephemeralReply(deps, respond);
  let certificateId: string;
  try {
    certificateId = decodeMetadata(caseButtonSchema, action.value, 200).c;
  } catch {
    await tell(t('support.invalid_button'));
    return;
  }
  const clicked = await openCaseClicked(deps, certificateId, clickedMessage(body));
  if (!clicked) return tell(t('support.already_resolved'));
  const mark: CaseMark = { by: userId, at: deps.useCases.clock.now().getTime() };
  if (kind === 'ack') return acknowledgeCase(deps, client, t, tell, { ...clicked, mark });
  if (!(await resolveCase(client, deps, clicked.record, mark)))
    await tell(t('support.already_resolved'));
}

/** The open case of a certificate, when the message clicked is that case's parent message. */
async function openCaseClicked(
  deps: SlackDeps,
  certificateId: string,
  where: MessageRef | undefined,
): Promise<{ record: CaseRecord; where: MessageRef } | undefined> {
  const record = await readCase(deps, certificateId);
  if (!where || record === undefined || record === 'pending' || record === 'invalid')
    return undefined;
  return record.ts === where.ts && record.channel === where.channel ? { record, where } : undefined;
}

/** Acknowledge: the first mark wins and shows on the parent message; later ones are told who. */
async function acknowledgeCase(
  deps: SlackDeps,
  client: SlackClient,
  t: Translate,
  tell: (text: string) => Promise<void>,
  { record, where, mark }: { record: CaseRecord; where: MessageRef; mark: CaseMark },
): Promise<void> {
  const { timeZone } = deps.useCases.policy;
  const key = ackKey(where.channel, where.ts);
  if (!(await deps.kv.setIfAbsent(key, JSON.stringify(mark), CASE_TTL_MS))) {
    const earlier = await readMark(deps, key);
    const at = (ms: number) =>
      t('support.when', { time: formatDateTime(ms, timeZone), zone: timeZone });
    await tell(
      earlier
        ? t('support.already_acknowledged', { by: who(earlier.by), at: at(earlier.at) })
        : t('support.already_resolved'),
    );
    return;
  }
  const message = caseMessage(channelT, record, { acknowledged: mark }, timeZone);
  await client.chat.update({ channel: where.channel, ts: where.ts, ...message });
}

/**
 * Resolves a case, whoever does it (the Resolve button, a later success): the first mark wins,
 * the parent message shows it (its buttons gone), then the case ends, so the next escalation
 * for the certificate opens a new one. It ends after the update, so that a retry after a failed
 * update still finds it. False when it was resolved already: then nothing is changed, unless
 * `finish` (a retried job whose first run may have stopped half-way) shows and ends it again.
 */
async function resolveCase(
  client: SlackClient,
  deps: SlackDeps,
  record: CaseRecord,
  mark: CaseMark,
  options: { readonly finish?: boolean } = {},
): Promise<boolean> {
  const key = resolvedKey(record.channel, record.ts);
  const won = await deps.kv.setIfAbsent(key, JSON.stringify(mark), CASE_TTL_MS);
  if (!won && !options.finish) return false;
  const state: CaseState = {
    acknowledged: await readMark(deps, ackKey(record.channel, record.ts)),
    resolved: won ? mark : ((await readMark(deps, key)) ?? mark),
  };
  const message = caseMessage(channelT, record, state, deps.useCases.policy.timeZone);
  await client.chat.update({ channel: record.channel, ts: record.ts, ...message });
  const still = await readCase(deps, record.certificateId);
  if (typeof still === 'object' && still.ts === record.ts)
    await deps.kv.delete(caseKey(record.certificateId));
  return won;
}

/** What the closing reply of a case says, by what closed it (the channel's language). */
const CLOSED_BY: Readonly<Record<CaseClosedCause, MessageKey>> = {
  retry_submitted: 'support.closed.retry_submitted',
  renewal_purchase_approved: 'support.closed.renewal_purchase_approved',
  renewal_issued: 'support.closed.renewal_issued',
};

export interface CaseClosing {
  readonly certificateId: string;
  readonly cause: CaseClosedCause;
  /** Who did what closed it (the approver of a renewal purchase). */
  readonly by?: string | undefined;
}

/**
 * A later success overcame a certificate's failed managed renewal: its open case gets a reply
 * in its thread saying what, and is resolved as the Resolve button resolves it (by CertOps).
 * `no_one` when there is no open case: nothing is posted. Throws while a case is being opened,
 * so the job tries again. Run twice (a retried job), it posts once: the reply goes through the
 * job's once-poster, and resolving finishes what a first run began.
 */
export async function closeCase(
  client: SlackClient,
  deps: SlackDeps,
  closing: CaseClosing,
): Promise<'delivered' | 'no_one'> {
  const record = await readCase(deps, closing.certificateId);
  if (record === 'pending')
    throw new Error(`support case for ${closing.certificateId} is being opened; retried later`);
  if (record === undefined || record === 'invalid') return 'no_one';
  const text = channelT(CLOSED_BY[closing.cause], { by: closing.by ? who(closing.by) : '?' });
  await client.chat.postMessage({
    channel: record.channel,
    thread_ts: record.ts,
    text: fallbackText(text),
  });
  const mark: CaseMark = { by: SYSTEM_ACTOR, at: deps.useCases.clock.now().getTime() };
  await resolveCase(client, deps, record, mark, { finish: true });
  return 'delivered';
}

// --- the feature ---

/** Domains for the channel's summary, unescaped (escalate escapes every param). */
function listDomains(domains: readonly string[]): string {
  if (domains.length === 0) return channelT('common.none');
  const shown = domains.slice(0, 10).join(', ');
  return domains.length > 10
    ? `${shown} ${channelT('common.more', { count: domains.length - 10 })}`
    : shown;
}

/** The support slice of the Slack side: escalations and their cases in the support channel. */
export const supportFeature: SlackFeature = {
  name: 'support',
  register(app: App, deps: SlackDeps) {
    app.action<BlockAction<ButtonAction>>(SUPPORT_IDS.ack, (args) =>
      onCaseClick(deps, args, 'ack'),
    );
    app.action<BlockAction<ButtonAction>>(SUPPORT_IDS.resolve, (args) =>
      onCaseClick(deps, args, 'resolve'),
    );
  },
  notify: {
    validation_failed: (event, client, deps) =>
      loggedNotification(deps, 'support: escalating validation_failed', () =>
        escalate(client, deps, {
          certificateId: event.certificate.id,
          summaryKey: 'support.summary.validation_failed',
          params: {
            app: event.application.id,
            domains: listDomains(event.application.domains),
            reason: event.reason,
          },
          requesterId: event.application.requesterId,
          notify: {
            userId: event.application.requesterId,
            key: 'support.dm.validation_failed',
            params: {
              name: event.certificate.name,
              id: event.certificate.id,
              reason: event.reason,
            },
          },
          onceKey: `validation_failed:${event.application.id}:${event.application.version}`,
        }),
      ),
    submitted_to_ca: async (event, client, deps) => {
      const action = event.caActionNeeded;
      if (!action) return;
      await loggedNotification(deps, 'support: asking for a step at the CA', () =>
        escalate(client, deps, {
          certificateId: event.certificate.id,
          summaryKey: 'support.summary.ca_action_needed',
          params: { app: event.application.id, action },
          requesterId: event.application.requesterId,
          notify: {
            userId: event.application.requesterId,
            key: 'support.dm.ca_action_needed',
            params: { name: event.certificate.name, id: event.certificate.id },
          },
          onceKey: `ca_action_needed:${event.application.id}:${event.application.version}`,
        }),
      );
    },
    ca_submission_failed: (event, client, deps) =>
      loggedNotification(deps, 'support: escalating ca_submission_failed', () =>
        escalate(client, deps, {
          certificateId: event.certificate.id,
          summaryKey: 'support.summary.ca_submission_failed',
          params: { app: event.application.id, error: event.error },
          requesterId: event.application.requesterId,
          notify: {
            userId: event.application.requesterId,
            key: 'support.dm.ca_submission_failed',
            params: { name: event.certificate.name, id: event.certificate.id, error: event.error },
          },
        }),
      ),
  },
};
