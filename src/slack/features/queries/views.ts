/**
 * Pure Block Kit builders for `/cert list`, `/cert status` and `/cert contacts`. No I/O here:
 * the handlers in queries.ts read through the use cases and pass what they got.
 */
import { z } from 'zod';
import type { Application } from '../../../domain/application.js';
import type { Certificate } from '../../../domain/certificate.js';
import type { Contact } from '../../../domain/contact.js';
import type { AuditEntry } from '../../../usecases/ports/index.js';
import type {
  CertificatePage,
  CertificateRow,
  CertificateStatus,
  ListScope,
  ScheduledPoint,
} from '../../../usecases/queries.js';
import { LIST_SCOPES } from '../../../usecases/queries.js';
import {
  actions,
  button,
  context,
  divider,
  escapeMrkdwn,
  fallbackText,
  fieldsSection,
  fitMessage,
  header,
  type KnownBlock,
  pageOf,
  section,
  truncate,
} from '../../blocks.js';
import type { MessageKey, Translate } from '../../i18n/index.js';
import { LIMITS } from '../../limits.js';
import { encodeMetadata } from '../../metadata.js';

import {
  displayStateText,
  expiryText,
  formatDate,
  formatDateTime,
  kindLabel,
  labelOr,
  rowText,
  specText,
  stateLabel,
  statusLabel,
  who,
} from '../../views/format.js';

// ---------------------------------------------------------------------------------------------
// /cert list

export const LIST_PAGE_SIZE = 15;
/** Button values: which list and which page; they come back untrusted and are validated. */
export const listPageSchema = z.object({
  s: z.enum(LIST_SCOPES),
  p: z.number().int().min(0).max(10_000),
});
export type ListPage = z.infer<typeof listPageSchema>;

export const LIST_PREV_ACTION = 'queries.page.prev';
export const LIST_NEXT_ACTION = 'queries.page.next';
export const LIST_PAGE_ACTIONS = /^queries\.page\.(prev|next)$/;

import type { ListGroup } from '../../../domain/listing.js';

export { LIST_GROUPS, type ListGroup } from '../../../domain/listing.js';

/** The group a row is shown under: the use case's answer, read from the row. */
export function groupOf(row: CertificateRow): ListGroup {
  if (row.expiry?.status === 'expired') return 'expired';
  if (row.expiry?.status === 'expiring') return 'expiring';
  switch (row.certificate.state) {
    case 'issued':
    case 'uploaded':
      return 'valid';
    case 'pending_application':
    case 'under_review':
    case 'validation_failed':
    case 'not_activated':
      return 'in_progress';
    default:
      return 'closed';
  }
}

export interface ListMessage {
  readonly text: string;
  readonly blocks: KnownBlock[];
}

export interface ListContext {
  readonly scope: ListScope;
  readonly page: number;
  readonly team: string;
  readonly timeZone: string;
}

/**
 * One page of a list as an ephemeral message: a title, a summary, rows under group headings,
 * and Previous/Next buttons whose values say which list and page to show.
 */
/**
 * One page of a list, as the use case read it (`list.page` is the page it asked for): the rows
 * come in list order, grouped under headers, with Previous / Next.
 */
export function listMessage(t: Translate, found: CertificatePage, list: ListContext): ListMessage {
  const title = t(`queries.list.title.${list.scope}`, { team: list.team });
  if (found.total === 0 || found.rows.length === 0) {
    const empty = t(`queries.list.empty.${list.scope}`);
    return { text: fallbackText(`${title}: ${empty}`), blocks: [header(title), section(empty)] };
  }
  const page = {
    items: found.rows.slice(0, LIST_PAGE_SIZE),
    ...pageOf(found.total, Math.floor(found.offset / LIST_PAGE_SIZE), LIST_PAGE_SIZE),
  };
  const blocks: KnownBlock[] = [
    header(title),
    context([
      t('queries.list.summary', {
        count: found.total,
        page: page.page + 1,
        pages: page.pages,
        timeZone: list.timeZone,
      }),
    ]),
  ];
  let group: ListGroup | undefined;
  for (const row of page.items) {
    const rowGroup = groupOf(row);
    if (rowGroup !== group) {
      group = rowGroup;
      blocks.push(section(t(`queries.list.group.${rowGroup}`)));
    }
    blocks.push(section(rowText(t, row, list.timeZone)));
  }
  const nav = [];
  if (page.hasPrev) {
    nav.push(
      button({
        actionId: LIST_PREV_ACTION,
        text: t('queries.list.prev'),
        value: encodeMetadata(
          listPageSchema,
          { s: list.scope, p: page.page - 1 },
          LIMITS.buttonValue,
        ),
      }),
    );
  }
  if (page.hasNext) {
    nav.push(
      button({
        actionId: LIST_NEXT_ACTION,
        text: t('queries.list.next'),
        value: encodeMetadata(
          listPageSchema,
          { s: list.scope, p: page.page + 1 },
          LIMITS.buttonValue,
        ),
        style: 'primary',
      }),
    );
  }
  // The buttons go last and must survive any trimming: trim the rows, then add them.
  const body = fitMessage(
    blocks,
    (hidden) => t('common.more', { count: hidden }),
    LIMITS.messageBlocks - 1,
    LIMITS.messageBlocksChars - 1000,
  );
  if (nav.length > 0) body.push(actions('queries.page', nav));
  const summary = page.items
    .map((r) => `${escapeMrkdwn(r.certificate.name)} (${r.certificate.id})`)
    .join(', ');
  return { text: fallbackText(`${title}: ${summary}`), blocks: body };
}

// ---------------------------------------------------------------------------------------------
// /cert status

const STATUS_DOMAINS = 20;
/** The CA's words are quoted up to this long (support's case has them whole). */
const CA_REASON_MAX = 300;

/**
 * What became of a failed managed renewal and what to do now, or undefined when none failed.
 * The CA's words are quoted as they came; the sentence around them is the reader's language.
 */
export function renewalFailureText(
  t: Translate,
  cert: Certificate,
  timeZone: string,
): string | undefined {
  const failure = cert.renewalFailure;
  if (!failure) return undefined;
  const params = {
    date: formatDateTime(failure.at, timeZone),
    id: cert.id,
    reason: escapeMrkdwn(truncate(failure.reason, CA_REASON_MAX)),
  };
  if (failure.kind === 'unanswered') return t('queries.status.renewalFailure.unanswered', params);
  if (!failure.reason) return t(`queries.status.renewalFailure.${failure.kind}_no_reason`, params);
  return t(`queries.status.renewalFailure.${failure.kind}`, params);
}
const STATUS_REQUESTS = 5;
const REASON_MAX = 200;

function requestLine(t: Translate, app: Application, open: boolean, timeZone: string): string {
  const parts = [
    t('queries.status.request', {
      kind: kindLabel(t, app.kind),
      id: app.id,
      status: statusLabel(t, app.status),
      user: app.requesterId,
      date: formatDateTime(app.createdAt, timeZone),
    }),
  ];
  if (open) parts[0] += ` ${t('queries.status.requestOpen')}`;
  if (app.hosting) parts[0] += ` · ${t('queries.status.requestHosting')}`;
  if (app.status === 'submitted' && app.sla) {
    parts.push(
      `${t('queries.status.requestExpected', {
        from: formatDate(app.sla.expectedFrom, timeZone),
        by: formatDate(app.sla.expectedBy, timeZone),
      })}${app.sla.estimated ? ` ${t('common.estimated')}` : ''}`,
    );
  }
  if (app.decisionReason) {
    parts.push(
      t('queries.status.requestReason', {
        reason: escapeMrkdwn(truncate(app.decisionReason, REASON_MAX)),
      }),
    );
  }
  return parts.join('\n');
}

export function nextText(
  t: Translate,
  next: ScheduledPoint,
  cert: Certificate,
  timeZone: string,
): string {
  const date = formatDateTime(next.at, timeZone);
  const estimated = next.estimated ? ` ${t('common.estimated')}` : '';
  switch (next.kind) {
    case 'sla_reminder':
      return `${t('queries.status.next.sla_reminder', { date })}${estimated}`;
    case 'sla_breach':
      return `${t('queries.status.next.sla_breach', { date })}${estimated}`;
    case 'expiry_window':
      return `${t(cert.hosted ? 'queries.status.next.expiry_hosted' : 'queries.status.next.expiry_manual', { date })}${estimated}`;
    case 'expiry_reminder':
      return t('queries.status.next.expiry_reminder', {
        date: formatDate(next.at, timeZone),
        threshold: next.threshold ?? 0,
      });
    case 'expiry':
      return t('queries.status.next.expires', { date });
  }
}

export function historyLine(t: Translate, entry: AuditEntry, timeZone: string): string {
  const action = labelOr(t, `queries.action.${entry.action}`, escapeMrkdwn(entry.action));
  const parts = [formatDateTime(entry.at, timeZone), who(entry.actor), action];
  if (entry.from !== undefined || entry.to !== undefined) {
    const from = entry.from !== undefined ? `${stateLabel(t, entry.from)} ` : '';
    parts.push(`${from}→ ${entry.to !== undefined ? stateLabel(t, entry.to) : '?'}`);
  }
  if (entry.reason) parts.push(`“${escapeMrkdwn(truncate(entry.reason, REASON_MAX))}”`);
  return parts.join(' · ');
}

/** Everything about one certificate, within one message (≤50 blocks, ≤ the size budget). */
export function statusMessage(
  t: Translate,
  status: CertificateStatus,
  timeZone: string,
  historyShown = 10,
): ListMessage {
  const { certificate: cert, expiry, contact, renewal, applications, next, history } = status;
  const row: CertificateRow = expiry ? { certificate: cert, expiry } : { certificate: cert };
  const hosting = !cert.hosted
    ? t('queries.status.hosting.off')
    : renewal
      ? t('queries.status.hosting.renewal', { id: renewal.id, state: stateLabel(t, renewal.state) })
      : t('queries.status.hosting.on');
  const field = (key: MessageKey, value: string) => `*${t(key)}*\n${value}`;
  const fields = [
    field('queries.status.field.id', `\`${cert.id}\``),
    field('queries.status.field.state', displayStateText(t, row)),
    field('queries.status.field.spec', specText(t, cert)),
    field(
      'queries.status.field.quota',
      t('queries.status.quota', { used: cert.domains.length, quota: cert.domainQuota }),
    ),
    field(
      'queries.status.field.expiry',
      expiryText(t, row, timeZone) ?? t('queries.status.noExpiry'),
    ),
    field('queries.status.field.hosting', hosting),
    field(
      'queries.status.field.contact',
      contact
        ? `${escapeMrkdwn(contact.name)}\n${escapeMrkdwn(contact.email)} · ${escapeMrkdwn(contact.phone)}`
        : t('queries.status.noContact'),
    ),
    field(
      'queries.status.field.team',
      cert.ownerUserId
        ? t('queries.status.teamOwner', { team: escapeMrkdwn(cert.team), owner: cert.ownerUserId })
        : escapeMrkdwn(cert.team),
    ),
  ];
  if (cert.renewalOf) fields.push(field('queries.status.field.renewalOf', `\`${cert.renewalOf}\``));

  const blocks: KnownBlock[] = [header(cert.name), ...fieldsSection(fields)];
  const failure = renewalFailureText(t, cert, timeZone);
  if (failure) blocks.push(section(failure));
  if (cert.domains.length > 0) {
    blocks.push(
      section(
        `${t('queries.status.domains')}\n${cert.domains
          .slice(0, STATUS_DOMAINS)
          .map((d) => `• ${escapeMrkdwn(truncate(d, 100))}`)
          .join('\n')}${
          cert.domains.length > STATUS_DOMAINS
            ? `\n${t('common.more', { count: cert.domains.length - STATUS_DOMAINS })}`
            : ''
        }`,
      ),
    );
  }
  const ordered = [...applications].sort((a, b) => {
    const openA = a.id === cert.openApplicationId ? 0 : 1;
    const openB = b.id === cert.openApplicationId ? 0 : 1;
    return openA - openB || b.createdAt - a.createdAt;
  });
  const requests = ordered
    .slice(0, STATUS_REQUESTS)
    .map((app) => requestLine(t, app, app.id === cert.openApplicationId, timeZone));
  if (ordered.length > STATUS_REQUESTS) {
    requests.push(t('common.more', { count: ordered.length - STATUS_REQUESTS }));
  }
  blocks.push(
    section(
      `${t('queries.status.requests')}\n${requests.length > 0 ? requests.join('\n\n') : t('queries.status.noRequests')}`,
    ),
  );
  if (next) blocks.push(section(nextText(t, next, cert, timeZone)));
  blocks.push(divider(), section(t('queries.status.history')));
  const newest = [...history].reverse().slice(0, historyShown);
  if (newest.length === 0) blocks.push(context([t('queries.status.noHistory')]));
  for (const entry of newest) blocks.push(context([historyLine(t, entry, timeZone)]));

  const fitted = fitMessage(blocks, (hidden) => t('queries.status.truncated', { count: hidden }));
  const text = `${escapeMrkdwn(cert.name)} (${cert.id}): ${displayStateText(t, row)}`;
  return { text: fallbackText(text), blocks: fitted };
}

// ---------------------------------------------------------------------------------------------
// /cert contacts

const CONTACTS_SHOWN = 40;

export function contactsMessage(
  t: Translate,
  team: string,
  contacts: readonly Contact[],
): ListMessage {
  const title = t('queries.contacts.title', { team });
  if (contacts.length === 0) {
    const none = t('queries.contacts.none');
    return { text: fallbackText(none), blocks: [header(title), section(none)] };
  }
  const sorted = [...contacts].sort((a, b) => a.name.localeCompare(b.name));
  const blocks: KnownBlock[] = [header(title)];
  for (const contact of sorted.slice(0, CONTACTS_SHOWN)) {
    blocks.push(
      section(
        t('queries.contacts.entry', {
          name: escapeMrkdwn(contact.name),
          email: escapeMrkdwn(contact.email),
          phone: escapeMrkdwn(contact.phone),
        }),
      ),
    );
  }
  if (sorted.length > CONTACTS_SHOWN) {
    blocks.push(context([t('common.more', { count: sorted.length - CONTACTS_SHOWN })]));
  }
  const fitted = fitMessage(blocks, (hidden) => t('common.more', { count: hidden }));
  const text = sorted.map((c) => escapeMrkdwn(`${c.name} (${c.email}, ${c.phone})`)).join('; ');
  return { text: fallbackText(`${title}: ${text}`), blocks: fitted };
}
