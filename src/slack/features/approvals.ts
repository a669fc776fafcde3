import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  SlackActionMiddlewareArgs,
} from '@slack/bolt';
import { type Application, checkDecider } from '../../domain/application.js';
import type { Certificate } from '../../domain/certificate.js';
import { canRecordCaOutcomes } from '../../domain/permissions.js';
import type { Refusal } from '../../domain/result.js';
import { decideApplication, MAX_REASON_LENGTH } from '../../usecases/decide-application.js';
import type { CertOpsEvent } from '../../usecases/ports/index.js';
import { recordIssued, recordValidationFailed } from '../../usecases/record-ca-outcome.js';
import { withdrawApplication } from '../../usecases/withdraw-application.js';
import { containsPrivateKey } from '../../x509/parse-certificate-pem.js';
import { escapeMrkdwn, fallbackText, type ModalView, section } from '../blocks.js';
import {
  type SlackClient,
  type SlackDeps,
  type SlackFeature,
  type SubcommandArgs,
  translatorFor,
} from '../deps.js';
import { type Translate, translator } from '../i18n/index.js';
import { clickedMessage, type MessageRef } from '../message-ref.js';
import { decodeMetadata } from '../metadata.js';
import { ephemeralReply, loggedNotification, postDirectMessage } from '../replies.js';
import {
  fieldErrors,
  onSubmission,
  type Submission,
  type SubmissionOptions,
  type SubmitOutcome,
} from '../submission.js';
import { readViewState, type SubmittedView } from '../view-state.js';
import {
  domainsText,
  formatDate,
  refusalText as sharedRefusalText,
  statusLabel,
  who,
} from '../views/format.js';
import {
  APPROVALS_IDS,
  failedModal,
  issuedModal,
  KIND,
  type ManualOutcome,
  type ModalMetadata,
  manualMessage,
  modalMetadataSchema,
  type RequestDetails,
  rejectModal,
  requestButtonSchema,
  requestMessage,
  when,
} from './approvals-views.js';
import { renewActions } from './clocks-views.js';

/** The approvals and support channels are shared: their messages are in their default language. */
const channelT: Translate = translator('en');

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

// --- reading ---

async function loadDetails(
  deps: SlackDeps,
  application: Application,
  certificate?: Certificate,
): Promise<RequestDetails> {
  const { store } = deps.useCases;
  const [cert, contact, sources] = await Promise.all([
    certificate ?? store.certificates.get(application.certificateId),
    application.contactId ? store.contacts.get(application.contactId) : undefined,
    application.kind === 'combine'
      ? store.certificates.getMany(application.combineWith ?? [])
      : Promise.resolve([]),
  ]);
  return { application, certificate: cert, contact, sources };
}

function decodeButton(value: string | undefined): string | undefined {
  try {
    return decodeMetadata(requestButtonSchema, value, 200).a;
  } catch {
    return undefined;
  }
}

/**
 * A refusal for the person who clicked: "already decided" says by whom and when (a mention in
 * mrkdwn, the bare id in a modal's plain-text error); everything else comes from the catalog.
 */
function refusalText(
  t: Translate,
  refusal: Refusal,
  timeZone: string,
  style: 'mrkdwn' | 'plain',
): string {
  if (refusal.code !== 'decision.already_decided')
    return sharedRefusalText(t, refusal, { timeZone, escape: style === 'mrkdwn' });
  const params = refusal.params ?? {};
  const by = String(params.by ?? '');
  const at = Number(params.at ?? 0);
  return t('approvals.already_decided', {
    status: statusLabel(t, String(params.status ?? '')),
    by: by === '' ? '?' : style === 'mrkdwn' ? who(by) : by,
    at: at > 0 ? when(t, at, timeZone) : t('approvals.unknown_date'),
  });
}

function alreadyDecided(app: Application): Refusal {
  return {
    code: 'decision.already_decided',
    params: { id: app.id, status: app.status, by: app.decidedBy ?? '', at: app.decidedAt ?? 0 },
  };
}

// --- approvals channel ---

async function postRequest(
  client: SlackClient,
  deps: SlackDeps,
  app: Application,
  cert: Certificate,
) {
  const details = await loadDetails(deps, app, cert);
  const message = requestMessage(channelT, details, { timeZone: deps.useCases.policy.timeZone });
  await client.chat.postMessage({ channel: deps.settings.approvalChannel, ...message });
}

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

async function onApprove(deps: SlackDeps, args: ButtonArgs): Promise<void> {
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
async function withdrawCommand({ deps, respond, t, userId, args }: SubcommandArgs): Promise<void> {
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

/** A click on a button that opens a modal about an application: what it names, read first. */
interface ModalClick {
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
async function readModalClick(deps: SlackDeps, args: ButtonArgs): Promise<ModalClick | undefined> {
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

function notFound(applicationId: string): Refusal {
  return { code: 'application.not_found', params: { id: applicationId } };
}

/** Opens the modal `build` makes for `app`; its metadata points back at the clicked message. */
async function openModal(
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

async function onRejectClick(deps: SlackDeps, args: ButtonArgs): Promise<void> {
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

/** How the approvals modals are read: trouble is shown on `block`, the modal left open. */
function modalSubmission(feature: string, block: string): SubmissionOptions<ModalMetadata> {
  return {
    feature: `approvals: ${feature}`,
    metadata: modalMetadataSchema,
    unreadable: 'approvals.modal.invalid',
    unreadableOn: block,
    failedOn: { block, message: 'command.failed' },
  };
}

/** The typed reason of a modal, trimmed; '' when none. */
function reasonIn(view: SubmittedView, block: string): string {
  return (readViewState(view).text(block, APPROVALS_IDS.reasonInput) ?? '').trim();
}

async function decideReject(
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

// --- manual CA outcome, in the support channel ---

async function postManual(
  client: SlackClient,
  deps: SlackDeps,
  app: Application,
  cert: Certificate,
) {
  // Only a manual CA needs people to record its answer; providers with an API report it.
  if (deps.useCases.ca.providerFor(cert).name !== 'manual') return;
  const details = await loadDetails(deps, app, cert);
  const message = manualMessage(channelT, details, { timeZone: deps.useCases.policy.timeZone });
  await client.chat.postMessage({ channel: deps.settings.supportChannel, ...message });
}

async function updateManual(
  client: SlackClient,
  deps: SlackDeps,
  where: MessageRef,
  app: Application,
  cert: Certificate,
  outcome: ManualOutcome,
): Promise<void> {
  try {
    const details = await loadDetails(deps, app, cert);
    const message = manualMessage(channelT, details, {
      timeZone: deps.useCases.policy.timeZone,
      outcome,
    });
    await client.chat.update({ channel: where.channel, ts: where.ts, ...message });
  } catch (error) {
    deps.logger.error(`approvals: updating the CA outcome message of ${app.id} failed`, error);
  }
}

async function onManualClick(
  deps: SlackDeps,
  args: ButtonArgs,
  kind: 'issued' | 'failed',
): Promise<void> {
  const click = await readModalClick(deps, args);
  if (!click) return;
  const { t, app, refused } = click;
  if (!canRecordCaOutcomes(deps.useCases.policy, click.userId))
    return refused({ code: 'outcome.not_allowed', params: { user: click.userId } });
  if (!app) return refused(notFound(click.applicationId));
  if (app.status !== 'submitted')
    return click.tell(
      t('approvals.manual.already_recorded', { id: app.id, status: statusLabel(t, app.status) }),
    );
  await openModal(deps, args, click, app, kind === 'issued' ? issuedModal : failedModal);
}

/** Which PEM field a refusal is about: the one holding the key, or the bad certificate. */
function pemBlockFor(refusal: Refusal, fields: readonly string[]): string {
  const [first] = APPROVALS_IDS.pemBlocks;
  let index = -1;
  if (refusal.code === 'pem.private_key') {
    index = fields.findIndex((field) => containsPrivateKey(field));
  } else if (refusal.code === 'pem.malformed' && typeof refusal.params?.index === 'number') {
    let seen = 0;
    const wanted = refusal.params.index;
    index = fields.findIndex((field) => {
      seen += field.match(/-----BEGIN (?:X509 )?CERTIFICATE-----/g)?.length ?? 0;
      return seen >= wanted;
    });
  }
  return APPROVALS_IDS.pemBlocks[index] ?? first;
}

/** The pasted PEM fields, as typed, and joined into one bundle. */
function pastedPem(view: SubmittedView): { fields: string[]; pem: string } {
  const state = readViewState(view);
  const fields = APPROVALS_IDS.pemBlocks.map(
    (block) => state.text(block, APPROVALS_IDS.pemInput) ?? '',
  );
  const pem = fields
    .map((field) => field.trim())
    .filter((field) => field !== '')
    .join('\n');
  return { fields, pem };
}

async function decideIssued(
  deps: SlackDeps,
  { userId, t, view, meta, client }: Submission<ModalMetadata>,
): Promise<SubmitOutcome> {
  const [first] = APPROVALS_IDS.pemBlocks;
  const { fields, pem } = pastedPem(view);
  if (!fields[0]?.trim()) return fieldErrors({ [first]: t('approvals.issued.required') });
  const recorded = await recordIssued(deps.useCases, { applicationId: meta.a, actor: userId, pem });
  if (!recorded.ok) {
    const text = refusalText(t, recorded.refusal, deps.useCases.policy.timeZone, 'plain');
    return fieldErrors({ [pemBlockFor(recorded.refusal, fields)]: text });
  }
  const { application, certificate } = recorded.value;
  const outcome: ManualOutcome = {
    kind: 'issued',
    by: userId,
    at: deps.useCases.clock.now().getTime(),
    serial: certificate.serialNumber ?? '-',
    notAfter: certificate.notAfter,
  };
  const where = { channel: meta.c, ts: meta.ts };
  return { after: () => updateManual(client, deps, where, application, certificate, outcome) };
}

async function decideFailed(
  deps: SlackDeps,
  { userId, t, view, meta, client }: Submission<ModalMetadata>,
): Promise<SubmitOutcome> {
  const block = APPROVALS_IDS.failedReasonBlock;
  const { timeZone } = deps.useCases.policy;
  const reason = reasonIn(view, block);
  if (!reason) {
    const required = { code: 'decision.reason_required' };
    return fieldErrors({ [block]: refusalText(t, required, timeZone, 'plain') });
  }
  const recorded = await recordValidationFailed(deps.useCases, {
    applicationId: meta.a,
    actor: userId,
    reason,
  });
  if (!recorded.ok)
    return fieldErrors({ [block]: refusalText(t, recorded.refusal, timeZone, 'plain') });
  const { application, certificate } = recorded.value;
  const outcome: ManualOutcome = {
    kind: 'failed',
    by: userId,
    at: deps.useCases.clock.now().getTime(),
    reason,
  };
  const where = { channel: meta.c, ts: meta.ts };
  return { after: () => updateManual(client, deps, where, application, certificate, outcome) };
}

// --- the requester's direct messages ---

/**
 * Tells a person something in their language. Throws when Slack refuses the message: these run
 * as notification jobs, which are retried.
 */
async function dmInTheirLanguage(
  client: SlackClient,
  deps: SlackDeps,
  userId: string,
  text: (t: Translate) => string,
): Promise<void> {
  const t = await translatorFor(deps, userId);
  await postDirectMessage(client, userId, text(t));
}

function decider(app: Application): string {
  return app.decidedBy ? who(app.decidedBy) : '?';
}

/**
 * A request approved too late: why, and what is possible now, with Renew when there is
 * something left to ask for (inside the window: a renewal purchase).
 */
function lapsedMessage(t: Translate, deps: SlackDeps, app: Application, cert: Certificate) {
  const { timeZone } = deps.useCases.policy;
  const text = t('approvals.dm.lapsed', {
    kind: t(KIND[app.kind]),
    name: escapeMrkdwn(cert.name),
    id: cert.id,
    by: decider(app),
    reason: app.lapse ? refusalText(t, app.lapse, timeZone, 'mrkdwn') : '',
  });
  // Too late for hosting: the renewal purchase is what is left, and Renew offers it.
  const offered = app.lapse?.code === 'renew.window_began' || app.lapse?.code === 'renew.changed';
  return {
    text: fallbackText(text),
    blocks: [section(text), ...(offered ? [renewActions(t, cert.id)] : [])],
  };
}

/** Hosting enabled or a renewal purchased: the requester hears of the renewal instance. */
function renewalApproved(key: 'approvals.dm.hosting_enabled' | 'approvals.dm.renewal_purchased') {
  return (
    event: Extract<CertOpsEvent, { type: 'hosting_enabled' | 'renewal_purchased' }>,
    client: SlackClient,
    deps: SlackDeps,
  ) =>
    loggedNotification(deps, `approvals: telling the requester of ${event.type}`, () =>
      dmInTheirLanguage(client, deps, event.application.requesterId, (t) =>
        t(key, {
          name: escapeMrkdwn(event.certificate.name),
          id: event.certificate.id,
          by: decider(event.application),
          renewal: event.renewal.id,
        }),
      ),
    );
}

/** The approvals slice of the Slack side: requests, decisions and the manual CA outcome. */
export const approvalsFeature: SlackFeature = {
  name: 'approvals',
  subcommands: { withdraw: withdrawCommand },
  register(app: App, deps: SlackDeps) {
    app.action<BlockAction<ButtonAction>>(APPROVALS_IDS.approve, (args) => onApprove(deps, args));
    app.action<BlockAction<ButtonAction>>(APPROVALS_IDS.reject, (args) =>
      onRejectClick(deps, args),
    );
    app.view(
      APPROVALS_IDS.reject,
      onSubmission(deps, modalSubmission('reject', APPROVALS_IDS.rejectReasonBlock), (s) =>
        decideReject(deps, s),
      ),
    );
    app.action<BlockAction<ButtonAction>>(APPROVALS_IDS.issued, (args) =>
      onManualClick(deps, args, 'issued'),
    );
    app.view(
      APPROVALS_IDS.issued,
      onSubmission(deps, modalSubmission('issued', APPROVALS_IDS.pemBlocks[0]), (s) =>
        decideIssued(deps, s),
      ),
    );
    app.action<BlockAction<ButtonAction>>(APPROVALS_IDS.failed, (args) =>
      onManualClick(deps, args, 'failed'),
    );
    app.view(
      APPROVALS_IDS.failed,
      onSubmission(deps, modalSubmission('failed', APPROVALS_IDS.failedReasonBlock), (s) =>
        decideFailed(deps, s),
      ),
    );
  },
  notify: {
    approval_requested: (event, client, deps) =>
      loggedNotification(deps, 'approvals: posting an approval request', () =>
        postRequest(client, deps, event.application, event.certificate),
      ),
    submitted_to_ca: (event, client, deps) =>
      loggedNotification(deps, 'approvals: posting a manual CA submission', () =>
        postManual(client, deps, event.application, event.certificate),
      ),
    application_decided: (event, client, deps) =>
      loggedNotification(deps, 'approvals: telling the requester of a decision', async () => {
        const { application: app, certificate: cert } = event;
        const t = await translatorFor(deps, app.requesterId);
        const params = {
          kind: t(KIND[app.kind]),
          name: escapeMrkdwn(cert.name),
          id: cert.id,
          by: decider(app),
        };
        if (event.decision === 'lapsed') {
          await client.chat.postMessage({
            channel: app.requesterId,
            ...lapsedMessage(t, deps, event.application, cert),
          });
          return;
        }
        await postDirectMessage(
          client,
          app.requesterId,
          event.decision === 'approved'
            ? t('approvals.dm.approved', params)
            : t('approvals.dm.rejected', {
                ...params,
                reason: escapeMrkdwn(app.decisionReason ?? ''),
              }),
        );
      }),
    hosting_enabled: renewalApproved('approvals.dm.hosting_enabled'),
    renewal_purchased: renewalApproved('approvals.dm.renewal_purchased'),
    instances_combined: (event, client, deps) =>
      loggedNotification(deps, 'approvals: telling the requester of the combination', () =>
        dmInTheirLanguage(client, deps, event.application.requesterId, (t) =>
          t('approvals.dm.instances_combined', {
            name: escapeMrkdwn(event.combined.name),
            id: event.combined.id,
            by: decider(event.application),
            count: event.sources.length,
            quota: event.combined.domainQuota,
          }),
        ),
      ),
    certificate_issued: (event, client, deps) =>
      loggedNotification(deps, 'approvals: telling the requester the certificate is issued', () =>
        dmInTheirLanguage(client, deps, event.application.requesterId, (t) =>
          t('approvals.dm.issued', {
            name: escapeMrkdwn(event.certificate.name),
            id: event.certificate.id,
            domains: domainsText(t, event.certificate.domains, 10),
            notAfter:
              event.certificate.notAfter !== undefined
                ? formatDate(event.certificate.notAfter, deps.useCases.policy.timeZone)
                : t('approvals.unknown_date'),
          }),
        ),
      ),
  },
};
