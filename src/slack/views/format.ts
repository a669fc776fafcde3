/**
 * How every feature says things: display names for states, statuses, kinds and domain types,
 * people, dates, credits, refusals and a certificate's row. Pure: no I/O.
 */
import { type Certificate, displayState } from '../../domain/certificate.js';
import { availableCredits, type HostingCredits } from '../../domain/hosting.js';
import type { Refusal } from '../../domain/result.js';
import {
  localDate as formatDate,
  localDateTime as formatDateTime,
} from '../../domain/zoned-time.js';
import type { CertificateRow } from '../../usecases/queries.js';
import { escapeMrkdwn, truncate } from '../blocks.js';
import { CATALOGS, explain, type MessageKey, type Params, type Translate } from '../i18n/index.js';

// ---------------------------------------------------------------------------------------------
// Display names

function known(key: string): key is MessageKey {
  return CATALOGS.en[key] !== undefined;
}

/** The catalog's words for `key`, or `fallback` when it has none (a value we do not know). */
export function labelOr(t: Translate, key: string, fallback: string): string {
  return known(key) ? t(key) : fallback;
}

/** A certificate state (stored, or derived: hosted, expiring, expired) as people say it. */
export function stateLabel(t: Translate, state: string): string {
  return labelOr(t, `state.${state}`, state);
}

/** An application status (awaiting_approval, submitted, ...) as people say it. */
export function statusLabel(t: Translate, status: string): string {
  return labelOr(t, `application.status.${status}`, status);
}

/** A domain type (single, multi, wildcard, ...) as the console names it. */
export function domainTypeLabel(t: Translate, type: string): string {
  return labelOr(t, `spec.domainType.${type}`, type);
}

/** An application kind (apply, enable_hosting, renewal_purchase, combine). */
export function kindLabel(t: Translate, kind: string): string {
  return labelOr(t, `application.kind.${kind}`, kind);
}

/** Mrkdwn mention of a Slack user id; anything else (a job, "system") shown as text. */
export function who(actor: string): string {
  return /^[UW][A-Z0-9]{1,30}$/.test(actor) ? `<@${actor}>` : escapeMrkdwn(actor || '?');
}

/** A team's hosting-credit ledger in one line: available, bought, held, spent. */
export function creditsText(t: Translate, credits: HostingCredits): string {
  return t('common.credits', {
    ...credits,
    team: escapeMrkdwn(credits.team),
    available: availableCredits(credits),
  });
}

/** Dates and times as people read them in Slack: the zone's local 'YYYY-MM-DD' ('… HH:mm'). */
export { formatDate, formatDateTime };

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export interface RefusalTextOptions {
  /** Dates in params (notAfter, notBefore) are shown in this zone; ISO strings otherwise. */
  readonly timeZone?: string;
  /**
   * Escape string params for mrkdwn (the default): domains and other typed values could hold
   * `<!channel>`. Pass false for plain_text surfaces such as modal input errors.
   */
  readonly escape?: boolean;
}

/**
 * `explain` with params people can read: states, statuses, domain types, contact fields and
 * entity names in the reader's language, ISO instants as local dates, typed values escaped.
 */
export function refusalText(
  t: Translate,
  refusal: Pick<Refusal, 'code' | 'params'>,
  options: RefusalTextOptions = {},
): string {
  const { escape: forMrkdwn = true, timeZone } = options;
  if (!refusal.params) return explain(t, refusal);
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(refusal.params)) {
    params[name] =
      typeof value === 'string' ? readable(t, refusal.code, name, value, timeZone) : value;
    if (forMrkdwn && typeof params[name] === 'string') params[name] = escapeMrkdwn(params[name]);
  }
  return explain(t, { code: refusal.code, params: params as Params });
}

function readable(
  t: Translate,
  code: string,
  name: string,
  value: string,
  timeZone: string | undefined,
): string {
  switch (name) {
    case 'state':
      return stateLabel(t, value);
    case 'from':
      return code.startsWith('application.') ? statusLabel(t, value) : stateLabel(t, value);
    case 'status':
      return statusLabel(t, value);
    case 'domainType':
      return domainTypeLabel(t, value);
    case 'field':
      return labelOr(t, `contact.field.${value}`, value);
    case 'entity':
      return labelOr(t, `entity.${value}`, value);
    default:
      return timeZone && ISO_INSTANT.test(value)
        ? formatDateTime(Date.parse(value), timeZone)
        : value;
  }
}

// ---------------------------------------------------------------------------------------------
// One certificate as a row (lists and App Home)

const ROW_DOMAINS = 3;
const ROW_NAME_MAX = 80;
const ROW_DOMAIN_MAX = 60;

export function specText(t: Translate, cert: Certificate): string {
  return t('queries.row.spec', {
    brand: escapeMrkdwn(truncate(cert.spec.brand, 40)),
    validationType: cert.spec.validationType,
    domainType: domainTypeLabel(t, cert.spec.domainType),
    grade: escapeMrkdwn(truncate(cert.spec.grade, 40)),
  });
}

export function domainsText(t: Translate, domains: readonly string[], shown = ROW_DOMAINS): string {
  if (domains.length === 0) return t('queries.row.noDomains');
  const listed = domains
    .slice(0, shown)
    .map((d) => escapeMrkdwn(truncate(d, ROW_DOMAIN_MAX)))
    .join(', ');
  return domains.length > shown
    ? `${listed} ${t('queries.row.moreDomains', { count: domains.length - shown })}`
    : listed;
}

/** "expires 2026-12-23 (30 days left)", "expired … (3 days ago)", or undefined when not watched. */
export function expiryText(
  t: Translate,
  row: CertificateRow,
  timeZone: string,
): string | undefined {
  const { notAfter } = row.certificate;
  if (!row.expiry || notAfter === undefined) return undefined;
  const date = formatDate(notAfter, timeZone);
  const { status, daysLeft } = row.expiry;
  if (status === 'expired') {
    return daysLeft === 0
      ? t('queries.row.expiredToday', { date })
      : t('queries.row.expired', { date, days: Math.abs(daysLeft) });
  }
  return daysLeft === 0
    ? t('queries.row.expiresToday', { date })
    : t('queries.row.expires', { date, days: daysLeft });
}

/** The state a person sees: the stored one or Hosted, plus Expiring / Expired when so. */
export function displayStateText(t: Translate, row: CertificateRow): string {
  const shown = stateLabel(t, displayState(row.certificate));
  const status = row.expiry?.status;
  if (status === 'expired') return `🔴 ${shown} · ${stateLabel(t, 'expired')}`;
  if (status === 'expiring') return `🟠 ${shown} · ${stateLabel(t, 'expiring')}`;
  return shown;
}

/** One certificate in a list: name and id, state, spec, domains, expiry. */
export function rowText(t: Translate, row: CertificateRow, timeZone: string): string {
  const cert = row.certificate;
  const first = `*${escapeMrkdwn(truncate(cert.name, ROW_NAME_MAX))}*  \`${cert.id}\``;
  const second = [displayStateText(t, row), specText(t, cert)];
  if (cert.renewalFailure) second.push(t(`queries.row.renewalFailure.${cert.renewalFailure.kind}`));
  if (cert.openApplicationId) second.push(t('queries.row.openRequest'));
  const third = [domainsText(t, cert.domains), expiryText(t, row, timeZone)].filter(
    (part): part is string => part !== undefined,
  );
  return [first, second.join(' · '), third.join(' · ')].join('\n');
}
