import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLICATION_KINDS, APPLICATION_STATUSES } from '../../src/domain/application.js';
import { RENEWAL_WINDOW_DAYS } from '../../src/domain/renewal.js';
import { REVIEW_SLA_BUSINESS_DAYS } from '../../src/domain/sla.js';
import { DOMAIN_TYPES } from '../../src/domain/spec.js';
import { CERTIFICATE_STATES } from '../../src/domain/states.js';
import {
  CATALOGS,
  explain,
  type Locale,
  RULE_PARAMS,
  translator,
} from '../../src/slack/i18n/index.js';
import {
  domainTypeLabel,
  refusalText,
  stateLabel,
  statusLabel,
} from '../../src/slack/views/format.js';

const SRC = join(import.meta.dirname, '..', '..', 'src');
const LOCALES: readonly Locale[] = ['en', 'zh-CN'];

/** One place in src/ that produces a refusal (or PEM warning) code. */
interface Site {
  readonly code: string;
  readonly where: string;
  /** The param names it passes; undefined when they cannot be read (a spread, a variable). */
  readonly params: readonly string[] | undefined;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Index just past the bracket that closes the one opening at `open`, skipping strings. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"' || ch === '`') {
      i = endOfString(text, i);
      continue;
    }
    if (ch === '{' || ch === '(' || ch === '[') depth++;
    if (ch === '}' || ch === ')' || ch === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

function endOfString(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return text.length;
}

/** Top-level keys of an object literal `{ a, b: x, c: f(y, z) }`; undefined on a spread. */
function objectKeys(literal: string): string[] | undefined {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = true;
  for (let i = 0; i < literal.length; i++) {
    const ch = literal[i] as string;
    if (ch === "'" || ch === '"' || ch === '`') {
      i = endOfString(literal, i);
      continue;
    }
    if ('{(['.includes(ch)) {
      depth++;
      continue;
    }
    if ('})]'.includes(ch)) {
      depth--;
      continue;
    }
    if (depth !== 1) continue;
    if (ch === ',') {
      expectKey = true;
      continue;
    }
    if (!expectKey || /\s/.test(ch)) continue;
    if (literal.startsWith('...', i)) return undefined;
    const key = /^[A-Za-z_$][\w$]*/.exec(literal.slice(i))?.[0];
    if (!key) return undefined;
    keys.push(key);
    expectKey = false;
    i += key.length - 1;
  }
  return keys;
}

/** `refuse('code', {...})` calls and `{ code: 'a.b', params: {...} }` literals in src/. */
function refusalSites(): Site[] {
  const sites: Site[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const where = relative(SRC, file);
    for (const match of text.matchAll(/\brefuse\(\s*'([^']+)'/g)) {
      const code = match[1] as string;
      const afterCode = (match.index ?? 0) + match[0].length;
      const rest = text.slice(afterCode);
      const objectAt = /^\s*,\s*\{/.exec(rest);
      const params = objectAt
        ? objectKeys(
            text.slice(
              afterCode + objectAt[0].length - 1,
              closing(text, afterCode + objectAt[0].length - 1),
            ),
          )
        : /^\s*\)/.test(rest)
          ? []
          : undefined;
      sites.push({ code, where, params });
    }
    for (const match of text.matchAll(/\bcode:\s*'([a-z_]+\.[a-z_.]+)'/g)) {
      const code = match[1] as string;
      sites.push({
        code,
        where,
        params: siblingParams(text, (match.index ?? 0) + match[0].length),
      });
    }
  }
  return sites;
}

/** The `params: {...}` beside a `code:` in the same object literal, if any. */
function siblingParams(text: string, from: number): string[] | undefined {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "'" || ch === '"' || ch === '`') {
      i = endOfString(text, i);
      continue;
    }
    if (depth === 0 && text.startsWith('params:', i)) {
      const open = text.indexOf('{', i);
      const between = text.slice(i + 'params:'.length, open);
      if (open < 0 || between.trim() !== '') return undefined;
      return objectKeys(text.slice(open, closing(text, open)));
    }
    if ('{(['.includes(ch)) depth++;
    if ('})]'.includes(ch)) {
      if (depth === 0) return [];
      depth--;
    }
  }
  return [];
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string))].sort();
}

const SITES = refusalSites();
const CODES = [...new Set(SITES.map((s) => s.code))].sort();

describe('the refusal catalog', () => {
  it('finds the refusal codes src/ produces (the scanner works)', () => {
    expect(CODES.length).toBeGreaterThan(80);
    for (const known of [
      'domain.quota_exceeded',
      'pem.private_key',
      'pem.chain_unrelated',
      'decision.already_decided',
      'combine.brand_mismatch',
      'hosting.no_credits',
      'list.all_not_allowed',
    ]) {
      expect(CODES).toContain(known);
    }
    const quota = SITES.find((s) => s.code === 'domain.quota_exceeded');
    expect(quota?.params).toEqual(['quota', 'count']);
    const decided = SITES.find((s) => s.code === 'decision.already_decided');
    expect(decided?.params).toEqual(['id', 'status', 'by', 'at']);
    const selfSigned = SITES.find((s) => s.code === 'pem.leaf_self_signed');
    expect(selfSigned?.params).toEqual([]);
  });

  it.each(LOCALES)('has a %s message for every refusal code produced in src/', (locale) => {
    const missing = CODES.filter((code) => CATALOGS[locale][`refusal.${code}`] === undefined);
    expect(missing, `add refusal.<code> to src/slack/i18n/messages/refusals.ts`).toEqual([]);
  });

  it('names only placeholders that every refusal of that code carries', () => {
    const problems: string[] = [];
    for (const site of SITES) {
      if (site.params === undefined) continue;
      const text = CATALOGS.en[`refusal.${site.code}`] ?? '';
      for (const name of placeholders(text)) {
        if (!site.params.includes(name) && !(name in RULE_PARAMS)) {
          problems.push(`refusal.${site.code} uses {${name}}, absent in ${site.where}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('has no refusal message for a code nothing produces', () => {
    const produced = new Set(CODES.map((code) => `refusal.${code}`));
    const stale = Object.keys(CATALOGS.en).filter(
      (key) => key.startsWith('refusal.') && key !== 'refusal.unknown' && !produced.has(key),
    );
    expect(stale).toEqual([]);
  });

  it('fills every placeholder through explain() and never falls back to the code', () => {
    for (const locale of LOCALES) {
      const t = translator(locale);
      for (const code of CODES) {
        const names = placeholders(CATALOGS.en[`refusal.${code}`] ?? '');
        const params = Object.fromEntries(names.map((name, i) => [name, `P${i}-${name}`]));
        const text = explain(t, { code, params });
        expect(text, `${locale} refusal.${code}`).not.toMatch(/\{\w+\}/);
        for (const value of Object.values(params)) expect(text).toContain(value);
        expect(text).not.toBe(t('refusal.unknown', { code }));
      }
    }
  });

  it('explains an unknown code with the generic line', () => {
    expect(explain(translator('en'), { code: 'made.up' })).toBe('Not possible: made.up');
    expect(explain(translator('zh-CN'), { code: 'made.up' })).toContain('made.up');
  });
});

describe('every catalog', () => {
  it('has the same keys in English and Chinese', () => {
    expect(Object.keys(CATALOGS['zh-CN']).sort()).toEqual(Object.keys(CATALOGS.en).sort());
  });

  it('uses the same placeholders in both languages for every key', () => {
    const different = Object.keys(CATALOGS.en).filter(
      (key) =>
        placeholders(CATALOGS.en[key] ?? '').join() !==
        placeholders(CATALOGS['zh-CN'][key] ?? '').join(),
    );
    expect(different).toEqual([]);
  });

  it('states no rule number literally: the 30 days and the business days come from the rules', () => {
    const literal = [
      /\b30[ -](natural )?days?\b/,
      /\b[137][ -]business[ -]days?\b/,
      /\b3 ?(to|-|~) ?7\b/,
      /30 ?(个自然日|天)/,
      /[137] ?个工作日/,
      /3 ?[~-] ?7/,
    ];
    for (const locale of LOCALES) {
      const found = Object.entries(CATALOGS[locale]).filter(([, text]) =>
        literal.some((pattern) => pattern.test(text)),
      );
      expect(found.map(([key]) => key)).toEqual([]);
    }
    const t = translator('en');
    expect(t('home.group.expiring', { count: 2 })).toContain(`${RENEWAL_WINDOW_DAYS} days`);
    expect(t('clocks.sla.context_short', { app: 'a1' })).toContain(
      `${REVIEW_SLA_BUSINESS_DAYS.expectedFrom} to ${REVIEW_SLA_BUSINESS_DAYS.expectedBy} business days`,
    );
  });

  it('has no empty message', () => {
    for (const locale of LOCALES) {
      const empty = Object.entries(CATALOGS[locale]).filter(([, text]) => text.trim() === '');
      expect(empty.map(([key]) => key)).toEqual([]);
    }
  });
});

describe('display names', () => {
  it('names every certificate state (and the derived ones), status and domain type in both languages', () => {
    for (const locale of LOCALES) {
      const catalog = CATALOGS[locale];
      for (const state of [...CERTIFICATE_STATES, 'hosted', 'expiring', 'expired']) {
        expect(catalog[`state.${state}`], `${locale} state.${state}`).toBeTruthy();
      }
      for (const status of APPLICATION_STATUSES) {
        expect(catalog[`application.status.${status}`], `${locale} ${status}`).toBeTruthy();
      }
      for (const kind of APPLICATION_KINDS) {
        expect(catalog[`application.kind.${kind}`], `${locale} ${kind}`).toBeTruthy();
      }
      for (const type of DOMAIN_TYPES) {
        expect(catalog[`spec.domainType.${type}`], `${locale} ${type}`).toBeTruthy();
      }
    }
  });

  it('reads states naturally, and unknown values as they are', () => {
    const zh = translator('zh-CN');
    expect(stateLabel(zh, 'under_review')).toBe('审核中');
    expect(stateLabel(zh, 'hosted')).toBe('已托管');
    expect(statusLabel(translator('en'), 'awaiting_approval')).toBe('Awaiting approval');
    expect(domainTypeLabel(zh, 'wildcard')).toBe('通配符域名');
    expect(stateLabel(zh, 'teleported')).toBe('teleported');
  });

  it('refusalText puts display names into params and escapes typed values for mrkdwn', () => {
    const en = translator('en');
    expect(
      refusalText(en, { code: 'apply.state', params: { id: 'c1', state: 'under_review' } }),
    ).toContain('“Under review”');
    expect(
      refusalText(translator('zh-CN'), {
        code: 'renew.not_live',
        params: { state: 'pending_application' },
      }),
    ).toContain('待申请');
    expect(
      refusalText(en, {
        code: 'domain.wildcard_not_allowed',
        params: { domain: '*.<!channel>.com', domainType: 'single' },
      }),
    ).toBe(
      '“*.&lt;!channel&gt;.com” is a wildcard name, but this certificate’s domain type (Single domain) does not allow wildcards.',
    );
    expect(
      refusalText(en, {
        code: 'application.transition_not_allowed',
        params: { from: 'approved', event: 'approve' },
      }),
    ).toContain('“Approved”');
    expect(
      refusalText(en, { code: 'conflict.changed', params: { entity: 'app', id: 'a1' } }),
    ).toContain('This request (a1)');
    expect(
      refusalText(
        en,
        { code: 'pem.expired', params: { notAfter: '2026-01-31T16:30:00.000Z' } },
        { timeZone: 'Asia/Shanghai' },
      ),
    ).toContain('2026-02-01 00:30');
  });
});
