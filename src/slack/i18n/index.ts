import { en, type MessageKey } from './en.js';
import { zhCN } from './zh-CN.js';

export type { MessageKey };
export type Locale = 'en' | 'zh-CN';
export type Translate = (
  key: MessageKey,
  params?: Readonly<Record<string, string | number>>,
) => string;

const CATALOGS: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** Slack locales look like `zh-CN`, `zh-TW`, `en-US`; only Simplified Chinese maps to zh-CN. */
export function localeOf(slackLocale: string | undefined): Locale {
  return slackLocale?.toLowerCase() === 'zh-cn' ? 'zh-CN' : 'en';
}

export function translator(locale: Locale): Translate {
  const catalog = CATALOGS[locale];
  return (key, params) =>
    catalog[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      params && name in params ? String(params[name]) : whole,
    );
}
