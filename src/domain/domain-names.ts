/**
 * Domain names to bind to a certificate application: splitting what a person typed, normalizing
 * each name to its ASCII (Punycode) form, and checking the whole binding against the domain
 * type and the quota. Pure: no I/O, no clock.
 *
 * IDN mapping is UTS-46 as implemented by `node:url` `domainToASCII` (the WHATWG URL host parser,
 * non-transitional: `ß` stays `ß`). That parser does more than IDN (it percent-decodes, parses
 * IPv4 numbers like `127.1`, cuts at `/?#`, drops tabs and some invisible characters), so every
 * quirk it has is fenced off here before or after the call.
 */
import { domainToASCII, domainToUnicode } from 'node:url';
import { ok, type Result, refuse } from './result.js';
import { type DomainType, wildcardPolicy } from './spec.js';

/** DNS presentation-format limit (without the trailing dot), in ASCII/Punycode characters. */
export const MAX_DOMAIN_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;
/** An entry longer than this is refused before any IDN work: nobody types a 1000-char name. */
export const MAX_INPUT_LENGTH = 1000;
/** A binding with more entries than this is refused before normalizing any of them. */
export const MAX_BINDING_ENTRIES = 500;
/** How much of an offending entry a refusal echoes back (`params.domain`). */
export const MAX_ECHO_LENGTH = 100;

export type DomainRefusalCode =
  /** params: domain */
  | 'domain.empty'
  /** params: domain, length, max (raw entry length, before any IDN work) */
  | 'domain.input_too_long'
  /** params: domain, length, max (ASCII form) */
  | 'domain.too_long'
  /** params: domain, label, length, max (ASCII form of the label) */
  | 'domain.label_too_long'
  /** params: domain (two dots in a row, or a leading dot) */
  | 'domain.empty_label'
  /** params: domain, label (the label holding a character outside letters/digits/hyphen) */
  | 'domain.invalid_characters'
  /** params: domain, label (label starts or ends with a hyphen) */
  | 'domain.invalid_label'
  /** params: domain, label (`ab--cd`: hyphens in positions 3-4 are reserved, only `xn--` is used) */
  | 'domain.reserved_label'
  /** params: domain, label (an `xn--` label that is not a valid A-label) */
  | 'domain.invalid_punycode'
  /** params: domain */
  | 'domain.single_label'
  /** params: domain, label */
  | 'domain.numeric_tld'
  /** params: domain */
  | 'domain.ip_address'
  /** params: domain, codePoint (e.g. "U+200B") */
  | 'domain.invisible_characters'
  /** params: domain */
  | 'domain.wildcard_position'
  /** params: domain, domainType */
  | 'domain.wildcard_not_allowed'
  /** params: domain, domainType */
  | 'domain.wildcard_required'
  /** params: domain (the later entry), duplicateOf (the earlier entry), both as typed */
  | 'domain.duplicate'
  /** params: quota, count */
  | 'domain.quota_exceeded'
  /** params: max, count */
  | 'domain.too_many_entries'
  /** no params */
  | 'domain.none';

export interface NormalizedDomain {
  /** ASCII (Punycode) form, lowercase, no trailing dot: what is sent to the CA. */
  readonly ascii: string;
  /** Unicode form of the same name, so a UI can show what `xn--` labels really spell. */
  readonly unicode: string;
  /** Leftmost label is `*`. */
  readonly wildcard: boolean;
}

// Whitespace without U+FEFF: JS `\s` and `trim()` treat the BOM as whitespace, and it must reach
// the invisible-character check instead of silently vanishing.
const SPACE =
  ' \\t\\n\\r\\f\\v\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
// ASCII and CJK list separators: comma, semicolon, full-width/ideographic/small commas, ；.
const SEPARATORS = new RegExp(
  `[${SPACE},;\\uff0c\\u3001\\uff64\\ufe50\\ufe51\\uff1b\\ufe54]+`,
  'u',
);
const EDGE_SPACE = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'gu');

// Format (Cf: ZWSP, ZWJ/ZWNJ, LRM/RLM, bidi embeddings/isolates, soft hyphen, BOM, tags),
// default-ignorables (variation selectors, CGJ, Hangul fillers) and controls (the URL parser drops
// tab/newline). UTS-46 maps several of these to nothing, so `exa\u200Bmple.com` would otherwise
// come out as `example.com`.
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\p{Cc}]/u;
// Dots UTS-46 maps to '.': ASCII, ideographic 。, full-width ．, half-width ｡.
const DOTS = /[.\u3002\uff0e\uff61]/u;
const TRAILING_DOT = /[.\u3002\uff0e\uff61]$/u;
// Before IDN mapping, ASCII may only be what a (wildcard) hostname uses; this keeps `%`, `/`, `?`,
// `#`, `@`, `:` and `\` away from the URL parser, which would decode or cut at them.
const ASCII_ALLOWED = /^[a-z0-9.*-]$/;
const LDH = /^[a-z0-9-]+$/;
// What the URL parser reads as an IPv4 part (decimal or 0x-hex), so also never a valid TLD.
const NUMERIC_PART = /^(?:[0-9]+|0x[0-9a-f]*)$/;
const IPV6_LIKE = /^\[?[0-9a-f:.]+\]?$/;
// A non-numeric last label appended before calling the URL parser, so it never tries to read the
// name as an IPv4 address (`a.123` fails, `127.1` becomes `127.0.0.1`); numeric TLDs and IP
// literals are judged here instead.
const SENTINEL = '.x';

/** Splits what a person typed in a modal (newlines, commas, spaces, Chinese commas/full-width separators) into entries; drops empties. */
export function splitDomainInput(text: string): string[] {
  return text.split(SEPARATORS).filter((entry) => entry !== '');
}

/** One name: trims, lowercases, removes one trailing dot, converts IDN to punycode (A-label), then checks it. Params always include the offending `domain` (as typed, truncated to ~100 chars). */
export function normalizeDomainName(input: string): Result<NormalizedDomain, DomainRefusalCode> {
  if (input.length > MAX_INPUT_LENGTH) {
    return refuse('domain.input_too_long', {
      domain: echo(input),
      length: input.length,
      max: MAX_INPUT_LENGTH,
    });
  }
  const typed = input.replace(EDGE_SPACE, '');
  const domain = echo(typed);
  if (typed === '') return refuse('domain.empty', { domain });

  const invisible = INVISIBLE.exec(typed);
  if (invisible) {
    return refuse('domain.invisible_characters', {
      domain,
      codePoint: codePointName(invisible[0]),
    });
  }

  // ASCII letters only: UTS-46 does the rest, and JS toLowerCase() differs from it (it turns a
  // word-final Σ into ς where UTS-46 gives σ, a different name).
  const lowered = typed.replace(/[A-Z]+/g, (s) => s.toLowerCase()).replace(TRAILING_DOT, '');
  if (lowered === '') return refuse('domain.empty', { domain });

  const rawLabels = lowered.split(DOTS);
  for (const ch of lowered) {
    if (ch.charCodeAt(0) < 0x80 && !ASCII_ALLOWED.test(ch)) {
      if (ch === ':' || ch === '[') {
        if (IPV6_LIKE.test(lowered) && countOf(lowered, ':') >= 2) {
          return refuse('domain.ip_address', { domain });
        }
      }
      const label = rawLabels.find((l) => l.includes(ch)) ?? lowered;
      return refuse('domain.invalid_characters', { domain, label });
    }
  }
  if (rawLabels.includes('')) return refuse('domain.empty_label', { domain });

  const mapped = domainToASCII(lowered + SENTINEL);
  if (!mapped.endsWith(SENTINEL)) return diagnoseMappingFailure(domain, lowered, rawLabels);
  const ascii = mapped.slice(0, -SENTINEL.length);
  const labels = ascii.split('.');
  // A mapping that adds or removes a dot (e.g. U+2488 `⒈` → `1.`) changes what the name means.
  if (labels.length !== rawLabels.length) {
    return refuse('domain.invalid_characters', { domain, label: lowered });
  }
  if (labels.includes('')) return refuse('domain.empty_label', { domain });

  if (labels.length <= 4 && labels.every((l) => NUMERIC_PART.test(l))) {
    return refuse('domain.ip_address', { domain });
  }

  const wildcard = labels[0] === '*';
  const hostLabels = wildcard ? labels.slice(1) : labels;
  if (hostLabels.some((l) => l.includes('*')))
    return refuse('domain.wildcard_position', { domain });
  // `*.com` would cover a whole TLD: a wildcard needs a registrable name under it.
  if (wildcard && hostLabels.length < 2) return refuse('domain.wildcard_position', { domain });
  if (hostLabels.length < 2) return refuse('domain.single_label', { domain });

  for (const label of hostLabels) {
    const refusal = checkLabel(domain, label);
    if (refusal) return refusal;
  }

  const tld = hostLabels[hostLabels.length - 1] ?? '';
  if (NUMERIC_PART.test(tld)) return refuse('domain.numeric_tld', { domain, label: tld });

  if (ascii.length > MAX_DOMAIN_LENGTH) {
    return refuse('domain.too_long', { domain, length: ascii.length, max: MAX_DOMAIN_LENGTH });
  }

  const unicode = domainToUnicode(ascii + SENTINEL).slice(0, -SENTINEL.length);
  return ok({ ascii, unicode, wildcard });
}

/** The whole binding: each name valid, wildcard policy of the domain type, no duplicates (after normalization: 'Example.com', 'example.com.', the unicode and punycode forms of one IDN are the same name), count ≤ quota, at least one. Returns the normalized ascii names in input order. */
export function validateDomainBinding(
  inputs: readonly string[],
  domainType: DomainType,
  quota: number,
): Result<string[], DomainRefusalCode> {
  assertQuota(quota);
  if (inputs.length === 0) return refuse('domain.none');
  // Count checks come first: they are cheap and make a flood of entries cost nothing.
  if (inputs.length > quota) {
    return refuse('domain.quota_exceeded', { quota, count: inputs.length });
  }
  if (inputs.length > MAX_BINDING_ENTRIES) {
    return refuse('domain.too_many_entries', { max: MAX_BINDING_ENTRIES, count: inputs.length });
  }

  const policy = wildcardPolicy(domainType);
  const firstTyped = new Map<string, string>();
  const names: string[] = [];
  for (const input of inputs) {
    const result = normalizeDomainName(input);
    if (!result.ok) return result;
    const { ascii, wildcard } = result.value;
    const domain = echo(input.replace(EDGE_SPACE, ''));
    if (wildcard && policy === 'forbidden') {
      return refuse('domain.wildcard_not_allowed', { domain, domainType });
    }
    if (!wildcard && policy === 'required') {
      return refuse('domain.wildcard_required', { domain, domainType });
    }
    const earlier = firstTyped.get(ascii);
    if (earlier !== undefined) return refuse('domain.duplicate', { domain, duplicateOf: earlier });
    firstTyped.set(ascii, domain);
    names.push(ascii);
  }
  return ok(names);
}

/** "You can enter N more domain(s)": quota minus entered, never below 0. */
export function remainingDomainSlots(quota: number, entered: number): number {
  assertQuota(quota);
  if (!Number.isSafeInteger(entered) || entered < 0) {
    throw new RangeError(`entered must be a non-negative integer, got ${entered}`);
  }
  return Math.max(0, quota - entered);
}

/** A quota comes from the purchased spec, never from the user: a bad one is a bug, not a refusal. */
function assertQuota(quota: number): void {
  if (!Number.isSafeInteger(quota) || quota < 1) {
    throw new RangeError(`domain quota must be a positive integer, got ${quota}`);
  }
}

function checkLabel(domain: string, label: string) {
  if (!LDH.test(label)) return refuse('domain.invalid_characters', { domain, label });
  if (label.length > MAX_LABEL_LENGTH) {
    return refuse('domain.label_too_long', {
      domain,
      label,
      length: label.length,
      max: MAX_LABEL_LENGTH,
    });
  }
  // R-LDH (RFC 5890 §2.3.1): `??--` is reserved for IDNA; `xn--` is the only prefix in use and
  // must be a real A-label, anything else is refused (registries do not delegate them either).
  // Checked before the hyphen edges so `xn--abc-` reads as bad Punycode, which it is.
  if (label.slice(2, 4) === '--') {
    if (!label.startsWith('xn--')) return refuse('domain.reserved_label', { domain, label });
    if (!isValidALabel(label)) return refuse('domain.invalid_punycode', { domain, label });
  }
  if (label.startsWith('-') || label.endsWith('-')) {
    return refuse('domain.invalid_label', { domain, label });
  }
  return undefined;
}

/**
 * An A-label must decode to something non-ASCII that encodes back to exactly itself: the URL
 * parser accepts `xn--abc-` (decodes to plain `abc`), which is not a valid A-label.
 */
function isValidALabel(label: string): boolean {
  const decoded = domainToUnicode(label + SENTINEL);
  if (!decoded.endsWith(SENTINEL)) return false;
  const ulabel = decoded.slice(0, -SENTINEL.length);
  return /[^\0-\x7f]/.test(ulabel) && domainToASCII(ulabel + SENTINEL) === label + SENTINEL;
}

/** The URL parser rejected the whole name: find the label it rejects on its own, if any. */
function diagnoseMappingFailure(domain: string, lowered: string, rawLabels: readonly string[]) {
  for (const label of rawLabels) {
    if (label === '*') continue;
    if (!domainToASCII(label + SENTINEL).endsWith(SENTINEL)) {
      return label.startsWith('xn--')
        ? refuse('domain.invalid_punycode', { domain, label })
        : refuse('domain.invalid_characters', { domain, label });
    }
  }
  return refuse('domain.invalid_characters', { domain, label: lowered });
}

/** Echo an entry back at most MAX_ECHO_LENGTH UTF-16 units long, never splitting a surrogate pair. */
function echo(text: string): string {
  if (text.length <= MAX_ECHO_LENGTH) return text;
  let cut = MAX_ECHO_LENGTH - 1;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

function codePointName(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

function countOf(text: string, ch: string): number {
  return text.split(ch).length - 1;
}

/**
 * Whether a certificate naming `certNames` (normalized ASCII) covers `domain`: an exact name, or
 * a wildcard one label deep (`*.example.com` covers `a.example.com`, not `example.com` nor
 * `a.b.example.com`), as TLS clients match (RFC 6125 §6.4.3).
 */
export function certificateCovers(certNames: readonly string[], domain: string): boolean {
  if (certNames.includes(domain)) return true;
  if (domain.startsWith('*.')) return false;
  const dot = domain.indexOf('.');
  return dot > 0 && certNames.includes(`*${domain.slice(dot)}`);
}
