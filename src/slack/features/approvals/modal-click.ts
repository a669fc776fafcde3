/** A button that opens a modal about an application, and how those modals are read back. */
import type { Application } from '../../../domain/application.js';
import type { Refusal } from '../../../domain/result.js';
import type { ModalView } from '../../blocks.js';
import { type SlackDeps, translatorFor } from '../../deps.js';
import type { Translate } from '../../i18n/index.js';
import { clickedMessage, type MessageRef } from '../../message-ref.js';
import { ephemeralReply } from '../../replies.js';
import type { SubmissionOptions } from '../../submission.js';
import { readViewState, type SubmittedView } from '../../view-state.js';
import { type ButtonArgs, decodeButton, refusalText } from './reading.js';
import {
  APPROVALS_IDS,
  type ModalMetadata,
  modalMetadataSchema,
  type RequestDetails,
} from './views.js';

/** A click on a button that opens a modal about an application: what it names, read first. */
export interface ModalClick {
  readonly userId: string;
  readonly t: Translate;
  readonly tell: (text: string) => Promise<void>;
  /** The message clicked in, updated once the modal is submitted. */
  readonly where: MessageRef;
  readonly applicationId: string;
  readonly app: Application | undefined;
  /** Tells the person who clicked why not. */
  readonly refused: (refusal: Refusal) => Promise<void>;
}

/** Acks the click and reads it; a button that names nothing usable is answered here. */
export async function readModalClick(
  deps: SlackDeps,
  args: ButtonArgs,
): Promise<ModalClick | undefined> {
  const { ack, body, action, respond } = args;
  await ack();
  const userId = body.user.id;
  const applicationId = decodeButton(action.value);
  const where = clickedMessage(body);
  const [t, app] = await Promise.all([
    translatorFor(deps, userId),
    applicationId ? deps.useCases.store.applications.get(applicationId) : undefined,
  ]);
  const tell = ephemeralReply(deps, respond);
  if (!applicationId || !where) {
    await tell(t('approvals.invalid_button'));
    return undefined;
  }
  const { timeZone } = deps.useCases.policy;
  const refused = (refusal: Refusal) => tell(refusalText(t, refusal, timeZone, 'mrkdwn'));
  return { userId, t, tell, where, applicationId, app, refused };
}

export function notFound(applicationId: string): Refusal {
  return { code: 'application.not_found', params: { id: applicationId } };
}

/** Opens the modal `build` makes for `app`; its metadata points back at the clicked message. */
export async function openModal(
  deps: SlackDeps,
  args: ButtonArgs,
  click: ModalClick,
  app: Application,
  build: (
    t: Translate,
    d: Pick<RequestDetails, 'application' | 'certificate'>,
    metadata: ModalMetadata,
  ) => ModalView,
): Promise<void> {
  const { t, where } = click;
  const cert = await deps.useCases.store.certificates.get(app.certificateId);
  await args.client.views.open({
    trigger_id: args.body.trigger_id,
    view: build(
      t,
      { application: app, certificate: cert },
      { a: app.id, c: where.channel, ts: where.ts },
    ),
  });
}

/** How the approvals modals are read: trouble is shown on `block`, the modal left open. */
export function modalSubmission(feature: string, block: string): SubmissionOptions<ModalMetadata> {
  return {
    feature: `approvals: ${feature}`,
    metadata: modalMetadataSchema,
    unreadable: 'approvals.modal.invalid',
    unreadableOn: block,
    failedOn: { block, message: 'command.failed' },
  };
}

/** The typed reason of a modal, trimmed; '' when none. */
export function reasonIn(view: SubmittedView, block: string): string {
  return (readViewState(view).text(block, APPROVALS_IDS.reasonInput) ?? '').trim();
}
