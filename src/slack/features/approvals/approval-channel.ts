/** The approvals channel: the request message, Approve, Reject (with its modal), /cert withdraw. */
import { type Application, checkDecider } from '../../../domain/application.js';
import { decideApplication, MAX_REASON_LENGTH } from '../../../usecases/decide-application.js';
import { withdrawApplication } from '../../../usecases/withdraw-application.js';
import { escapeMrkdwn } from '../../blocks.js';
import {
  type SlackClient,
  type SlackDeps,
  type SubcommandArgs,
  translatorFor,
} from '../../deps.js';
import { clickedMessage, type MessageRef } from '../../message-ref.js';
import { ephemeralReply } from '../../replies.js';
import { fieldErrors, type Submission, type SubmitOutcome } from '../../submission.js';
import { notFound, openModal, readModalClick, reasonIn } from './modal-click.js';
import {
  alreadyDecided,
  type ButtonArgs,
  channelT,
  decodeButton,
  loadDetails,
  refusalText,
} from './reading.js';
import { APPROVALS_IDS, type ModalMetadata, rejectModal, requestMessage } from './views.js';

/** The request message, updated in place to show the decision (and no buttons). */
async function updateRequest(
  client: SlackClient,
  deps: SlackDeps,
  where: MessageRef,
  app: Application,
  caError?: string,
): Promise<void> {
  try {
    const details = await loadDetails(deps, app);
    const message = requestMessage(channelT, details, {
      timeZone: deps.useCases.policy.timeZone,
      caError,
    });
    await client.chat.update({ channel: where.channel, ts: where.ts, ...message });
  } catch (error) {
    // The decision stands and the requester has been told; only the channel's copy is stale.
    deps.logger.error(`approvals: updating the request message of ${app.id} failed`, error);
  }
}

export async function onApprove(deps: SlackDeps, args: ButtonArgs): Promise<void> {
  const { ack, body, action, client, respond } = args;
  await ack();
  const userId = body.user.id;
  const t = await translatorFor(deps, userId);
  const tell = ephemeralReply(deps, respond);
  const applicationId = decodeButton(action.value);
  if (!applicationId) return tell(t('approvals.invalid_button'));
  const decided = await decideApplication(deps.useCases, {
    applicationId,
    deciderId: userId,
    decision: 'approve',
  });
  const where = clickedMessage(body);
  if (!decided.ok) {
    // Withdrawn meanwhile (no decision updated the message): it catches up, without buttons.
    if (decided.refusal.code === 'decision.already_decided' && where) {
      const current = await deps.useCases.store.applications.get(applicationId);
      if (current?.status === 'withdrawn') await updateRequest(client, deps, where, current);
    }
    return tell(refusalText(t, decided.refusal, deps.useCases.policy.timeZone, 'mrkdwn'));
  }
  if (where)
    await updateRequest(client, deps, where, decided.value.application, decided.value.caError);
}

/** `/cert withdraw <request>` (撤回申请): the requester or an approver takes a request back. */
export async function withdrawCommand({
  deps,
  respond,
  t,
  userId,
  args,
}: SubcommandArgs): Promise<void> {
  const id = args[0]?.slice(0, 64);
  if (!id) {
    await respond({ response_type: 'ephemeral', text: t('withdraw.usage') });
    return;
  }
  const result = await withdrawApplication(deps.useCases, { applicationId: id, actorId: userId });
  await respond({
    response_type: 'ephemeral',
    text: result.ok
      ? t('withdraw.done', { id: escapeMrkdwn(id) })
      : refusalText(t, result.refusal, deps.useCases.policy.timeZone, 'mrkdwn'),
  });
}

export async function onRejectClick(deps: SlackDeps, args: ButtonArgs): Promise<void> {
  const click = await readModalClick(deps, args);
  if (!click) return;
  const { app, refused } = click;
  if (!app) return refused(notFound(click.applicationId));
  // Asked before the reason is typed, so nobody writes one only to be refused.
  const allowed = checkDecider(app, click.userId, deps.useCases.policy.approvers);
  if (!allowed.ok) return refused(allowed.refusal);
  if (app.status !== 'awaiting_approval') return refused(alreadyDecided(app));
  await openModal(deps, args, click, app, rejectModal);
}

export async function decideReject(
  deps: SlackDeps,
  { userId, t, view, meta, client }: Submission<ModalMetadata>,
): Promise<SubmitOutcome> {
  const block = APPROVALS_IDS.rejectReasonBlock;
  const reason = reasonIn(view, block);
  if (!reason) return fieldErrors({ [block]: t('approvals.reject.reason.required') });
  if (reason.length > MAX_REASON_LENGTH)
    return fieldErrors({
      [block]: t('approvals.reject.reason.too_long', { max: MAX_REASON_LENGTH }),
    });
  const decided = await decideApplication(deps.useCases, {
    applicationId: meta.a,
    deciderId: userId,
    decision: 'reject',
    reason,
  });
  if (!decided.ok) {
    const text = refusalText(t, decided.refusal, deps.useCases.policy.timeZone, 'plain');
    return fieldErrors({ [block]: text });
  }
  const where = { channel: meta.c, ts: meta.ts };
  return { after: () => updateRequest(client, deps, where, decided.value.application) };
}
