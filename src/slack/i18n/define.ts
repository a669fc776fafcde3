/**
 * A feature's messages in both languages, side by side so they stay in step: the Chinese
 * catalog must have exactly the English keys (the type checker says which are missing).
 * Placeholders are `{name}`; values are filled in by the translator.
 */
export function defineMessages<const K extends string>(
  en: Readonly<Record<K, string>>,
  zhCN: Readonly<Record<K, string>>,
): { readonly en: Readonly<Record<K, string>>; readonly 'zh-CN': Readonly<Record<K, string>> } {
  return { en, 'zh-CN': zhCN };
}
