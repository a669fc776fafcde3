import { z } from 'zod';
import type { Application, ApplicationKind } from '../../../domain/application.js';
import type { Certificate } from '../../../domain/certificate.js';
import type { Contact } from '../../../domain/contact.js';
import { MAX_REASON_LENGTH } from '../../../usecases/decide-application.js';
import { MAX_CA_REASON_LENGTH } from '../../../usecases/record-ca-outcome.js';
import {
  actions,
  button,
  context,
  escapeMrkdwn,
  fallbackText,
  fieldsSection,
  header,
  input,
  type KnownBlock,
  type ModalView,
  modal,
  plainTextInput,
  section,
} from '../../blocks.js';
import type { MessageKey, Translate } from '../../i18n/index.js';
import { LIMITS } from '../../limits.js';
import { encodeMetadata } from '../../metadata.js';
import {
  domainsText,
  domainTypeLabel,
  formatDate,
  formatDateTime,
  refusalText,
  who,
} from '../../views/format.js';
import { pemInputs } from '../../views/modal-parts.js';

/** Ids of the approvals feature. A button that opens a modal shares the modal's callback id. */
export const APPROVALS_IDS = {
  approve: 'approvals.approve',
  reject: 'approvals.reject',
  requestActions: 'approvals.request.actions',
  rejectReasonBlock: 'approvals.reject.reason',
  reasonInput: 'approvals.reason',
  issued: 'approvals.issued',
  failed: 'approvals.failed',
  manualActions: 'approvals.manual.actions',
  /** The issued modal's PEM fields in the order they are joined: leaf, intermediate, more. */
  pemBlocks: ['approvals.issued.leaf', 'approvals.issued.intermediate', 'approvals.issued.more'],
  pemInput: 'approvals.pem',
  failedReasonBlock: 'approvals.failed.reason',
} as const;

const entityId = z.string().min(1).max(64);

/** A request button's value: the application it decides or records. */
export const requestButtonSchema = z.object({ a: entityId });
export type RequestButton = z.infer<typeof requestButtonSchema>;

/** A modal's private_metadata: the application and the message to update afterwards. */
export const modalMetadataSchema = z.object({
  a: entityId,
  c: z.string().regex(/^[A-Z0-9]{2,32}$/),
  ts: z.string().regex(/^\d{1,12}\.\d{1,9}$/),
});
export type ModalMetadata = z.infer<typeof modalMetadataSchema>;

/** Everything a request message shows, read from the store. */
export interface RequestDetails {
  readonly application: Application;
  readonly certificate: Certificate | undefined;
  readonly contact: Contact | undefined;
  /** For a combination: the instances combined into `certificate`. */
  readonly sources: readonly Certificate[];
}

/** How many domains or instances a message lists before "…and N more". */
const MAX_LISTED = 20;

const TITLE: Readonly<Record<ApplicationKind, MessageKey>> = {
  apply: 'approvals.request.title.apply',
  enable_hosting: 'approvals.request.title.enable_hosting',
  renewal_purchase: 'approvals.request.title.renewal_purchase',
  combine: 'approvals.request.title.combine',
};
const INTRO: Readonly<Record<ApplicationKind, MessageKey>> = {
  apply: 'approvals.request.intro.apply',
  enable_hosting: 'approvals.request.intro.enable_hosting',
  renewal_purchase: 'approvals.request.intro.renewal_purchase',
  combine: 'approvals.request.intro.combine',
};
export const KIND: Readonly<Record<ApplicationKind, MessageKey>> = {
  apply: 'approvals.kind.apply',
  enable_hosting: 'approvals.kind.enable_hosting',
  renewal_purchase: 'approvals.kind.renewal_purchase',
  combine: 'approvals.kind.combine',
};
const DONE: Readonly<Record<ApplicationKind, MessageKey | undefined>> = {
  apply: undefined,
  enable_hosting: 'approvals.decided.done.enable_hosting',
  renewal_purchase: 'approvals.decided.done.renewal_purchase',
  combine: 'approvals.decided.done.combine',
};
const METHOD = {
  dns: 'approvals.method.dns',
  file: 'approvals.method.file',
  email: 'approvals.method.email',
} as const satisfies Record<string, MessageKey>;

/** A time people read: local to the configured zone, the zone named. */
export function when(t: Translate, at: number, timeZone: string): string {
  return t('approvals.when', { time: formatDateTime(at, timeZone), zone: timeZone });
}

function certName(d: Pick<RequestDetails, 'application' | 'certificate'>): string {
  return escapeMrkdwn(d.certificate?.name ?? d.application.certificateId);
}

function listed(t: Translate, items: readonly string[], separator: string): string {
  if (items.length === 0) return t('common.none');
  const shown = items.slice(0, MAX_LISTED).join(separator);
  return items.length > MAX_LISTED
    ? `${shown}${separator}${t('common.more', { count: items.length - MAX_LISTED })}`
    : shown;
}

function domainsField(t: Translate, domains: readonly string[]): string {
  return t('approvals.field.domains', {
    count: domains.length,
    domains: domainsText(t, domains, MAX_LISTED),
  });
}

function specField(t: Translate, cert: Certificate): string {
  return t('approvals.field.spec', {
    brand: escapeMrkdwn(cert.spec.brand),
    validationType: cert.spec.validationType,
    domainType: domainTypeLabel(t, cert.spec.domainType),
    grade: escapeMrkdwn(cert.spec.grade),
  });
}

function contactField(t: Translate, app: Application, contact: Contact | undefined): string[] {
  if (contact) {
    return [
      t('approvals.field.contact', {
        name: escapeMrkdwn(contact.name),
        email: escapeMrkdwn(contact.email),
        phone: escapeMrkdwn(contact.phone),
      }),
    ];
  }
  return app.contactId ? [t('approvals.field.contact_missing', { id: app.contactId })] : [];
}

/** What is asked, as section fields: instance spec, domains, hosting, contact, combination. */
function requestFields(t: Translate, d: RequestDetails, timeZone: string): string[] {
  const { application: app, certificate: cert } = d;
  const fields: string[] = [];
  if (cert) fields.push(specField(t, cert));
  switch (app.kind) {
    case 'apply':
      fields.push(domainsField(t, app.domains));
      if (app.validationMethod)
        fields.push(t('approvals.field.validation', { method: t(METHOD[app.validationMethod]) }));
      fields.push(
        t('approvals.field.hosting', {
          hosting: t(app.hosting ? 'approvals.hosting.on' : 'approvals.hosting.off'),
        }),
      );
      fields.push(...contactField(t, app, d.contact));
      break;
    case 'enable_hosting':
    case 'renewal_purchase':
      fields.push(domainsField(t, cert?.domains ?? app.domains));
      fields.push(
        t('approvals.field.expires', {
          date:
            cert?.notAfter !== undefined
              ? formatDate(cert.notAfter, timeZone)
              : t('approvals.unknown_date'),
        }),
      );
      fields.push(...contactField(t, app, d.contact));
      break;
    case 'combine': {
      const all = [...(cert ? [cert] : []), ...d.sources];
      fields.push(
        t('approvals.field.combined', {
          instances: listed(
            t,
            all.map((c) =>
              t('approvals.field.combined_item', {
                id: c.id,
                name: escapeMrkdwn(c.name),
                quota: c.domainQuota,
              }),
            ),
            '\n',
          ),
        }),
      );
      const quotas = all.map((c) => c.domainQuota);
      fields.push(
        t('approvals.field.quota', {
          quota: quotas.reduce((sum, q) => sum + q, 0),
          parts: quotas.join(' + '),
        }),
      );
      fields.push(t('approvals.field.no_refund'));
      break;
    }
  }
  fields.push(t('approvals.field.team', { team: escapeMrkdwn(app.team) }));
  return fields;
}

/** The lines that replace the buttons once a request is decided. */
function decisionLines(
  t: Translate,
  d: RequestDetails,
  timeZone: string,
  caError: string | undefined,
): string[] {
  const app = d.application;
  if (app.status === 'awaiting_approval') return [];
  if (app.status === 'withdrawn' && !app.decidedBy) return [t('approvals.decided.withdrawn')];
  const by = app.decidedBy ? who(app.decidedBy) : '?';
  const at =
    app.decidedAt !== undefined ? when(t, app.decidedAt, timeZone) : t('approvals.unknown_date');
  if (app.status === 'lapsed') {
    const reason = app.lapse ? refusalText(t, app.lapse, { timeZone }) : '';
    return [t('approvals.decided.lapsed', { by, at, reason })];
  }
  if (app.status === 'rejected') {
    return [
      t('approvals.decided.rejected', {
        by,
        at,
        reason: escapeMrkdwn(app.decisionReason ?? ''),
      }),
    ];
  }
  const lines = [t('approvals.decided.approved', { by, at })];
  const done = DONE[app.kind];
  if (caError !== undefined) {
    lines.push(t('approvals.decided.ca_error', { error: escapeMrkdwn(caError) }));
  } else if (
    app.status === 'submitted' ||
    app.status === 'issued' ||
    app.status === 'validation_failed'
  ) {
    lines.push(
      t('approvals.decided.submitted', { order: escapeMrkdwn(d.certificate?.caOrderId ?? '-') }),
    );
  } else if (app.status === 'completed' && done) {
    lines.push(t(done));
  } else if (app.status === 'withdrawn') {
    lines.push(t('approvals.decided.withdrawn'));
  }
  return lines;
}

/**
 * The request in the approvals channel: what is asked and by whom, then Approve and Reject while
 * it waits, or the decision (who, when, what followed) without buttons once it is decided.
 */
export function requestMessage(
  t: Translate,
  d: RequestDetails,
  options: { readonly timeZone: string; readonly caError?: string | undefined },
): { text: string; blocks: KnownBlock[] } {
  const { application: app } = d;
  const name = certName(d);
  const id = d.certificate?.id ?? app.certificateId;
  const requester = who(app.requesterId);
  const title = t(TITLE[app.kind]);
  const blocks: KnownBlock[] = [
    header(title),
    section(
      t(INTRO[app.kind], {
        requester,
        name,
        id,
        count: (app.combineWith?.length ?? 0) + 1,
      }),
    ),
    ...fieldsSection(requestFields(t, d, options.timeZone)),
    context([
      t('approvals.request.context', { id: app.id, at: when(t, app.createdAt, options.timeZone) }),
    ]),
  ];
  if (app.status === 'awaiting_approval') {
    const value = encodeMetadata(requestButtonSchema, { a: app.id }, LIMITS.buttonValue);
    blocks.push(
      actions(APPROVALS_IDS.requestActions, [
        button({
          actionId: APPROVALS_IDS.approve,
          text: t('approvals.button.approve'),
          value,
          style: 'primary',
        }),
        button({
          actionId: APPROVALS_IDS.reject,
          text: t('approvals.button.reject'),
          value,
          style: 'danger',
        }),
      ]),
    );
  } else {
    blocks.push(section(decisionLines(t, d, options.timeZone, options.caError).join('\n')));
  }
  return {
    text: fallbackText(t('approvals.request.fallback', { title, name, id, requester })),
    blocks,
  };
}

/** A modal asking for one required reason, typed in `APPROVALS_IDS.reasonInput`. */
function reasonModal(
  t: Translate,
  model: {
    readonly callbackId: string;
    readonly title: string;
    readonly submit: string;
    readonly intro: string;
    readonly blockId: string;
    readonly label: string;
    readonly hint: string;
    readonly maxLength: number;
  },
  metadata: ModalMetadata,
): ModalView {
  return modal({
    callbackId: model.callbackId,
    title: model.title,
    submit: model.submit,
    close: t('common.cancel'),
    privateMetadata: encodeMetadata(modalMetadataSchema, metadata),
    blocks: [
      section(model.intro),
      input({
        blockId: model.blockId,
        label: model.label,
        hint: model.hint,
        element: plainTextInput({
          actionId: APPROVALS_IDS.reasonInput,
          multiline: true,
          maxLength: model.maxLength,
          focusOnLoad: true,
        }),
      }),
    ],
  });
}

/** The reject modal: the reason is required (the requester reads it). */
export function rejectModal(
  t: Translate,
  d: Pick<RequestDetails, 'application' | 'certificate'>,
  metadata: ModalMetadata,
): ModalView {
  const app = d.application;
  return reasonModal(
    t,
    {
      callbackId: APPROVALS_IDS.reject,
      title: t('approvals.reject.title'),
      submit: t('approvals.reject.submit'),
      intro: t('approvals.reject.intro', {
        kind: t(KIND[app.kind]),
        id: app.id,
        name: certName(d),
        requester: who(app.requesterId),
      }),
      blockId: APPROVALS_IDS.rejectReasonBlock,
      label: t('approvals.reject.reason.label'),
      hint: t('approvals.reject.reason.hint', { max: MAX_REASON_LENGTH }),
      maxLength: MAX_REASON_LENGTH,
    },
    metadata,
  );
}

export type ManualOutcome =
  | {
      readonly kind: 'issued';
      readonly by: string;
      readonly at: number;
      readonly serial: string;
      readonly notAfter: number | undefined;
    }
  | { readonly kind: 'failed'; readonly by: string; readonly at: number; readonly reason: string };

/**
 * The support channel's "submitted to the CA (manual)" message: what was ordered, then Issued and
 * Validation failed buttons, or the recorded outcome once someone has recorded it.
 */
export function manualMessage(
  t: Translate,
  d: RequestDetails,
  options: { readonly timeZone: string; readonly outcome?: ManualOutcome },
): { text: string; blocks: KnownBlock[] } {
  const { application: app, certificate: cert } = d;
  const { timeZone, outcome } = options;
  const name = certName(d);
  const fields: string[] = [];
  if (cert) fields.push(specField(t, cert));
  fields.push(domainsField(t, app.domains));
  if (app.validationMethod)
    fields.push(t('approvals.field.validation', { method: t(METHOD[app.validationMethod]) }));
  fields.push(...contactField(t, app, d.contact));
  const blocks: KnownBlock[] = [
    header(t('approvals.manual.title')),
    section(
      t('approvals.manual.text', {
        app: app.id,
        name,
        id: cert?.id ?? app.certificateId,
        requester: who(app.requesterId),
        order: escapeMrkdwn(cert?.caOrderId ?? '-'),
      }),
    ),
    ...fieldsSection(fields),
  ];
  if (outcome?.kind === 'issued') {
    blocks.push(
      section(
        t('approvals.manual.issued', {
          by: who(outcome.by),
          at: when(t, outcome.at, timeZone),
          serial: escapeMrkdwn(outcome.serial),
          notAfter:
            outcome.notAfter !== undefined
              ? formatDate(outcome.notAfter, timeZone)
              : t('approvals.unknown_date'),
        }),
      ),
    );
  } else if (outcome?.kind === 'failed') {
    blocks.push(
      section(
        t('approvals.manual.failed', {
          by: who(outcome.by),
          at: when(t, outcome.at, timeZone),
          reason: escapeMrkdwn(outcome.reason),
        }),
      ),
    );
  } else {
    const value = encodeMetadata(requestButtonSchema, { a: app.id }, LIMITS.buttonValue);
    blocks.push(
      actions(APPROVALS_IDS.manualActions, [
        button({
          actionId: APPROVALS_IDS.issued,
          text: t('approvals.manual.button.issued'),
          value,
          style: 'primary',
        }),
        button({
          actionId: APPROVALS_IDS.failed,
          text: t('approvals.manual.button.failed'),
          value,
          style: 'danger',
        }),
      ]),
    );
  }
  return { text: fallbackText(t('approvals.manual.fallback', { name })), blocks };
}

/** Paste the issued certificate: up to three fields (Slack's 3000-character cap per field). */
export function issuedModal(
  t: Translate,
  d: Pick<RequestDetails, 'application' | 'certificate'>,
  metadata: ModalMetadata,
): ModalView {
  const app = d.application;
  const labels: readonly MessageKey[] = [
    'approvals.issued.leaf.label',
    'approvals.issued.intermediate.label',
    'approvals.issued.more.label',
  ];
  return modal({
    callbackId: APPROVALS_IDS.issued,
    title: t('approvals.issued.title'),
    submit: t('approvals.issued.submit'),
    close: t('common.cancel'),
    privateMetadata: encodeMetadata(modalMetadataSchema, metadata),
    blocks: [
      section(
        t('approvals.issued.intro', {
          name: certName(d),
          id: d.certificate?.id ?? app.certificateId,
          domains: domainsText(t, app.domains, MAX_LISTED),
        }),
      ),
      context([t('approvals.issued.chain'), t('approvals.issued.never_key')]),
      ...pemInputs(
        APPROVALS_IDS.pemBlocks.map((blockId, i) => ({
          blockId,
          actionId: APPROVALS_IDS.pemInput,
          label: t(labels[i] ?? 'approvals.issued.more.label'),
          hint: t('approvals.issued.hint'),
        })),
      ),
    ],
  });
}

/** Record the CA's refusal: its reason is kept, shown to the requester and to support. */
export function failedModal(
  t: Translate,
  d: Pick<RequestDetails, 'application' | 'certificate'>,
  metadata: ModalMetadata,
): ModalView {
  const app = d.application;
  return reasonModal(
    t,
    {
      callbackId: APPROVALS_IDS.failed,
      title: t('approvals.failed.title'),
      submit: t('approvals.failed.submit'),
      intro: t('approvals.failed.intro', {
        app: app.id,
        name: certName(d),
        id: d.certificate?.id ?? app.certificateId,
      }),
      blockId: APPROVALS_IDS.failedReasonBlock,
      label: t('approvals.failed.reason.label'),
      hint: t('approvals.failed.reason.hint', { max: MAX_CA_REASON_LENGTH }),
      maxLength: MAX_CA_REASON_LENGTH,
    },
    metadata,
  );
}
