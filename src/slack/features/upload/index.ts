import type { App } from '@slack/bolt';
import { expiryView } from '../../../domain/renewal.js';
import type { Refusal } from '../../../domain/result.js';
import { type UploadOutcome, uploadCertificate } from '../../../usecases/upload-certificate.js';
import { escapeMrkdwn } from '../../blocks.js';
import type { SlackDeps, SlackFeature, SubcommandArgs } from '../../deps.js';
import type { Translate } from '../../i18n/index.js';
import {
  closeAndTell,
  fieldErrors,
  onSubmission,
  type Submission,
  type SubmitOutcome,
} from '../../submission.js';
import { domainsText, formatDate, refusalText } from '../../views/format.js';
import {
  GRADE_MAX,
  NAME_MAX,
  readUploadForm,
  UPLOAD,
  type UploadForm,
  type UploadMetadata,
  uploadMetadataSchema,
  uploadModal,
} from './views.js';

/**
 * `/cert upload` (上传证书): track an existing certificate from its PEM. Only the certificate's
 * public facts are stored; a pasted private key is refused and nothing is kept.
 */
async function uploadCommand({ client, t, channelId, triggerId }: SubcommandArgs): Promise<void> {
  await client.views.open({ trigger_id: triggerId, view: uploadModal(t, channelId) });
}

const [PEM_BLOCK] = UPLOAD.pem;

/** Refusals that concern an input: the text shown under it. */
function inputError(
  t: Translate,
  refusal: Refusal,
  timeZone: string,
): Record<string, string> | undefined {
  if (refusal.code === 'pem.private_key') return { [PEM_BLOCK]: t('upload.error.private_key') };
  if (refusal.code.startsWith('pem.')) {
    const reason = refusalText(t, refusal, { timeZone, escape: false });
    return { [PEM_BLOCK]: t('upload.error.pem', { reason }) };
  }
  if (refusal.code === 'upload.validation_type_unknown')
    return { [UPLOAD.validationType]: t('upload.error.validation_type') };
  if (refusal.code === 'certificate.already_tracked') {
    const id = refusal.params?.id;
    return {
      [PEM_BLOCK]:
        typeof id === 'string'
          ? t('upload.error.already_tracked', { id })
          : t('upload.error.already_tracked_unknown'),
    };
  }
  return undefined;
}

/** What can be told before asking the use case. */
function formErrors(t: Translate, form: UploadForm): Record<string, string> {
  const errors: Record<string, string> = {};
  if (form.pem.trim() === '') errors[PEM_BLOCK] = t('upload.error.empty');
  if (form.validationType === 'invalid')
    errors[UPLOAD.validationType] = t('upload.error.validation_type');
  if (form.grade.length > GRADE_MAX) errors[UPLOAD.grade] = t('upload.error.grade');
  if (form.name.length > NAME_MAX) errors[UPLOAD.name] = t('upload.error.name');
  return errors;
}

async function decideSubmission(
  deps: SlackDeps,
  submitted: Submission<UploadMetadata>,
): Promise<SubmitOutcome> {
  const { userId, t, view } = submitted;
  const channel = submitted.meta.ch;
  const timeZone = deps.useCases.policy.timeZone;
  const form = readUploadForm(view);
  const errors = formErrors(t, form);
  if (Object.keys(errors).length > 0) return fieldErrors(errors);
  const result = await uploadCertificate(deps.useCases, {
    pem: form.pem,
    uploaderId: userId,
    ...(form.validationType && form.validationType !== 'invalid'
      ? { validationType: form.validationType }
      : {}),
    ...(form.grade ? { grade: form.grade } : {}),
    ...(form.name ? { name: form.name } : {}),
  });
  if (!result.ok) {
    const inline = inputError(t, result.refusal, timeZone);
    if (inline) return fieldErrors(inline);
    const reason = refusalText(t, result.refusal, { timeZone });
    return closeAndTell(submitted, channel, t('upload.refused', { reason }));
  }
  return closeAndTell(submitted, channel, async () => uploadedText(deps, t, result.value));
}

/** What the person is told of the certificate now tracked: its facts, and what to mind. */
function uploadedText(deps: SlackDeps, t: Translate, uploaded: UploadOutcome): string {
  const timeZone = deps.useCases.policy.timeZone;
  const { certificate: cert, warnings } = uploaded;
  const expiry =
    cert.notAfter === undefined
      ? undefined
      : expiryView(cert.notAfter, deps.useCases.clock.now(), timeZone);
  const lines = [
    t('upload.done', {
      name: escapeMrkdwn(cert.name),
      id: cert.id,
      type: cert.spec.validationType,
      domains: domainsText(t, cert.domains, 10),
      date: cert.notAfter === undefined ? '?' : formatDate(cert.notAfter, timeZone),
      daysLeft: expiry?.daysLeft ?? '?',
    }),
  ];
  if (expiry?.status === 'expiring') lines.push(t('upload.done_expiring', { id: cert.id }));
  if (warnings.length > 0) {
    lines.push(
      t('upload.warnings'),
      ...warnings.map((w) => `• ${refusalText(t, w, { timeZone })}`),
    );
  }
  return lines.join('\n');
}

/** The upload slice of the Slack side. */
export const uploadFeature: SlackFeature = {
  name: 'upload',
  subcommands: { upload: uploadCommand },
  register(app: App, deps: SlackDeps) {
    app.view(
      UPLOAD.callback,
      onSubmission(
        deps,
        {
          feature: 'upload',
          metadata: uploadMetadataSchema,
          unreadable: 'upload.error.form',
          // The submission may hold a PEM (or a key), which is never logged.
          sensitive: true,
        },
        (submitted) => decideSubmission(deps, submitted),
      ),
    );
  },
};
