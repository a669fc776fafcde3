/**
 * Pure Block Kit builders for what the clocks send: the review reminder, the expiry ladder,
 * managed renewal starting, escalation summaries and the support digest. No I/O here: clocks.ts
 * reads the store and passes what it got.
 */
import { z } from 'zod';
import type { Application } from '../../../domain/application.js';
import type { Certificate } from '../../../domain/certificate.js';
import type { Contact } from '../../../domain/contact.js';
import type { EscalationMessage } from '../../../usecases/ports/index.js';
import {
  actions,
  button,
  context,
  escapeMrkdwn,
  fallbackText,
  header,
  type KnownBlock,
  messageFits,
  section,
  truncate,
} from '../../blocks.js';
import type { MessageKey, Translate } from '../../i18n/index.js';
import { LIMITS } from '../../limits.js';
import { encodeMetadata } from '../../metadata.js';
import { domainsText, formatDate, formatDateTime, who } from '../../views/format.js';
import { channelMention } from '../support/views.js';

/** Ids of the clocks' blocks and buttons. */
export const CLOCKS_IDS = {
  renew: 'clocks.renew',
  actions: 'clocks.expiry.actions',
} as const;

/** The Renew button's value: the certificate to renew. Untrusted when it comes back. */
export const renewButtonSchema = z.object({ c: z.string().min(1).max(64) });

export type EscalationCause = EscalationMessage['cause'];

export interface RenderedMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

/** Names are stored free text: escaped, and cut so a message stays readable. */
const NAME_MAX = 120;
const DIGEST_LINE_MAX = 400;

function nameOf(cert: Certificate | undefined, id: string): string {
  return escapeMrkdwn(truncate(cert?.name ?? id, NAME_MAX));
}

function rendered(title: string, body: string, more: KnownBlock[] = []): RenderedMessage {
  return {
    text: fallbackText(body),
    blocks: [header(title), section(body), ...more],
  };
}

/** OV/EV not issued more than 1 business day after submission (seed 004, "Review duration"). */
export function slaReminderMessage(
  t: Translate,
  model: {
    readonly certificateId: string;
    readonly certificate: Certificate | undefined;
    readonly application: Application;
    readonly contact: Contact | undefined;
    readonly supportChannel: string;
    readonly timeZone: string;
  },
): RenderedMessage {
  const { application: app, contact, timeZone } = model;
  const body = t('clocks.sla.text', {
    name: nameOf(model.certificate, model.certificateId),
    id: escapeMrkdwn(model.certificateId),
    support: channelMention(model.supportChannel),
  });
  const more: KnownBlock[] = [];
  if (contact) {
    more.push(
      section(
        t('clocks.sla.contact', {
          name: escapeMrkdwn(truncate(contact.name, NAME_MAX)),
          email: escapeMrkdwn(contact.email),
          phone: escapeMrkdwn(contact.phone),
        }),
      ),
    );
  }
  more.push(
    context([
      app.sla
        ? `${t('clocks.sla.context', {
            app: escapeMrkdwn(app.id),
            submitted: formatDateTime(app.sla.submittedAt, timeZone),
            expectedBy: formatDate(app.sla.expectedBy, timeZone),
          })}${app.sla.estimated ? ` ${t('common.estimated')}` : ''}`
        : t('clocks.sla.context_short', { app: escapeMrkdwn(app.id) }),
    ]),
  );
  return rendered(t('clocks.sla.title'), body, more);
}

/** N days before expiry, with a Renew button that opens the renew flow. */
export function expiryReminderMessage(
  t: Translate,
  model: {
    readonly certificate: Certificate;
    readonly daysLeft: number;
    readonly notAfter: number;
    readonly timeZone: string;
  },
): RenderedMessage {
  const { certificate: cert, daysLeft, timeZone } = model;
  const body = t('clocks.expiry.text', {
    name: nameOf(cert, cert.id),
    id: escapeMrkdwn(cert.id),
    date: formatDate(model.notAfter, timeZone),
    zone: timeZone,
    daysLeft,
  });
  return rendered(t('clocks.expiry.title', { daysLeft }), body, [
    context([t('clocks.expiry.context', { domains: domainsText(t, cert.domains) })]),
    renewActions(t, cert.id),
  ]);
}

/**
 * The Renew button (handled by the clocks feature): it opens the renew flow for the certificate
 * as `/cert renew <id>` does, offering what Renew offers at the moment it is pressed.
 */
export function renewActions(t: Translate, certificateId: string) {
  const value = encodeMetadata(renewButtonSchema, { c: certificateId }, LIMITS.buttonValue);
  return actions(CLOCKS_IDS.actions, [
    button({ actionId: CLOCKS_IDS.renew, text: t('clocks.expiry.renew'), value, style: 'primary' }),
  ]);
}

export function expiredMessage(
  t: Translate,
  model: {
    readonly certificateId: string;
    readonly certificate: Certificate | undefined;
    readonly notAfter: number;
    readonly supportChannel: string;
    readonly timeZone: string;
  },
): RenderedMessage {
  const body = t('clocks.expired.text', {
    name: nameOf(model.certificate, model.certificateId),
    id: escapeMrkdwn(model.certificateId),
    date: formatDate(model.notAfter, model.timeZone),
    zone: model.timeZone,
    support: channelMention(model.supportChannel),
  });
  return rendered(t('clocks.expired.title'), body);
}

export function renewalActivatedMessage(
  t: Translate,
  model: {
    readonly certificateId: string;
    readonly certificate: Certificate | undefined;
    readonly renewalId: string;
    readonly supportChannel: string;
  },
): RenderedMessage {
  const body = t('clocks.activated.text', {
    name: nameOf(model.certificate, model.certificateId),
    id: escapeMrkdwn(model.certificateId),
    renewal: escapeMrkdwn(model.renewalId),
    support: channelMention(model.supportChannel),
  });
  return rendered(t('clocks.activated.title'), body);
}

/** A notice meant for a certificate's owner, posted in the support channel when it has none. */
export function unownedMessage(
  t: Translate,
  certificateId: string,
  message: RenderedMessage,
): RenderedMessage {
  const note = t('clocks.unowned', { id: escapeMrkdwn(certificateId) });
  const blocks = [context([note]), ...message.blocks];
  return { text: fallbackText(`${note} ${message.text}`), blocks };
}

// --- escalations ---

export const CAUSE_LABEL: Readonly<Record<EscalationCause, MessageKey>> = {
  sla_breach: 'clocks.cause.sla_breach',
  expired: 'clocks.cause.expired',
  renewal_failed: 'clocks.cause.renewal_failed',
  delivery_refused: 'clocks.cause.delivery_refused',
};

/**
 * What a single escalation says in its support case: the summary key and its params, unescaped
 * (`escalate` escapes every param).
 */
export function escalationSummary(
  message: EscalationMessage,
  certificate: Certificate | undefined,
  timeZone: string,
): { key: MessageKey; params: Record<string, string> } {
  switch (message.cause) {
    case 'sla_breach':
      return {
        // Counted in a year without holiday data: the 7 business days are an estimate.
        key: message.estimated
          ? 'clocks.summary.sla_breach_estimated'
          : 'clocks.summary.sla_breach',
        params: { app: message.applicationId ?? '?' },
      };
    case 'expired':
      return {
        key: 'clocks.summary.expired',
        params: {
          date:
            certificate?.notAfter !== undefined ? formatDate(certificate.notAfter, timeZone) : '?',
          zone: timeZone,
        },
      };
    case 'renewal_failed':
      return {
        key: 'clocks.summary.renewal_failed',
        params: { detail: truncate(message.detail ?? '?', 200) },
      };
    case 'delivery_refused':
      return {
        key: 'clocks.summary.delivery_refused',
        params: { detail: truncate(message.detail ?? '?', 200) },
      };
  }
}

/** The DM to the requester of an escalation, or undefined when the cause needs none. */
export function requesterNotice(
  message: EscalationMessage,
): { key: MessageKey; params: Record<string, string> } | undefined {
  switch (message.cause) {
    case 'sla_breach':
      return {
        key: message.estimated
          ? 'clocks.requester.sla_breach_estimated'
          : 'clocks.requester.sla_breach',
        params: { app: message.applicationId ?? '?' },
      };
    case 'renewal_failed':
      return { key: 'clocks.requester.renewal_failed', params: {} };
    case 'expired':
      // The owner got the `expired` DM, which says support has been told.
      return undefined;
    case 'delivery_refused':
      // Slack just refused to reach this person.
      return undefined;
  }
}

export interface DigestItem {
  readonly message: EscalationMessage;
  readonly certificate: Certificate | undefined;
}

function digestLine(t: Translate, item: DigestItem): string {
  const { message } = item;
  const extra = [
    message.requesterId
      ? t('clocks.digest.requester', { requester: who(message.requesterId) })
      : '',
    message.applicationId
      ? t('clocks.digest.app', { app: escapeMrkdwn(truncate(message.applicationId, 64)) })
      : '',
    message.detail
      ? t('clocks.digest.detail', { detail: escapeMrkdwn(truncate(message.detail, 100)) })
      : '',
  ].join('');
  return truncate(
    t('clocks.digest.line', {
      cause: t(CAUSE_LABEL[message.cause]),
      name: nameOf(item.certificate, message.certificateId),
      id: escapeMrkdwn(truncate(message.certificateId, 64)),
      extra,
    }),
    DIGEST_LINE_MAX,
  );
}

/** Lines packed into as few sections as their text limit allows. */
function packLines(lines: readonly string[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let current = '';
  for (const line of lines) {
    if (current !== '' && current.length + 1 + line.length > LIMITS.sectionText) {
      blocks.push(section(current));
      current = '';
    }
    current = current === '' ? line : `${current}\n${line}`;
  }
  if (current !== '') blocks.push(section(current));
  return blocks;
}

/**
 * One message for a burst of escalations: counts per cause, then one line each (cause,
 * certificate, requester), as many as fit in one message, then "…and N more".
 */
export function digestMessage(t: Translate, items: readonly DigestItem[]): RenderedMessage {
  const counts = new Map<EscalationCause, number>();
  for (const item of items)
    counts.set(item.message.cause, (counts.get(item.message.cause) ?? 0) + 1);
  const countTexts = [...counts].map(([cause, count]) =>
    t('clocks.digest.counts', { cause: t(CAUSE_LABEL[cause]), count }),
  );
  const text = fallbackText(
    t('clocks.digest.fallback', { count: items.length, counts: countTexts.join(', ') }),
  );
  const lines = items.map((item) => digestLine(t, item));
  const build = (shown: number): KnownBlock[] => [
    header(t('clocks.digest.title', { count: items.length })),
    context(countTexts),
    ...packLines(lines.slice(0, shown)),
    ...(shown < lines.length
      ? [context([t('clocks.digest.more', { count: lines.length - shown })])]
      : []),
  ];
  // The largest number of lines that fits (fitting only gets harder as lines are added).
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (messageFits(build(mid), text)) low = mid;
    else high = mid - 1;
  }
  return { text, blocks: build(low) };
}
