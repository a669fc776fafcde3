import { RENEWAL_WINDOW_DAYS } from '../../domain/renewal.js';
import { REVIEW_SLA_BUSINESS_DAYS } from '../../domain/sla.js';
import { apply } from './messages/apply.js';
import { approvals } from './messages/approvals.js';
import { ca } from './messages/ca.js';
import { clocks } from './messages/clocks.js';
import { combine } from './messages/combine.js';
import { common } from './messages/common.js';
import { home } from './messages/home.js';
import { purchase } from './messages/purchase.js';
import { queries } from './messages/queries.js';
import { refusals } from './messages/refusals.js';
import { renew } from './messages/renew.js';
import { support } from './messages/support.js';
import { upload } from './messages/upload.js';

/** One catalog per feature (messages/*.ts), merged here. */
const FEATURES = [
  common,
  refusals,
  apply,
  approvals,
  renew,
  combine,
  upload,
  purchase,
  queries,
  home,
  support,
  clocks,
  ca,
];

export type Locale = 'en' | 'zh-CN';
type Catalog = Readonly<Record<string, string>>;
export type MessageKey =
  | keyof typeof common.en
  | keyof typeof refusals.en
  | keyof typeof apply.en
  | keyof typeof approvals.en
  | keyof typeof renew.en
  | keyof typeof combine.en
  | keyof typeof upload.en
  | keyof typeof purchase.en
  | keyof typeof queries.en
  | keyof typeof home.en
  | keyof typeof support.en
  | keyof typeof clocks.en
  | keyof typeof ca.en;
export type Params = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, params?: Params) => string;

function merge(locale: Locale): Catalog {
  const merged: Record<string, string> = {};
  for (const feature of FEATURES) {
    for (const [key, text] of Object.entries(feature[locale] as Catalog)) {
      if (key in merged) throw new Error(`message key ${key} is defined twice`);
      merged[key] = text;
    }
  }
  return merged;
}

export const CATALOGS: Readonly<Record<Locale, Catalog>> = {
  en: merge('en'),
  'zh-CN': merge('zh-CN'),
};

/** Slack locales look like `zh-CN`, `zh-TW`, `en-US`; only Simplified Chinese maps to zh-CN. */
export function localeOf(slackLocale: string | undefined): Locale {
  return slackLocale?.toLowerCase() === 'zh-cn' ? 'zh-CN' : 'en';
}

function fill(text: string, params: Params | undefined): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params && name in params ? String(params[name]) : whole,
  );
}

/**
 * The rules' numbers, as any message may name them (`{windowDays}`, ...): taken from the
 * constants the rules use, so a message can never state another number than the rule applies.
 */
export const RULE_PARAMS: Params = {
  windowDays: RENEWAL_WINDOW_DAYS,
  remindAfter: REVIEW_SLA_BUSINESS_DAYS.remindAfter,
  reviewFrom: REVIEW_SLA_BUSINESS_DAYS.expectedFrom,
  reviewBy: REVIEW_SLA_BUSINESS_DAYS.expectedBy,
  breachAfter: REVIEW_SLA_BUSINESS_DAYS.breachAfter,
};

export function translator(locale: Locale): Translate {
  const catalog = CATALOGS[locale];
  return (key, params) =>
    fill(
      catalog[key] ?? CATALOGS.en[key] ?? key,
      params ? { ...RULE_PARAMS, ...params } : RULE_PARAMS,
    );
}

/** A refusal from a use case in the reader's language; unknown codes fall back to a generic line. */
export function explain(
  t: Translate,
  refusal: { readonly code: string; readonly params?: Params },
): string {
  const key = `refusal.${refusal.code}`;
  const known = key in CATALOGS.en;
  return known
    ? t(key as MessageKey, refusal.params)
    : t('refusal.unknown' as MessageKey, { code: refusal.code });
}
