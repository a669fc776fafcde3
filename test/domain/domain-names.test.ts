import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DomainRefusalCode,
  MAX_BINDING_ENTRIES,
  MAX_DOMAIN_LENGTH,
  MAX_INPUT_LENGTH,
  MAX_LABEL_LENGTH,
  normalizeDomainName,
  remainingDomainSlots,
  splitDomainInput,
  validateDomainBinding,
} from '../../src/domain/domain-names.js';
import { DOMAIN_TYPES } from '../../src/domain/spec.js';

function asciiOf(input: string): string {
  const result = normalizeDomainName(input);
  if (!result.ok)
    throw new Error(`expected ${JSON.stringify(input)} to be ok: ${result.refusal.code}`);
  return result.value.ascii;
}

function refusalOf(result: ReturnType<typeof normalizeDomainName | typeof validateDomainBinding>) {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result.refusal;
}

// 21 CJK characters (city names): 65 ASCII characters once Punycode-encoded; the first 20 give 62.
const CJK_21 = '北京上海广州深圳天津重庆杭州南京武汉成都西';
const label = (n: number, ch = 'a') => ch.repeat(n);

describe('splitDomainInput', () => {
  it.each([
    ['newlines', 'a.com\nb.com\r\nc.com', ['a.com', 'b.com', 'c.com']],
    ['commas and spaces', 'a.com, b.com ,c.com  d.com', ['a.com', 'b.com', 'c.com', 'd.com']],
    ['semicolons and tabs', 'a.com;b.com\tc.com', ['a.com', 'b.com', 'c.com']],
    ['Chinese comma ，', 'a.com，b.com', ['a.com', 'b.com']],
    ['ideographic comma 、', 'a.com、b.com', ['a.com', 'b.com']],
    ['full-width semicolon ；', 'a.com；b.com', ['a.com', 'b.com']],
    ['ideographic space', 'a.com\u3000b.com', ['a.com', 'b.com']],
    ['no-break space', 'a.com\u00a0b.com', ['a.com', 'b.com']],
    ['drops empties', ' ,\n, a.com ,, \n', ['a.com']],
    ['only separators', ' ,， \n', []],
    ['empty text', '', []],
    ['keeps full-width dots inside a name', '例子。中国，b．com', ['例子。中国', 'b．com']],
    [
      'keeps invisible characters for the check',
      'exa\u200bmple.com \ufeffb.com',
      ['exa\u200bmple.com', '\ufeffb.com'],
    ],
  ])('%s', (_name, text, expected) => {
    expect(splitDomainInput(text)).toEqual(expected);
  });
});

describe('normalizeDomainName: accepted names', () => {
  it.each([
    ['plain', 'example.com', 'example.com', 'example.com', false],
    ['trims and lowercases', '  WWW.Example.COM \n', 'www.example.com', 'www.example.com', false],
    ['removes one trailing dot', 'example.com.', 'example.com', 'example.com', false],
    [
      'hyphens and digits inside labels',
      'a-1.b2-c.example.com',
      'a-1.b2-c.example.com',
      'a-1.b2-c.example.com',
      false,
    ],
    [
      'numeric non-TLD labels',
      '123.456.example.com',
      '123.456.example.com',
      '123.456.example.com',
      false,
    ],
    ['alphanumeric TLD', 'example.a1', 'example.a1', 'example.a1', false],
    ['Chinese IDN', '例子.中国', 'xn--fsqu00a.xn--fiqs8s', '例子.中国', false],
    ['German IDN', 'bücher.de', 'xn--bcher-kva.de', 'bücher.de', false],
    ['uppercase IDN', 'BÜCHER.DE', 'xn--bcher-kva.de', 'bücher.de', false],
    ['punycode input', 'XN--FSQU00A.XN--FIQS8S', 'xn--fsqu00a.xn--fiqs8s', '例子.中国', false],
    ['ß is kept (non-transitional)', 'straße.de', 'xn--strae-oqa.de', 'straße.de', false],
    ['ideographic full stop 。', '例子。中国', 'xn--fsqu00a.xn--fiqs8s', '例子.中国', false],
    ['full-width full stop ．', 'example．com', 'example.com', 'example.com', false],
    ['half-width ideographic full stop ｡', 'example｡com', 'example.com', 'example.com', false],
    ['trailing ideographic full stop', '例子.中国。', 'xn--fsqu00a.xn--fiqs8s', '例子.中国', false],
    ['full-width letters map to ASCII', 'ｅｘａｍｐｌｅ.com', 'example.com', 'example.com', false],
    ['wildcard', '*.example.com', '*.example.com', '*.example.com', true],
    ['wildcard over IDN', '*.例子.中国', '*.xn--fsqu00a.xn--fiqs8s', '*.例子.中国', true],
    [
      'full-width asterisk maps to a wildcard',
      '＊.example.com',
      '*.example.com',
      '*.example.com',
      true,
    ],
    // UTS-46 maps Σ to σ; JS toLowerCase() would give a final ς, which is a different name.
    ['Greek capital sigma follows UTS-46', 'ΌΣΟΣ.gr', 'xn--0xahb7a.gr', 'όσοσ.gr', false],
  ])('%s', (_name, input, ascii, unicode, wildcard) => {
    expect(normalizeDomainName(input)).toEqual({ ok: true, value: { ascii, unicode, wildcard } });
  });

  it('accepts a 253-character name and 63-character labels', () => {
    const name = `${label(63)}.${label(63, 'b')}.${label(63, 'c')}.${label(61, 'd')}`;
    expect(name).toHaveLength(MAX_DOMAIN_LENGTH);
    expect(asciiOf(name)).toBe(name);
    expect(asciiOf(`${name}.`)).toBe(name);
  });

  it('accepts a 20-CJK-character label (62 characters in Punycode)', () => {
    const ascii = asciiOf(`${CJK_21.slice(0, 20)}.cn`);
    expect(ascii.split('.')[0]).toHaveLength(62);
  });

  it('gives a Cyrillic homoglyph its own Punycode name and shows its unicode form', () => {
    const spoof = normalizeDomainName('ex\u0430mple.com');
    expect(spoof).toEqual({
      ok: true,
      value: { ascii: 'xn--exmple-4nf.com', unicode: 'ex\u0430mple.com', wildcard: false },
    });
    expect(asciiOf('ex\u0430mple.com')).not.toBe(asciiOf('example.com'));
  });
});

describe('normalizeDomainName: refusals', () => {
  it.each<[string, string, DomainRefusalCode, Record<string, string | number>]>([
    ['empty', '', 'domain.empty', { domain: '' }],
    ['blank', '  \t ', 'domain.empty', { domain: '' }],
    ['just a dot', '.', 'domain.empty', { domain: '.' }],
    ['leading dot', '.example.com', 'domain.empty_label', { domain: '.example.com' }],
    ['two dots', 'a..example.com', 'domain.empty_label', { domain: 'a..example.com' }],
    ['two trailing dots', 'example.com..', 'domain.empty_label', { domain: 'example.com..' }],
    ['single label', 'localhost', 'domain.single_label', { domain: 'localhost' }],
    ['single IDN label', '中国', 'domain.single_label', { domain: '中国' }],
    ['numeric TLD', 'example.123', 'domain.numeric_tld', { domain: 'example.123', label: '123' }],
    [
      'hex TLD (URL parsers read it as a number)',
      'example.0x1f',
      'domain.numeric_tld',
      { domain: 'example.0x1f', label: '0x1f' },
    ],
    ['five numeric labels', '1.2.3.4.5', 'domain.numeric_tld', { domain: '1.2.3.4.5', label: '5' }],
    ['IPv4', '192.168.1.1', 'domain.ip_address', { domain: '192.168.1.1' }],
    ['short IPv4 form', '127.1', 'domain.ip_address', { domain: '127.1' }],
    ['hex IPv4 form', '0x7f.0.0.1', 'domain.ip_address', { domain: '0x7f.0.0.1' }],
    ['full-width IPv4', '１２７.０.０.１', 'domain.ip_address', { domain: '１２７.０.０.１' }],
    ['IPv6', '2001:db8::1', 'domain.ip_address', { domain: '2001:db8::1' }],
    ['bracketed IPv6', '[::1]', 'domain.ip_address', { domain: '[::1]' }],
    [
      'underscore',
      'a_b.example.com',
      'domain.invalid_characters',
      { domain: 'a_b.example.com', label: 'a_b' },
    ],
    [
      'space inside',
      'exa mple.com',
      'domain.invalid_characters',
      { domain: 'exa mple.com', label: 'exa mple' },
    ],
    [
      'port',
      'example.com:443',
      'domain.invalid_characters',
      { domain: 'example.com:443', label: 'com:443' },
    ],
    [
      'URL',
      'https://example.com/',
      'domain.invalid_characters',
      { domain: 'https://example.com/', label: 'https://example' },
    ],
    [
      'path (URL parser would cut at /)',
      'a/b.example.com',
      'domain.invalid_characters',
      { domain: 'a/b.example.com', label: 'a/b' },
    ],
    [
      'query (URL parser would cut at ?)',
      'a?b.example.com',
      'domain.invalid_characters',
      { domain: 'a?b.example.com', label: 'a?b' },
    ],
    [
      'percent (URL parser would decode %41)',
      '%41.example.com',
      'domain.invalid_characters',
      { domain: '%41.example.com', label: '%41' },
    ],
    [
      'at sign',
      'user@example.com',
      'domain.invalid_characters',
      { domain: 'user@example.com', label: 'user@example' },
    ],
    [
      'full-width underscore maps to _',
      'a＿b.example.com',
      'domain.invalid_characters',
      { domain: 'a＿b.example.com', label: 'a_b' },
    ],
    [
      'full-width exclamation maps to !',
      'a！.example.com',
      'domain.invalid_characters',
      { domain: 'a！.example.com', label: 'a!' },
    ],
    [
      'full-width solidus',
      'a／b.example.com',
      'domain.invalid_characters',
      { domain: 'a／b.example.com', label: 'a／b' },
    ],
    [
      'mapping that adds a dot (⒈ → 1.)',
      'a⒈example.com',
      'domain.invalid_characters',
      { domain: 'a⒈example.com', label: 'a⒈example' },
    ],
    [
      'leading hyphen',
      '-a.example.com',
      'domain.invalid_label',
      { domain: '-a.example.com', label: '-a' },
    ],
    [
      'trailing hyphen',
      'a-.example.com',
      'domain.invalid_label',
      { domain: 'a-.example.com', label: 'a-' },
    ],
    [
      'hyphen TLD edge',
      'example.com-',
      'domain.invalid_label',
      { domain: 'example.com-', label: 'com-' },
    ],
    [
      'R-LDH reserved hyphens',
      'ab--cd.example.com',
      'domain.reserved_label',
      { domain: 'ab--cd.example.com', label: 'ab--cd' },
    ],
    [
      'bad punycode',
      'xn--abc.example.com',
      'domain.invalid_punycode',
      { domain: 'xn--abc.example.com', label: 'xn--abc' },
    ],
    [
      'punycode of plain ASCII (does not round-trip)',
      'xn--abc-.example.com',
      'domain.invalid_punycode',
      { domain: 'xn--abc-.example.com', label: 'xn--abc-' },
    ],
    [
      'empty punycode',
      'xn--.example.com',
      'domain.invalid_punycode',
      { domain: 'xn--.example.com', label: 'xn--' },
    ],
    [
      'ZWSP',
      'exa\u200bmple.com',
      'domain.invisible_characters',
      { domain: 'exa\u200bmple.com', codePoint: 'U+200B' },
    ],
    [
      'ZWNJ',
      'exa\u200cmple.com',
      'domain.invisible_characters',
      { domain: 'exa\u200cmple.com', codePoint: 'U+200C' },
    ],
    [
      'ZWJ',
      'exa\u200dmple.com',
      'domain.invisible_characters',
      { domain: 'exa\u200dmple.com', codePoint: 'U+200D' },
    ],
    [
      'LRM',
      'example.com\u200e',
      'domain.invisible_characters',
      { domain: 'example.com\u200e', codePoint: 'U+200E' },
    ],
    [
      'RLM',
      '\u200fexample.com',
      'domain.invisible_characters',
      { domain: '\u200fexample.com', codePoint: 'U+200F' },
    ],
    [
      'RLO',
      'exa\u202emple.com',
      'domain.invisible_characters',
      { domain: 'exa\u202emple.com', codePoint: 'U+202E' },
    ],
    [
      'LRE',
      'exa\u202ample.com',
      'domain.invisible_characters',
      { domain: 'exa\u202ample.com', codePoint: 'U+202A' },
    ],
    [
      'LRI',
      'exa\u2066mple.com',
      'domain.invisible_characters',
      { domain: 'exa\u2066mple.com', codePoint: 'U+2066' },
    ],
    [
      'PDI',
      'exa\u2069mple.com',
      'domain.invisible_characters',
      { domain: 'exa\u2069mple.com', codePoint: 'U+2069' },
    ],
    [
      'soft hyphen',
      'exa\u00admple.com',
      'domain.invisible_characters',
      { domain: 'exa\u00admple.com', codePoint: 'U+00AD' },
    ],
    [
      'BOM (JS trim() would drop it)',
      '\ufeffexample.com',
      'domain.invisible_characters',
      { domain: '\ufeffexample.com', codePoint: 'U+FEFF' },
    ],
    [
      'word joiner',
      'exa\u2060mple.com',
      'domain.invisible_characters',
      { domain: 'exa\u2060mple.com', codePoint: 'U+2060' },
    ],
    [
      'variation selector',
      'exa\ufe0fmple.com',
      'domain.invisible_characters',
      { domain: 'exa\ufe0fmple.com', codePoint: 'U+FE0F' },
    ],
    [
      'combining grapheme joiner',
      'exa\u034fmple.com',
      'domain.invisible_characters',
      { domain: 'exa\u034fmple.com', codePoint: 'U+034F' },
    ],
    [
      'Hangul filler',
      'exa\u3164mple.com',
      'domain.invisible_characters',
      { domain: 'exa\u3164mple.com', codePoint: 'U+3164' },
    ],
    [
      'tab inside (URL parser drops it)',
      'exa\tmple.com',
      'domain.invisible_characters',
      { domain: 'exa\tmple.com', codePoint: 'U+0009' },
    ],
    [
      'NUL',
      'exa\u0000mple.com',
      'domain.invisible_characters',
      { domain: 'exa\u0000mple.com', codePoint: 'U+0000' },
    ],
    ['wildcard TLD', '*.com', 'domain.wildcard_position', { domain: '*.com' }],
    ['bare wildcard', '*', 'domain.wildcard_position', { domain: '*' }],
    ['wildcard in the middle', 'a.*.com', 'domain.wildcard_position', { domain: 'a.*.com' }],
    [
      'partial wildcard label',
      '*a.example.com',
      'domain.wildcard_position',
      { domain: '*a.example.com' },
    ],
    ['double asterisk', '**.x.com', 'domain.wildcard_position', { domain: '**.x.com' }],
    ['two wildcards', '*.*.example.com', 'domain.wildcard_position', { domain: '*.*.example.com' }],
    [
      'wildcard on the right',
      'example.com.*',
      'domain.wildcard_position',
      { domain: 'example.com.*' },
    ],
  ])('%s', (_name, input, code, params) => {
    expect(refusalOf(normalizeDomainName(input))).toEqual({ code, params });
  });

  it('refuses a name over 253 characters', () => {
    const name = `${label(63)}.${label(63, 'b')}.${label(63, 'c')}.${label(62, 'd')}`;
    expect(refusalOf(normalizeDomainName(name))).toEqual({
      code: 'domain.too_long',
      params: { domain: `${name.slice(0, 99)}…`, length: 254, max: MAX_DOMAIN_LENGTH },
    });
  });

  it('measures the length after Punycode conversion', () => {
    // 4 × 20 + 4 + 2 = 86 characters as typed, 4 × 62 + 4 + 2 = 254 once encoded.
    const idn = Array.from({ length: 4 }, () => CJK_21.slice(0, 20)).join('.');
    const name = `${idn}.cn`;
    expect(name.length).toBeLessThan(MAX_DOMAIN_LENGTH);
    expect(refusalOf(normalizeDomainName(name))).toMatchObject({
      code: 'domain.too_long',
      params: { length: 4 * 62 + 4 + 2 },
    });
  });

  it('refuses a label over 63 characters', () => {
    expect(refusalOf(normalizeDomainName(`${label(64)}.com`))).toEqual({
      code: 'domain.label_too_long',
      params: { domain: `${label(64)}.com`, label: label(64), length: 64, max: MAX_LABEL_LENGTH },
    });
  });

  it('measures a label after Punycode conversion: 21 CJK characters become 65', () => {
    expect(refusalOf(normalizeDomainName(`${CJK_21}.cn`))).toMatchObject({
      code: 'domain.label_too_long',
      params: { domain: `${CJK_21}.cn`, length: 65, max: MAX_LABEL_LENGTH },
    });
  });

  it('refuses an oversized entry before any IDN work, echoing only its start', () => {
    const huge = `${'例'.repeat(MAX_INPUT_LENGTH)}.com`;
    const refusal = refusalOf(normalizeDomainName(huge));
    expect(refusal).toEqual({
      code: 'domain.input_too_long',
      params: { domain: `${'例'.repeat(99)}…`, length: huge.length, max: MAX_INPUT_LENGTH },
    });
  });

  it.each([
    ['cut between pairs', 'a', `a${'💩'.repeat(49)}…`],
    ['cut inside a pair', 'ab', `ab${'💩'.repeat(48)}…`],
  ])(
    'echoes a long entry in at most 100 units, never splitting a surrogate pair: %s',
    (_n, head, echoed) => {
      const refusal = refusalOf(normalizeDomainName(`${head}${'💩'.repeat(60)}.com`));
      const domain = String(refusal.params?.domain);
      expect(domain.length).toBeLessThanOrEqual(100);
      expect(domain).toBe(echoed);
      expect(domain).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    },
  );
});

describe('validateDomainBinding', () => {
  it('returns the ascii names in input order', () => {
    expect(
      validateDomainBinding(['B.example.com', '例子.中国', 'a.example.com.'], 'multi', 5),
    ).toEqual({
      ok: true,
      value: ['b.example.com', 'xn--fsqu00a.xn--fiqs8s', 'a.example.com'],
    });
  });

  it.each<[string, readonly string[], string, Record<string, string | number>]>([
    ['case', ['example.com', 'Example.COM'], 'Example.COM', { duplicateOf: 'example.com' }],
    [
      'trailing dot',
      ['example.com', 'example.com.'],
      'example.com.',
      { duplicateOf: 'example.com' },
    ],
    [
      'unicode and punycode',
      ['例子.中国', 'xn--fsqu00a.xn--fiqs8s'],
      'xn--fsqu00a.xn--fiqs8s',
      { duplicateOf: '例子.中国' },
    ],
    ['full-width dot', ['例子.中国', '例子。中国'], '例子。中国', { duplicateOf: '例子.中国' }],
    ['uppercase IDN', ['bücher.de', 'BÜCHER.DE'], 'BÜCHER.DE', { duplicateOf: 'bücher.de' }],
    ['surrounding spaces', ['a.com', '  a.com '], 'a.com', { duplicateOf: 'a.com' }],
  ])('refuses duplicates after normalization: %s', (_name, inputs, domain, params) => {
    expect(refusalOf(validateDomainBinding(inputs, 'multi', 5))).toEqual({
      code: 'domain.duplicate',
      params: { domain, ...params },
    });
  });

  it('does not treat a Cyrillic homoglyph as a duplicate', () => {
    expect(validateDomainBinding(['example.com', 'ex\u0430mple.com'], 'multi', 5)).toEqual({
      ok: true,
      value: ['example.com', 'xn--exmple-4nf.com'],
    });
  });

  it('does not treat a wildcard and its base name as duplicates', () => {
    expect(validateDomainBinding(['example.com', '*.example.com'], 'hybrid', 2)).toEqual({
      ok: true,
      value: ['example.com', '*.example.com'],
    });
  });

  it.each<[string, (typeof DOMAIN_TYPES)[number], string, DomainRefusalCode | null]>([
    ['single + plain', 'single', 'a.example.com', null],
    ['single + wildcard', 'single', '*.example.com', 'domain.wildcard_not_allowed'],
    ['multi + plain', 'multi', 'a.example.com', null],
    ['multi + wildcard', 'multi', '*.example.com', 'domain.wildcard_not_allowed'],
    ['wildcard + wildcard', 'wildcard', '*.example.com', null],
    ['wildcard + plain', 'wildcard', 'a.example.com', 'domain.wildcard_required'],
    ['multi_wildcard + wildcard', 'multi_wildcard', '*.example.com', null],
    ['multi_wildcard + plain', 'multi_wildcard', 'a.example.com', 'domain.wildcard_required'],
    ['hybrid + plain', 'hybrid', 'a.example.com', null],
    ['hybrid + wildcard', 'hybrid', '*.example.com', null],
  ])('applies the wildcard policy: %s', (_name, domainType, input, code) => {
    const result = validateDomainBinding([input], domainType, 1);
    if (code === null) expect(result).toEqual({ ok: true, value: [input] });
    else expect(refusalOf(result)).toEqual({ code, params: { domain: input, domainType } });
  });

  it('refuses an empty binding', () => {
    expect(refusalOf(validateDomainBinding([], 'single', 1))).toEqual({ code: 'domain.none' });
  });

  it('refuses more entries than the quota, before checking them', () => {
    expect(refusalOf(validateDomainBinding(['a.com', 'b.com', 'not valid'], 'multi', 2))).toEqual({
      code: 'domain.quota_exceeded',
      params: { quota: 2, count: 3 },
    });
  });

  it('accepts exactly the quota', () => {
    expect(validateDomainBinding(['a.com', 'b.com'], 'multi', 2)).toEqual({
      ok: true,
      value: ['a.com', 'b.com'],
    });
  });

  it('refuses a flood of entries before normalizing any of them', () => {
    const inputs = Array.from({ length: MAX_BINDING_ENTRIES + 1 }, () => 'not valid');
    expect(refusalOf(validateDomainBinding(inputs, 'multi', 10_000))).toEqual({
      code: 'domain.too_many_entries',
      params: { max: MAX_BINDING_ENTRIES, count: MAX_BINDING_ENTRIES + 1 },
    });
    // With a smaller quota, the quota refusal covers it.
    expect(refusalOf(validateDomainBinding(inputs, 'multi', 5)).code).toBe('domain.quota_exceeded');
  });

  it('passes on the first invalid name refusal, in input order', () => {
    expect(refusalOf(validateDomainBinding(['a.com', 'localhost', '*.com'], 'hybrid', 5))).toEqual({
      code: 'domain.single_label',
      params: { domain: 'localhost' },
    });
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('throws on quota %s', (quota) => {
    expect(() => validateDomainBinding(['a.com'], 'single', quota)).toThrow(RangeError);
  });
});

describe('remainingDomainSlots', () => {
  it.each([
    [5, 0, 5],
    [5, 3, 2],
    [5, 5, 0],
    [5, 7, 0],
    [1, 0, 1],
  ])('quota %i, entered %i → %i', (quota, entered, expected) => {
    expect(remainingDomainSlots(quota, entered)).toBe(expected);
  });

  it('throws on a bad quota or count', () => {
    expect(() => remainingDomainSlots(0, 0)).toThrow(RangeError);
    expect(() => remainingDomainSlots(5, -1)).toThrow(RangeError);
    expect(() => remainingDomainSlots(5, 0.5)).toThrow(RangeError);
  });
});

describe('properties', () => {
  // Names built from pieces that hit the interesting cases: ASCII, IDN, homoglyphs, hyphens,
  // digits, full-width dots, invisibles, wildcards, punycode prefixes, long runs.
  const piece = fc.constantFrom(
    'a',
    'z',
    'A',
    '0',
    '9',
    '-',
    '--',
    'xn--',
    'ü',
    'ß',
    'Σ',
    '例',
    '中国',
    '\u0430',
    'ａ',
    '*',
    '.',
    '。',
    '．',
    '_',
    ' ',
    '\u200b',
    '\u00ad',
    'ﬀ',
    'İ',
    '⒈',
    '１',
    '0x',
  );
  const messyName = fc
    .array(
      fc.oneof(piece, fc.string({ maxLength: 3 }), fc.string({ unit: 'grapheme', maxLength: 3 })),
      {
        maxLength: 40,
      },
    )
    .map((parts) => parts.join(''));
  const plausibleLabel = fc
    .array(fc.constantFrom('a', 'b', '1', '-', 'ü', '例', '\u0430', 'X'), {
      minLength: 1,
      maxLength: 70,
    })
    .map((chars) => chars.join(''));
  const plausibleName = fc
    .tuple(
      fc.boolean(),
      fc.array(plausibleLabel, { minLength: 1, maxLength: 5 }),
      fc.constantFrom('com', 'cn', '中国', 'de'),
    )
    .map(([wild, labels, tld]) => `${wild ? '*.' : ''}${labels.join('.')}.${tld}`);
  const anyName = fc.oneof(messyName, plausibleName);

  it('normalizeDomainName is idempotent on its ascii output', () => {
    fc.assert(
      fc.property(anyName, (input) => {
        const first = normalizeDomainName(input);
        if (!first.ok) return;
        const again = normalizeDomainName(first.value.ascii);
        expect(again).toEqual(first);
      }),
      { numRuns: 2000 },
    );
  });

  it('every ok result satisfies the length, label and wildcard invariants', () => {
    fc.assert(
      fc.property(anyName, (input) => {
        const result = normalizeDomainName(input);
        if (!result.ok) return;
        const { ascii, wildcard } = result.value;
        expect(ascii.length).toBeLessThanOrEqual(MAX_DOMAIN_LENGTH);
        expect(ascii).toBe(ascii.toLowerCase());
        const labels = ascii.split('.');
        expect(labels[0] === '*').toBe(wildcard);
        const host = wildcard ? labels.slice(1) : labels;
        expect(host.length).toBeGreaterThanOrEqual(2);
        for (const l of host) {
          expect(l).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
          expect(l.length).toBeLessThanOrEqual(MAX_LABEL_LENGTH);
          if (l.slice(2, 4) === '--') expect(l.startsWith('xn--')).toBe(true);
        }
        expect(host[host.length - 1]).not.toMatch(/^[0-9]+$/);
      }),
      { numRuns: 2000 },
    );
  });

  it('validateDomainBinding never returns more names than the quota, nor duplicates', () => {
    const entries = fc.array(
      fc.oneof(
        plausibleName,
        fc.constantFrom(
          'a.com',
          'A.COM',
          'a.com.',
          '例子.中国',
          'xn--fsqu00a.xn--fiqs8s',
          '*.a.com',
        ),
      ),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(
        entries,
        fc.constantFrom(...DOMAIN_TYPES),
        fc.integer({ min: 1, max: 10 }),
        (inputs, type, quota) => {
          const result = validateDomainBinding(inputs, type, quota);
          if (!result.ok) return;
          expect(result.value.length).toBeLessThanOrEqual(quota);
          expect(result.value.length).toBeGreaterThanOrEqual(1);
          expect(new Set(result.value).size).toBe(result.value.length);
          expect(result.value).toHaveLength(inputs.length);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('splitDomainInput never returns empty or separator-bearing entries', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
        for (const entry of splitDomainInput(text)) {
          expect(entry).not.toBe('');
          expect(entry).not.toMatch(/[ \n\t,;，、；\u3000]/);
        }
      }),
    );
  });
});
