/**
 * What the aged-organisation parts of the bench send CertOps, as Slack sends it (signed, form
 * encoded), and how they see the bot's visible answer: the response_url post of a command, the
 * views.open of a modal (by trigger_id), the chat.update of a clicked request message (by ts).
 */
import { APPROVALS_IDS } from '../../src/slack/features/approvals/views.js';
import type { LocalSlackApi, RecordedCall } from '../try/local-slack-api.js';
import { interactivityBody, slashCommandBody } from '../try/slack-requests.js';
import { interaction } from '../try/view-state.js';

/** The signing secret of the bench's CertOps processes. */
export const SECRET = 'bench0signing0secret0abcdef012345';
export const APPROVAL_CHANNEL = 'CAPPROVALS';
export const SUPPORT_CHANNEL = 'CSUPPORT';

/** `/cert <text>` from `userId`, answering on response_url `responseId`, with its trigger id. */
export function commandBody(
  slack: LocalSlackApi,
  userId: string,
  text: string,
  responseId: string,
  triggerId: string,
): string {
  return slashCommandBody({
    text,
    userId,
    responseUrl: slack.responseUrl(responseId),
    triggerId,
  });
}

/**
 * An approver clicking Approve on the request message of `applicationId` in the approvals
 * channel (block_actions, as SlackDriver.click builds it from the posted message); `ts` names
 * the message, which the bot then updates in place (chat.update with that ts).
 */
export function approveClickBody(
  slack: LocalSlackApi,
  approverId: string,
  applicationId: string,
  ts: string,
  responseId: string,
): string {
  const value = JSON.stringify({ a: applicationId });
  const text = { type: 'plain_text', text: 'Approve', emoji: true };
  const blocks = [
    {
      type: 'section',
      block_id: 'approvals.request.head',
      text: { type: 'mrkdwn', text: `*Application* ${applicationId}` },
    },
    {
      type: 'actions',
      block_id: APPROVALS_IDS.requestActions,
      elements: [
        { type: 'button', action_id: APPROVALS_IDS.approve, text, value, style: 'primary' },
        {
          type: 'button',
          action_id: APPROVALS_IDS.reject,
          text: { ...text, text: 'Reject' },
          value,
          style: 'danger',
        },
      ],
    },
  ];
  return interactivityBody({
    ...interaction('block_actions', approverId, `trigger.${responseId}`),
    actions: [
      {
        type: 'button',
        action_id: APPROVALS_IDS.approve,
        block_id: APPROVALS_IDS.requestActions,
        value,
        text,
        action_ts: `${Date.now() / 1000}`,
      },
    ],
    container: {
      type: 'message',
      message_ts: ts,
      channel_id: APPROVAL_CHANNEL,
      is_ephemeral: false,
    },
    channel: { id: APPROVAL_CHANNEL, name: 'approvals' },
    message: { ts, text: `Application ${applicationId}`, blocks },
    response_url: slack.responseUrl(responseId),
  });
}

/** A message ts of our own for the n-th clicked request message (Slack's shape: digits.digits). */
export const messageTs = (n: number): string => `1800000000.${String(n).padStart(6, '0')}`;

/** The key a visible answer is waited for by: response_url id, trigger id, or message ts. */
export function answerKey(call: RecordedCall): string | undefined {
  if (call.method.startsWith('response_url:')) return call.method;
  if (call.method === 'views.open') return `views.open:${String(call.params.trigger_id)}`;
  if (call.method === 'chat.update') return `chat.update:${String(call.params.ts)}`;
  return undefined;
}

/**
 * Waits for the bot's answers to requests by key, from LocalSlackApi's `call` events (never by
 * scanning its recorded calls, which the load part clears as it goes).
 */
export class AnswerWatch {
  private readonly waiting = new Map<string, (call: RecordedCall) => void>();
  private readonly onCall = (call: RecordedCall) => {
    const key = answerKey(call);
    if (key === undefined) return;
    const resolve = this.waiting.get(key);
    if (!resolve) return;
    this.waiting.delete(key);
    resolve(call);
  };

  constructor(private readonly slack: LocalSlackApi) {
    slack.on('call', this.onCall);
  }

  /** The first of `keys` to be answered (its key and call); rejects after `timeoutMs`. */
  first(keys: readonly string[], timeoutMs = 15_000): Promise<{ key: string; call: RecordedCall }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        for (const key of keys) this.waiting.delete(key);
        reject(new Error(`no answer within ${timeoutMs} ms for ${keys.join(' | ')}`));
      }, timeoutMs);
      for (const key of keys)
        this.waiting.set(key, (call) => {
          clearTimeout(timer);
          for (const other of keys) this.waiting.delete(other);
          resolve({ key, call });
        });
    });
  }

  close(): void {
    this.slack.off('call', this.onCall);
    this.waiting.clear();
  }
}
