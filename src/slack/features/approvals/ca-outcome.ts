/** A manual CA's outcome, recorded from the support channel: issued (the PEM) or failed (why). */
import type { Application } from '../../../domain/application.js';
import type { Certificate } from '../../../domain/certificate.js';
import { canRecordCaOutcomes } from '../../../domain/permissions.js';
import type { Refusal } from '../../../domain/result.js';
import { recordIssued, recordValidationFailed } from '../../../usecases/record-ca-outcome.js';
import { containsPrivateKey } from '../../../x509/parse-certificate-pem.js';
import type { SlackClient, SlackDeps } from '../../deps.js';
import type { MessageRef } from '../../message-ref.js';
import { fieldErrors, type Submission, type SubmitOutcome } from '../../submission.js';
import { readViewState, type SubmittedView } from '../../view-state.js';
import { statusLabel } from '../../views/format.js';
import { notFound, openModal, readModalClick, reasonIn } from './modal-click.js';
import { type ButtonArgs, channelT, loadDetails, refusalText } from './reading.js';
import {
  APPROVALS_IDS,
  failedModal,
  issuedModal,
  type ManualOutcome,
  type ModalMetadata,
  manualMessage,
} from './views.js';

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

export async function onManualClick(
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

export async function decideIssued(
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

export async function decideFailed(
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
