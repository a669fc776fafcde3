import type { App } from '@slack/bolt';
import type { Application } from '../../../domain/application.js';
import { type ContactFields, contactFieldsSchema } from '../../../domain/contact.js';
import type { Refusal } from '../../../domain/result.js';
import type { ContactChoice } from '../../../usecases/apply-for-certificate.js';
import { teamContacts } from '../../../usecases/queries.js';
import { renewalOptions, requestRenewal } from '../../../usecases/request-renewal.js';
import { escapeMrkdwn } from '../../blocks.js';
import type { SlackDeps, SlackFeature, SubcommandArgs } from '../../deps.js';
import type { Translate } from '../../i18n/index.js';
import { type ModalOutcome, openModalWhenReady } from '../../replies.js';
import {
  closeAndTell,
  fieldErrors,
  onSubmission,
  type Submission,
  type SubmitOutcome,
} from '../../submission.js';
import { refusalText } from '../../views/format.js';
import { placeholderModals } from '../../views/modal-parts.js';
import {
  RENEW,
  type RenewForm,
  type RenewMetadata,
  readRenewForm,
  renewMetadataSchema,
  renewModal,
} from './views.js';

/**
 * `/cert renew <certificate>` (续费). More than 30 natural days before expiry, renewing enables
 * managed renewal; within the window an unhosted certificate gets the manual renewal purchase;
 * a hosted one renews itself. Both requests go to approvers.
 */
async function renewCommand({
  deps,
  client,
  respond,
  t,
  userId,
  channelId,
  triggerId,
  args,
}: SubcommandArgs): Promise<void> {
  const id = args[0]?.slice(0, 64);
  if (!id) {
    await respond({ response_type: 'ephemeral', text: t('renew.usage') });
    return;
  }
  const refused = (refusal: Refusal) => ({
    text: t('renew.refused', {
      id: escapeMrkdwn(id),
      reason: refusalText(t, refusal, { timeZone: deps.useCases.policy.timeZone }),
    }),
  });
  const build = async (): Promise<ModalOutcome> => {
    const options = await renewalOptions(deps.useCases, id, userId);
    if (!options.ok) return refused(options.refusal);
    const { certificate: cert, option } = options.value;
    const about = {
      name: escapeMrkdwn(cert.name),
      id: cert.id,
      daysLeft: option.daysLeft,
      support: deps.settings.supportChannel,
    };
    if (option.kind === 'already_hosted' || option.kind === 'renews_automatically') {
      const key =
        option.kind === 'already_hosted' ? 'renew.already_hosted' : 'renew.renews_automatically';
      return { text: t(key, about) };
    }
    if (cert.openApplicationId) {
      return refused({
        code: 'request.open',
        params: { id: cert.id, applicationId: cert.openApplicationId },
      });
    }
    const contacts = await teamContacts(deps.useCases, userId);
    const view = renewModal(t, {
      certificate: cert,
      option,
      contacts,
      channelId,
      timeZone: deps.useCases.policy.timeZone,
    });
    return { view };
  };
  await openModalWhenReady({
    client,
    deps,
    feature: 'renew',
    triggerId,
    placeholder: placeholderModals(t, t('renew.modal.title')),
    build,
    tell: (text) => respond({ response_type: 'ephemeral', text }),
  });
}

type Errors = Record<string, string>;

/** The contact the person chose or typed, or the inline errors that stop the submission. */
function contactChoice(
  t: Translate,
  form: RenewForm,
): { ok: true; choice: ContactChoice } | { ok: false; errors: Errors } {
  const typed = [form.name, form.email, form.phone].some((v) => v.trim() !== '');
  if (!typed && form.contactId) {
    return { ok: true, choice: { kind: 'existing', contactId: form.contactId } };
  }
  if (!typed && form.offeredContacts) {
    return { ok: false, errors: { [RENEW.contact]: t('renew.error.choose_contact') } };
  }
  const parsed = contactFieldsSchema.safeParse({
    name: form.name,
    email: form.email,
    phone: form.phone,
  });
  if (parsed.success) return { ok: true, choice: { kind: 'new', fields: parsed.data } };
  const errors: Errors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0]);
    if (field === 'name' || field === 'email' || field === 'phone')
      errors[fieldBlock(field)] = t(`renew.error.contact_${field}`);
  }
  return { ok: false, errors };
}

function fieldBlock(field: keyof ContactFields): string {
  return field === 'name' ? RENEW.name : field === 'email' ? RENEW.email : RENEW.phone;
}

/** Refusals about the contact, shown on its input; the others are told after closing. */
function refusalErrors(t: Translate, refusal: Refusal, form: RenewForm): Errors | undefined {
  const field = refusal.params?.field;
  switch (refusal.code) {
    case 'contact.invalid':
      return field === 'name' || field === 'email' || field === 'phone'
        ? { [fieldBlock(field)]: t(`renew.error.contact_${field}`) }
        : undefined;
    case 'contact.taken':
      return field === 'email' || field === 'phone'
        ? { [fieldBlock(field)]: t(`renew.error.${field}_taken`) }
        : undefined;
    case 'contact.not_found':
      return form.offeredContacts ? { [RENEW.contact]: t('renew.error.contact_gone') } : undefined;
    default:
      return undefined;
  }
}

async function decideSubmission(
  deps: SlackDeps,
  submitted: Submission<RenewMetadata>,
): Promise<SubmitOutcome> {
  const { userId, t, view, meta } = submitted;
  const form = readRenewForm(view);
  const choice = contactChoice(t, form);
  if (!choice.ok) return fieldErrors(choice.errors);
  const result = await requestRenewal(deps.useCases, {
    certificateId: meta.c,
    requesterId: userId,
    contact: choice.choice,
  });
  if (!result.ok) {
    const errors = refusalErrors(t, result.refusal, form);
    if (errors) return fieldErrors(errors);
    const reason = refusalText(t, result.refusal, { timeZone: deps.useCases.policy.timeZone });
    return closeAndTell(
      submitted,
      meta.ch,
      t('renew.refused', { id: escapeMrkdwn(meta.c), reason }),
    );
  }
  const { application } = result.value;
  return closeAndTell(submitted, meta.ch, () => requestedText(deps, t, userId, application));
}

/** What the person is told once the renewal is requested: what happens next, and who is asked. */
async function requestedText(
  deps: SlackDeps,
  t: Translate,
  userId: string,
  application: Application,
): Promise<string> {
  const cert = await deps.useCases.store.certificates.get(application.certificateId);
  const contact = (await teamContacts(deps.useCases, userId)).find(
    (c) => c.id === application.contactId,
  );
  return t(
    application.kind === 'enable_hosting' ? 'renew.requested_hosting' : 'renew.requested_manual',
    {
      name: escapeMrkdwn(cert?.name ?? application.certificateId),
      id: application.certificateId,
      app: application.id,
      contact: contact ? escapeMrkdwn(`${contact.name} <${contact.email}>`) : t('common.none'),
    },
  );
}

/** The renew slice of the Slack side. */
export const renewFeature: SlackFeature = {
  name: 'renew',
  subcommands: { renew: renewCommand },
  register(app: App, deps: SlackDeps) {
    app.view(
      RENEW.callback,
      onSubmission(
        deps,
        { feature: 'renew', metadata: renewMetadataSchema, unreadable: 'renew.error.form' },
        (submitted) => decideSubmission(deps, submitted),
      ),
    );
  },
};
