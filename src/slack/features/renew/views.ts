import { z } from 'zod';
import type { Certificate } from '../../../domain/certificate.js';
import type { Contact } from '../../../domain/contact.js';
import type { Spec } from '../../../domain/spec.js';
import {
  context,
  divider,
  escapeMrkdwn,
  input,
  type KnownBlock,
  type ModalView,
  modal,
  option,
  section,
  staticSelect,
} from '../../blocks.js';
import type { Translate } from '../../i18n/index.js';
import { LIMITS } from '../../limits.js';
import { encodeMetadata } from '../../metadata.js';
import { readViewState, type SubmittedView } from '../../view-state.js';
import { domainTypeLabel, formatDate } from '../../views/format.js';
import { newContactInputs } from '../../views/modal-parts.js';

/** Ids of the renew modal; each input's action_id is its block_id. */
export const RENEW = {
  callback: 'renew.submit',
  contact: 'renew.contact',
  name: 'renew.contact_name',
  email: 'renew.contact_email',
  phone: 'renew.contact_phone',
} as const;

/** What the modal carries: the certificate and the channel to answer in. Untrusted on return. */
export const renewMetadataSchema = z.object({
  c: z.string().min(1).max(64),
  ch: z.string().max(64),
});
export type RenewMetadata = z.infer<typeof renewMetadataSchema>;

/** The renewals the modal offers; the other options are answered without a modal. */
export type ModalRenewOption =
  | { readonly kind: 'enable_hosting'; readonly spec: Spec; readonly daysLeft: number }
  | { readonly kind: 'manual_renewal_purchase'; readonly spec: Spec; readonly daysLeft: number };

export interface RenewModalInput {
  readonly certificate: Certificate;
  readonly option: ModalRenewOption;
  readonly contacts: readonly Contact[];
  readonly channelId: string;
  readonly timeZone: string;
}

/** Brand, type, domain type and grade as section fields: stored text, so escaped. */
export function specFields(t: Translate, spec: Spec): string[] {
  return [
    t('renew.field.brand', { value: escapeMrkdwn(spec.brand) }),
    t('renew.field.type', { value: spec.validationType }),
    t('renew.field.domain_type', { value: domainTypeLabel(t, spec.domainType) }),
    t('renew.field.grade', { value: escapeMrkdwn(spec.grade) }),
  ];
}

/** `a, b, c` escaped, or "none". */
export function domainList(t: Translate, domains: readonly string[]): string {
  return domains.length === 0 ? t('common.none') : escapeMrkdwn(domains.join(', '));
}

/** The team's contacts for the select: the certificate's own first, at most 100. */
function contactOptions(contacts: readonly Contact[], preferred: string | undefined): Contact[] {
  const sorted = [...contacts].sort(
    (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
  const first = sorted.filter((c) => c.id === preferred);
  const rest = sorted.filter((c) => c.id !== preferred);
  return [...first, ...rest].slice(0, LIMITS.selectOptions);
}

/**
 * The renew modal: the certificate, the spec it will be renewed with (read-only: a renewal of
 * exactly this spec), the days left, and the contact to confirm or create.
 */
export function renewModal(t: Translate, model: RenewModalInput): ModalView {
  const { certificate: cert, option: renewal, contacts } = model;
  const blocks: KnownBlock[] = [
    section(
      t('renew.modal.certificate', {
        name: escapeMrkdwn(cert.name),
        id: cert.id,
        domains: domainList(t, cert.domains),
      }),
    ),
    section(t('renew.modal.spec_heading'), { fields: specFields(t, renewal.spec) }),
    context([
      t('renew.modal.days_left', {
        daysLeft: renewal.daysLeft,
        date: cert.notAfter === undefined ? '?' : formatDate(cert.notAfter, model.timeZone),
      }),
    ]),
    section(
      t(renewal.kind === 'enable_hosting' ? 'renew.modal.enable_hosting' : 'renew.modal.manual'),
    ),
    divider(),
  ];
  const shown = contactOptions(contacts, cert.contactId);
  const hasContacts = shown.length > 0;
  blocks.push(
    section(t(hasContacts ? 'renew.modal.contact_heading' : 'renew.modal.contact_new_heading')),
  );
  if (hasContacts) {
    blocks.push(
      input({
        blockId: RENEW.contact,
        label: t('renew.contact.label'),
        optional: true,
        element: staticSelect({
          actionId: RENEW.contact,
          placeholder: t('renew.contact.placeholder'),
          options: shown.map((c) =>
            option(t('renew.contact.option', { name: c.name, email: c.email }), c.id),
          ),
          ...(cert.contactId ? { initialValue: cert.contactId } : {}),
        }),
      }),
    );
    if (contacts.length > shown.length) {
      blocks.push(
        context([t('renew.modal.contacts_more', { shown: shown.length, total: contacts.length })]),
      );
    }
  }
  blocks.push(
    ...newContactInputs({
      blockIds: { name: RENEW.name, email: RENEW.email, phone: RENEW.phone },
      labels: {
        name: t('renew.contact_name.label'),
        email: t('renew.contact_email.label'),
        phone: t('renew.contact_phone.label'),
      },
      nameHint: hasContacts ? t('renew.contact_new.hint') : undefined,
      // Without contacts to choose from, a new one is the only way: Slack asks for all three.
      optional: hasContacts,
    }),
  );
  return modal({
    callbackId: RENEW.callback,
    title: t('renew.modal.title'),
    submit: t(
      renewal.kind === 'enable_hosting'
        ? 'renew.modal.submit_hosting'
        : 'renew.modal.submit_manual',
    ),
    close: t('common.cancel'),
    blocks,
    privateMetadata: encodeMetadata(renewMetadataSchema, {
      c: cert.id,
      ch: model.channelId,
    }),
  });
}

export interface RenewForm {
  /** Whether the modal offered a contact to choose (the team had contacts). */
  readonly offeredContacts: boolean;
  readonly contactId: string | undefined;
  readonly name: string;
  readonly email: string;
  readonly phone: string;
}

export function readRenewForm(view: SubmittedView): RenewForm {
  const state = readViewState(view);
  const text = (id: string) => state.text(id) ?? '';
  return {
    offeredContacts: state.has(RENEW.contact),
    contactId: state.selected(RENEW.contact),
    name: text(RENEW.name),
    email: text(RENEW.email),
    phone: text(RENEW.phone),
  };
}
