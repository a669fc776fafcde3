import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { type FollowOutcome, followCaOrder } from '../../../usecases/follow-ca-order.js';
import type { CertOpsEvent } from '../../../usecases/ports/index.js';
import { escapeMrkdwn } from '../../blocks.js';
import { type SlackClient, type SlackDeps, type SlackFeature, translatorFor } from '../../deps.js';
import { type Translate, translator } from '../../i18n/index.js';
import { LIMITS } from '../../limits.js';
import { decodeMetadata } from '../../metadata.js';
import { ephemeralReply, loggedNotification } from '../../replies.js';
import { formatDate, refusalText, who } from '../../views/format.js';
import { CA_IDS, challengeMessages, verifyButtonSchema } from './views.js';

/**
 * The CA side of the chat-ops: the validation records a CA order waits for go to the requester
 * by DM (ACME DNS-01: with a Verify button), and Verify asks the CA to validate once CertOps
 * itself can see the records, then records what the CA says (issued, refused, still waiting).
 */

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;

async function sendChallenges(
  client: SlackClient,
  deps: SlackDeps,
  event: Extract<CertOpsEvent, { type: 'ca_challenges' }>,
): Promise<void> {
  const { application, certificate, challenges } = event;
  const provider = deps.useCases.ca.providerFor(certificate);
  // Manual CAs are handled by support; only providers that report outcomes show records.
  if (provider.outcomes === 'manual' || challenges.length === 0) return;
  // A managed renewal started by CertOps itself for a certificate without an owner has no
  // person to tell: its records go to the support channel, in the channel's language.
  const requester = application.requesterId;
  const person = SLACK_USER.test(requester);
  const t = person ? await translatorFor(deps, requester) : translator('en');
  const channel = person ? requester : deps.settings.supportChannel;
  const messages = challengeMessages(t, {
    application,
    certificate,
    challenges,
    outcomes: provider.outcomes,
  });
  for (const message of messages) {
    await client.chat.postMessage({ channel, ...message });
  }
}

/** Verify: only the requester or an approver; the outcome is answered to them alone. */
async function onVerifyClick(deps: SlackDeps, args: ButtonArgs): Promise<void> {
  const { ack, body, action, respond } = args;
  await ack();
  const userId = body.user.id;
  const t = await translatorFor(deps, userId);
  const tell = ephemeralReply(deps, respond);
  let applicationId: string;
  try {
    applicationId = decodeMetadata(verifyButtonSchema, action.value, LIMITS.buttonValue).a;
  } catch {
    await tell(t('ca.verify.invalid_button'));
    return;
  }
  const { store, policy } = deps.useCases;
  const app = await store.applications.get(applicationId);
  if (!app) {
    await tell(refusalText(t, { code: 'application.not_found', params: { id: applicationId } }));
    return;
  }
  if (app.requesterId !== userId && !policy.approvers.has(userId)) {
    await tell(t('ca.verify.not_allowed', { requester: who(app.requesterId) }));
    return;
  }
  const id = escapeMrkdwn(app.certificateId);
  await tell(t('ca.verify.checking', { id }));
  const result = await followCaOrder(deps.useCases, app.id, { verify: true });
  if (!result.ok) {
    await tell(refusalText(t, result.refusal, { timeZone: policy.timeZone }));
    return;
  }
  await tell(await outcomeText(deps, t, app.certificateId, result.value));
}

async function outcomeText(
  deps: SlackDeps,
  t: Translate,
  certificateId: string,
  outcome: FollowOutcome,
): Promise<string> {
  const cert = await deps.useCases.store.certificates.get(certificateId);
  const name = escapeMrkdwn(cert?.name ?? certificateId);
  const id = escapeMrkdwn(certificateId);
  switch (outcome.kind) {
    case 'issued':
      return t('ca.verify.issued', {
        name,
        id,
        notAfter:
          cert?.notAfter !== undefined
            ? formatDate(cert.notAfter, deps.useCases.policy.timeZone)
            : t('ca.unknown_date'),
      });
    case 'failed':
      return t('ca.verify.failed', { name, id, reason: escapeMrkdwn(outcome.reason) });
    case 'waiting': {
      const { state } = outcome;
      if (state.state === 'processing') return t('ca.verify.processing', { id });
      return state.detail
        ? t('ca.verify.waiting_records', { id, detail: escapeMrkdwn(state.detail) })
        : t('ca.verify.waiting', { id });
    }
  }
}

/** The CA slice of the Slack side: validation records by DM, and Verify. */
export const caFeature: SlackFeature = {
  name: 'ca',
  register(app: App, deps: SlackDeps) {
    app.action<BlockAction<ButtonAction>>(CA_IDS.verify, (args) => onVerifyClick(deps, args));
  },
  notify: {
    ca_challenges: (event, client, deps) =>
      loggedNotification(deps, 'ca: sending the validation records', () =>
        sendChallenges(client, deps, event),
      ),
  },
};
