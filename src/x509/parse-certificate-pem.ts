import { X509Certificate } from 'node:crypto';
import {
  brandFromIssuer,
  certificateNames,
  deriveDomainType,
  deriveValidationType,
} from '../domain/certificate-facts.js';
import type { Result } from '../domain/result.js';
import { ok, refuse } from '../domain/result.js';
import type { DomainType, ValidationType } from '../domain/spec.js';

// Part of this module's API since before these rules moved to the domain.
export { brandFromIssuer, deriveDomainType, deriveValidationType };

/**
 * 64 KiB. A long chain is ~10 KB of PEM; people also paste the `openssl x509 -text` dump that
 * precedes each block (3-6 KB per certificate), so ten certificates with their dumps still fit.
 * Anything larger is not a certificate chain and would only buy an attacker parsing time.
 */
export const MAX_PEM_INPUT_BYTES = 64 * 1024;

/**
 * A served chain is 2-4 certificates; 10 leaves room for a root and cross-signs while bounding
 * the issuer search (at most n² cheap name checks, signatures only on name matches).
 */
export const MAX_CERTIFICATES = 10;

export type PemRefusalCode =
  | 'pem.too_large' // {maxBytes}
  | 'pem.private_key'
  | 'pem.no_certificate'
  | 'pem.malformed' // {index}: 1-based position among the CERTIFICATE blocks
  | 'pem.csr_not_certificate'
  | 'pem.public_key_not_certificate'
  | 'pem.pkcs7_not_supported'
  | 'pem.too_many_certificates' // {max, count}
  | 'pem.leaf_is_ca' // {endEntityIndex} only when a later certificate is the end entity
  | 'pem.expired' // {notAfter}
  | 'pem.no_domains';

export type PemWarningCode =
  | 'pem.not_yet_valid' // {notBefore}
  | 'pem.leaf_self_signed'
  | 'pem.chain_incomplete' // the leaf's issuer is not in the upload
  | 'pem.chain_reordered'
  | 'pem.chain_unrelated' // {count}: dropped, they are not on the leaf's issuer path
  | 'pem.chain_expired' // {index, notAfter}: an issuer on the path has expired
  | 'pem.duplicate_certificates' // {count}
  | 'pem.ignored_block'; // {label}: e.g. a CSR pasted next to the certificate

export interface PemWarning {
  code: PemWarningCode;
  params?: Record<string, string | number>;
}

export interface ParsedCertificate {
  subjectCommonName: string | undefined;
  /** Node's one-attribute-per-line rendering joined with ', ', e.g. 'C=CN, O=Example, CN=a.example'. */
  subject: string;
  issuer: string;
  issuerOrganization: string | undefined;
  /** SAN dNSName entries, lowercase, in order, deduplicated. */
  dnsNames: string[];
  /** SAN iPAddress entries; IPv6 in RFC 5952 form. */
  ipAddresses: string[];
  /** Uppercase hex. */
  serialNumber: string;
  /** 'AB:CD:...' as node gives it. */
  fingerprintSha256: string;
  notBefore: Date;
  notAfter: Date;
  keyType: 'rsa' | 'ec' | 'ed25519' | 'ed448' | 'rsa-pss' | 'dsa' | string;
  keyBits?: number;
  keyCurve?: string;
  isCa: boolean;
  /** Normalized PEM of this one certificate. */
  pem: string;
}

export interface ParsedUpload {
  leaf: ParsedCertificate;
  /** The leaf's issuer path as found in the upload, leaf's issuer first. */
  chain: ParsedCertificate[];
  derived: { validationType?: ValidationType; domainType: DomainType; brand?: string };
  warnings: PemWarning[];
}

export function parseCertificatePem(
  input: string,
  options: { now: Date },
): Result<ParsedUpload, PemRefusalCode> {
  if (typeof input !== 'string') return refuse('pem.no_certificate');
  // Size first, before any regex runs. UTF-8 never needs fewer bytes than UTF-16 code units, so
  // the O(1) length test already rejects most oversize input without scanning it.
  if (
    input.length > MAX_PEM_INPUT_BYTES ||
    Buffer.byteLength(input, 'utf8') > MAX_PEM_INPUT_BYTES
  ) {
    return refuse('pem.too_large', { maxBytes: MAX_PEM_INPUT_BYTES });
  }
  // No params: the refusal must never carry any part of the key.
  if (containsPrivateKey(input)) return refuse('pem.private_key');

  const blocks = extractPemBlocks(input);
  const certBlocks = blocks.filter((b) => CERTIFICATE_LABELS.has(b.label));
  const otherLabels = blocks.filter((b) => !CERTIFICATE_LABELS.has(b.label)).map((b) => b.label);
  if (certBlocks.length === 0) {
    if (otherLabels.some((l) => CSR_LABELS.has(l))) return refuse('pem.csr_not_certificate');
    if (otherLabels.some((l) => PUBLIC_KEY_LABELS.has(l))) {
      return refuse('pem.public_key_not_certificate');
    }
    if (otherLabels.some((l) => PKCS7_LABELS.has(l))) return refuse('pem.pkcs7_not_supported');
    return refuse('pem.no_certificate');
  }
  // Counted before decoding anything, so a flood of blocks costs no certificate parsing.
  if (certBlocks.length > MAX_CERTIFICATES) {
    return refuse('pem.too_many_certificates', {
      max: MAX_CERTIFICATES,
      count: certBlocks.length,
    });
  }

  const certs: LoadedCertificate[] = [];
  for (const [i, block] of certBlocks.entries()) {
    const loaded = block.complete ? loadCertificate(block.body, i + 1) : undefined;
    if (loaded === undefined) return refuse('pem.malformed', { index: i + 1 });
    certs.push(loaded);
  }

  const leaf = certs[0];
  if (leaf === undefined) return refuse('pem.no_certificate'); // unreachable: certBlocks is non-empty
  const now = options.now.getTime();
  if (leaf.parsed.isCa) {
    const endEntity = certs.findIndex((c) => !c.parsed.isCa);
    return endEntity > 0
      ? refuse('pem.leaf_is_ca', { endEntityIndex: endEntity + 1 })
      : refuse('pem.leaf_is_ca');
  }
  if (leaf.parsed.notAfter.getTime() <= now) {
    return refuse('pem.expired', { notAfter: leaf.parsed.notAfter.toISOString() });
  }
  const names = certificateNames(leaf.parsed.dnsNames, leaf.parsed.subjectCommonName);
  if (names.length === 0) return refuse('pem.no_domains');

  const warnings: PemWarning[] = [];
  if (leaf.parsed.notBefore.getTime() > now) {
    warnings.push({
      code: 'pem.not_yet_valid',
      params: { notBefore: leaf.parsed.notBefore.toISOString() },
    });
  }
  const chain = buildChain(certs, warnings);
  for (const c of chain) {
    if (c.parsed.notAfter.getTime() <= now) {
      warnings.push({
        code: 'pem.chain_expired',
        params: { index: c.index, notAfter: c.parsed.notAfter.toISOString() },
      });
    }
  }
  for (const label of new Set(otherLabels)) {
    warnings.push({ code: 'pem.ignored_block', params: { label } });
  }

  const validationType = deriveValidationType(leaf.policyOids);
  const brand = brandFromIssuer(leaf.parsed.issuerOrganization, leaf.issuerCommonName);
  return ok({
    leaf: leaf.parsed,
    chain: chain.map((c) => c.parsed),
    derived: {
      ...(validationType === undefined ? {} : { validationType }),
      domainType: deriveDomainType(names),
      ...(brand === undefined ? {} : { brand }),
    },
    warnings,
  });
}

// ---------------------------------------------------------------------------------------------
// Private keys

/**
 * Any PEM-style private-key armour, BEGIN or END (a paste may be cut at either end): PKCS#8,
 * encrypted PKCS#8, RSA/EC/DSA traditional, OPENSSH, PGP "PRIVATE KEY BLOCK", SSH2 (4 dashes).
 * Requiring dashes keeps prose such as "begin the private key rotation" out; a key whose armour
 * was stripped is still caught by the bare-DER sniff below.
 */
const PRIVATE_KEY_ARMOUR = /-{3}\s*(?:BEGIN|END)\s+(?:[A-Z0-9]{1,32}\s+){0,4}PRIVATE[\s_-]*KEY/i;
// [ \t] rather than \s after ^ in multiline mode: \s* would rescan newline runs (quadratic).
const PUTTY_KEY = /PuTTY-User-Key-File|^[ \t]*Private-Lines[ \t]*:/im;
/** base64 of "openssh-key-v1": the body of an OpenSSH private key without its armour. */
const OPENSSH_KEY_BODY = 'b3BlbnNzaC1rZXktdjE';
const BASE64_RUN = /[A-Za-z0-9+/]+/g;
const WHITESPACE_ONLY = /^\s*$/;

/**
 * Whether `text` holds a private key in any form we can recognise: armoured, PuTTY, or bare
 * base64 DER (PKCS#8, encrypted PKCS#8, PKCS#1, SEC1, DSA, PKCS#12) or a bare OpenSSH body.
 * Exported because every free-text modal field should refuse keys, not only certificate uploads.
 */
export function containsPrivateKey(text: string): boolean {
  return PRIVATE_KEY_ARMOUR.test(text) || PUTTY_KEY.test(text) || containsBareKeyBase64(text);
}

/**
 * Bare keys are found by sniffing the DER header of base64 runs, not by `crypto.createPrivateKey`:
 * a header test needs no crypto work per run, also catches encrypted PKCS#8 (which cannot load
 * without its passphrase) and truncated pastes (which fail to load but still leak the key).
 * Certificates, CSRs, public keys and PKCS#7 never start with these headers.
 */
function containsBareKeyBase64(text: string): boolean {
  // A wrapped key is several base64 runs split by line breaks, so runs separated only by
  // whitespace form one group; every run in it that starts like a key is a candidate start.
  // One pass over the text, at most 96 chars (72 bytes of header) decoded per candidate.
  let group = '';
  let candidates: number[] = [];
  let lastEnd = -1;
  const groupHasKey = (): boolean =>
    candidates.some((at) => {
      const head = group.slice(at, at + 96);
      if (head.startsWith(OPENSSH_KEY_BODY)) return true;
      if (head.length < 24) return false;
      return looksLikePrivateKeyDer(
        Buffer.from(head.slice(0, head.length - (head.length % 4)), 'base64'),
      );
    });
  for (const m of text.matchAll(BASE64_RUN)) {
    const start = m.index ?? 0;
    if (lastEnd < 0 || !WHITESPACE_ONLY.test(text.slice(lastEnd, start))) {
      if (groupHasKey()) return true;
      group = '';
      candidates = [];
    }
    // DER SEQUENCE (0x30) always encodes to a leading 'M'.
    if (m[0].startsWith('M') || m[0].startsWith('b3Bl')) candidates.push(group.length);
    group += m[0];
    lastEnd = start + m[0].length;
  }
  return groupHasKey();
}

const OID_PREFIX_PKCS5 = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05];
const OID_PREFIX_PKCS12_PBE = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x01];
const OID_PREFIX_PKCS7 = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07];

/** Header test on a possibly truncated DER prefix; exported for tests. */
export function looksLikePrivateKeyDer(bytes: Uint8Array): boolean {
  const outer = readHeader(bytes, 0);
  // The smallest real key (Ed25519 PKCS#8) has 46 content bytes.
  if (outer === undefined || outer.tag !== 0x30 || outer.length < 40) return false;
  const first = readHeader(bytes, outer.valueStart);
  if (first === undefined) return false;
  if (first.tag === 0x30) {
    // EncryptedPrivateKeyInfo: SEQUENCE { SEQUENCE { OID pkcs5/pkcs12 PBE, ... }, OCTET STRING }
    const oid = readHeader(bytes, first.valueStart);
    return (
      oid !== undefined &&
      oid.tag === 0x06 &&
      (startsWithBytes(bytes, oid.valueStart, OID_PREFIX_PKCS5) ||
        startsWithBytes(bytes, oid.valueStart, OID_PREFIX_PKCS12_PBE))
    );
  }
  if (first.tag !== 0x02 || first.length !== 1) return false;
  const version = bytes[first.valueStart];
  const second = readHeader(bytes, first.valueStart + 1);
  if (version === undefined || second === undefined) return false;
  if ((version === 0 || version === 1) && second.tag === 0x30) {
    // PKCS#8 PrivateKeyInfo / OneAsymmetricKey: version, AlgorithmIdentifier { OID, ... }
    return readHeader(bytes, second.valueStart)?.tag === 0x06;
  }
  // PKCS#1 RSAPrivateKey and OpenSSL's DSA key: version 0 then INTEGERs.
  if (version === 0 && second.tag === 0x02) return second.length > 0;
  // SEC1 ECPrivateKey: version 1, OCTET STRING privateKey (16-66 bytes for real curves).
  if (version === 1 && second.tag === 0x04) return second.length >= 16 && second.length <= 72;
  // PKCS#12 PFX: version 3, ContentInfo { OID pkcs7-*, ... }: a key bundle.
  if (version === 3 && second.tag === 0x30) {
    const oid = readHeader(bytes, second.valueStart);
    return (
      oid !== undefined &&
      oid.tag === 0x06 &&
      startsWithBytes(bytes, oid.valueStart, OID_PREFIX_PKCS7)
    );
  }
  return false;
}

function startsWithBytes(bytes: Uint8Array, offset: number, prefix: readonly number[]): boolean {
  if (offset + prefix.length > bytes.length) return false;
  return prefix.every((b, i) => bytes[offset + i] === b);
}

// ---------------------------------------------------------------------------------------------
// PEM blocks

const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE']);
const CSR_LABELS = new Set(['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);
const PUBLIC_KEY_LABELS = new Set(['PUBLIC KEY', 'RSA PUBLIC KEY']);
const PKCS7_LABELS = new Set(['PKCS7', 'PKCS #7 SIGNED DATA', 'CMS']);

/**
 * Armour lines anywhere, tolerant of case and extra spaces, also when a chat client joined the
 * whole PEM into one line. Bounded words keep the regex linear.
 */
const ARMOUR = /-----\s*(BEGIN|END)\s+([A-Za-z0-9#]{1,32}(?:\s+[A-Za-z0-9#]{1,32}){0,5})\s*-----/gi;

interface PemBlock {
  label: string;
  body: string;
  /** False when the block has no matching END before the next BEGIN or the end of input. */
  complete: boolean;
}

function extractPemBlocks(text: string): PemBlock[] {
  const markers = Array.from(text.matchAll(ARMOUR), (m) => ({
    kind: m[1]?.toUpperCase(),
    label: (m[2] ?? '').toUpperCase().replace(/\s+/g, ' '),
    start: m.index ?? 0,
    end: (m.index ?? 0) + m[0].length,
  }));
  const blocks: PemBlock[] = [];
  for (let i = 0; i < markers.length; i++) {
    const begin = markers[i];
    if (begin === undefined || begin.kind !== 'BEGIN') continue; // stray END: ignore
    const next = markers[i + 1];
    const closes = next !== undefined && next.kind === 'END' && next.label === begin.label;
    blocks.push({
      label: begin.label,
      body: text.slice(begin.end, next?.start ?? text.length),
      complete: closes,
    });
    if (closes) i++;
  }
  return blocks;
}

const STRICT_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

interface LoadedCertificate {
  /** 1-based position among the uploaded CERTIFICATE blocks. */
  index: number;
  x509: X509Certificate;
  parsed: ParsedCertificate;
  policyOids: string[] | undefined;
  issuerCommonName: string | undefined;
}

function loadCertificate(body: string, index: number): LoadedCertificate | undefined {
  const b64 = body.replace(/\s+/g, '');
  if (b64.length % 4 !== 0 || !STRICT_BASE64.test(b64)) return undefined;
  const der = Buffer.from(b64, 'base64');
  // Our own structural read first: it rejects trailing bytes and truncation before OpenSSL sees it.
  const fields = readCertificateDer(der);
  if (fields === undefined) return undefined;
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    return undefined;
  }
  const key = describeKey(x509);
  const parsed: ParsedCertificate = {
    subjectCommonName: lastValue(fields.subject, OID_CN),
    subject: x509.subject.replaceAll('\n', ', '),
    issuer: x509.issuer.replaceAll('\n', ', '),
    issuerOrganization: firstValue(fields.issuer, OID_O),
    dnsNames: [...new Set(fields.dnsNames.map((n) => n.toLowerCase()))],
    ipAddresses: fields.ipAddresses,
    serialNumber: x509.serialNumber.toUpperCase(),
    fingerprintSha256: x509.fingerprint256,
    notBefore: fields.notBefore,
    notAfter: fields.notAfter,
    keyType: key.keyType,
    ...(key.keyBits === undefined ? {} : { keyBits: key.keyBits }),
    ...(key.keyCurve === undefined ? {} : { keyCurve: key.keyCurve }),
    isCa: x509.ca,
    pem: x509.toString(),
  };
  return {
    index,
    x509,
    parsed,
    policyOids: fields.policyOids,
    issuerCommonName: lastValue(fields.issuer, OID_CN),
  };
}

const CURVE_BITS: Readonly<Record<string, number>> = {
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
  SM2: 256,
};

function describeKey(x509: X509Certificate): {
  keyType: string;
  keyBits?: number;
  keyCurve?: string;
} {
  try {
    const key = x509.publicKey;
    const keyType = key.asymmetricKeyType ?? 'unknown';
    const details = key.asymmetricKeyDetails ?? {};
    if (details.modulusLength !== undefined) return { keyType, keyBits: details.modulusLength };
    if (details.namedCurve !== undefined) {
      const bits = CURVE_BITS[details.namedCurve];
      return bits === undefined
        ? { keyType, keyCurve: details.namedCurve }
        : { keyType, keyBits: bits, keyCurve: details.namedCurve };
    }
    return { keyType };
  } catch {
    // OpenSSL parsed the certificate but node cannot represent its key (e.g. GOST).
    return { keyType: 'unknown' };
  }
}

// ---------------------------------------------------------------------------------------------
// Chain

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    // checkIssued compares names, key ids and key usage only; the signature proves it.
    return child.checkIssued(parent) && child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

/** Not via checkIssued: a self-signed leaf lacks keyCertSign, which checkIssued demands. */
function selfSigned(cert: X509Certificate): boolean {
  try {
    return cert.subject === cert.issuer && cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}

/**
 * Builds the leaf's issuer path from whatever order the certificates came in (reordering is
 * trivial with at most 10 certificates), drops duplicates and certificates off the path, and
 * reports each of those as a warning.
 */
function buildChain(certs: LoadedCertificate[], warnings: PemWarning[]): LoadedCertificate[] {
  const [leaf, ...others] = certs;
  if (leaf === undefined) return [];
  const seen = new Set([leaf.parsed.fingerprintSha256]);
  const rest: LoadedCertificate[] = [];
  for (const c of others) {
    if (seen.has(c.parsed.fingerprintSha256)) continue;
    seen.add(c.parsed.fingerprintSha256);
    rest.push(c);
  }
  const duplicates = others.length - rest.length;
  if (duplicates > 0)
    warnings.push({ code: 'pem.duplicate_certificates', params: { count: duplicates } });

  const chain: LoadedCertificate[] = [];
  if (selfSigned(leaf.x509)) {
    warnings.push({ code: 'pem.leaf_self_signed' });
  } else {
    let current = leaf;
    // Each step removes one certificate from `rest`, so this ends after at most rest.length steps.
    while (rest.length > 0) {
      const at = rest.findIndex((c) => issuedBy(current.x509, c.x509));
      const next = at < 0 ? undefined : rest.splice(at, 1)[0];
      if (next === undefined) break;
      chain.push(next);
      current = next;
      if (selfSigned(next.x509)) break; // reached a root
    }
    if (chain.length === 0) warnings.push({ code: 'pem.chain_incomplete' });
  }
  if (chain.some((c, i) => i > 0 && c.index < (chain[i - 1]?.index ?? 0))) {
    warnings.push({ code: 'pem.chain_reordered' });
  }
  if (rest.length > 0)
    warnings.push({ code: 'pem.chain_unrelated', params: { count: rest.length } });
  return chain;
}

// ---------------------------------------------------------------------------------------------
// Bounded DER reader. Every read checks its bounds against its parent, lengths are capped at
// 4 bytes, and every loop advances by at least one 2-byte header, so malformed input yields
// `undefined`, never an exception or an endless loop.

interface Header {
  tag: number;
  valueStart: number;
  length: number;
}

interface Tlv {
  tag: number;
  valueStart: number;
  end: number;
}

/** A TLV header only; the value may lie beyond `bytes` (used on truncated prefixes). */
function readHeader(bytes: Uint8Array, offset: number): Header | undefined {
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  if (tag === undefined || length === undefined || (tag & 0x1f) === 0x1f) return undefined;
  let valueStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) return undefined; // indefinite (BER) or absurd
    length = 0;
    for (let i = 0; i < count; i++) {
      const b = bytes[valueStart + i];
      if (b === undefined) return undefined;
      length = length * 256 + b;
    }
    valueStart += count;
  }
  return { tag, valueStart, length };
}

function readTlv(bytes: Uint8Array, offset: number, limit: number): Tlv | undefined {
  const h = readHeader(bytes, offset);
  if (h === undefined || h.valueStart > limit || h.length > limit - h.valueStart) return undefined;
  return { tag: h.tag, valueStart: h.valueStart, end: h.valueStart + h.length };
}

function childrenOf(bytes: Uint8Array, parent: Tlv): Tlv[] | undefined {
  const out: Tlv[] = [];
  let at = parent.valueStart;
  while (at < parent.end) {
    const child = readTlv(bytes, at, parent.end);
    if (child === undefined) return undefined;
    out.push(child);
    at = child.end; // > at: a header is at least 2 bytes
  }
  return out;
}

/** The only TLV in `bytes[offset, end)`, of the given tag. */
function single(bytes: Uint8Array, offset: number, end: number, tag: number): Tlv | undefined {
  const t = readTlv(bytes, offset, end);
  return t !== undefined && t.tag === tag && t.end === end ? t : undefined;
}

const OID_CN = '2.5.4.3';
const OID_O = '2.5.4.10';
const OID_SAN = '2.5.29.17';
const OID_POLICIES = '2.5.29.32';

export interface NameAttribute {
  oid: string;
  value: string;
}

/** What we read from the certificate's DER ourselves (node's X509Certificate does not expose it). */
export interface CertificateDerFields {
  subject: NameAttribute[];
  issuer: NameAttribute[];
  notBefore: Date;
  notAfter: Date;
  dnsNames: string[];
  ipAddresses: string[];
  /** Undefined when the certificatePolicies extension is absent or unreadable. */
  policyOids: string[] | undefined;
}

/**
 * Reads an X.509 certificate's DER. Undefined when the skeleton (TBSCertificate down to the
 * subject, validity included) is malformed or bytes trail it; a malformed extension only leaves
 * its own field empty. Never throws.
 */
export function readCertificateDer(der: Uint8Array): CertificateDerFields | undefined {
  const cert = single(der, 0, der.length, 0x30);
  if (cert === undefined) return undefined;
  const certParts = childrenOf(der, cert);
  const tbs = certParts?.[0];
  if (certParts === undefined || certParts.length !== 3 || tbs?.tag !== 0x30) return undefined;
  const fields = childrenOf(der, tbs);
  if (fields === undefined) return undefined;
  const base = fields[0]?.tag === 0xa0 ? 1 : 0; // explicit version is optional (v1)
  const [serial, , issuerTlv, validityTlv, subjectTlv, spki] = fields.slice(base);
  if (serial?.tag !== 0x02 || spki?.tag !== 0x30) return undefined;
  const issuer = readName(der, issuerTlv);
  const subject = readName(der, subjectTlv);
  const validity = readValidity(der, validityTlv);
  if (issuer === undefined || subject === undefined || validity === undefined) return undefined;

  const out: CertificateDerFields = {
    subject,
    issuer,
    ...validity,
    dnsNames: [],
    ipAddresses: [],
    policyOids: undefined,
  };
  const extensionsTlv = fields.slice(base + 6).find((f) => f.tag === 0xa3);
  const extensionList =
    extensionsTlv && single(der, extensionsTlv.valueStart, extensionsTlv.end, 0x30);
  const extensions = extensionList ? (childrenOf(der, extensionList) ?? []) : [];
  const done = new Set<string>();
  for (const ext of extensions) {
    const parts = ext.tag === 0x30 ? childrenOf(der, ext) : undefined;
    const oid = parts?.[0] ? decodeOid(der, parts[0]) : undefined;
    const value = parts?.[parts.length - 1];
    if (oid === undefined || value?.tag !== 0x04 || done.has(oid)) continue;
    done.add(oid);
    if (oid === OID_SAN) readSubjectAltName(der, value, out);
    if (oid === OID_POLICIES) out.policyOids = readPolicies(der, value);
  }
  return out;
}

function readName(der: Uint8Array, name: Tlv | undefined): NameAttribute[] | undefined {
  if (name?.tag !== 0x30) return undefined;
  const rdns = childrenOf(der, name);
  if (rdns === undefined) return undefined;
  const out: NameAttribute[] = [];
  for (const rdn of rdns) {
    const atvs = rdn.tag === 0x31 ? childrenOf(der, rdn) : undefined;
    if (atvs === undefined) return undefined;
    for (const atv of atvs) {
      const parts = atv.tag === 0x30 ? childrenOf(der, atv) : undefined;
      const oid = parts?.[0] ? decodeOid(der, parts[0]) : undefined;
      if (parts?.length !== 2 || oid === undefined || parts[1] === undefined) return undefined;
      const value = decodeString(der, parts[1]);
      if (value !== undefined) out.push({ oid, value }); // unknown string types are skipped
    }
  }
  return out;
}

function readValidity(
  der: Uint8Array,
  validity: Tlv | undefined,
): { notBefore: Date; notAfter: Date } | undefined {
  const times = validity?.tag === 0x30 ? childrenOf(der, validity) : undefined;
  if (times?.length !== 2 || times[0] === undefined || times[1] === undefined) return undefined;
  const notBefore = decodeTime(der, times[0]);
  const notAfter = decodeTime(der, times[1]);
  return notBefore && notAfter ? { notBefore, notAfter } : undefined;
}

function readSubjectAltName(der: Uint8Array, octets: Tlv, out: CertificateDerFields): void {
  const names = single(der, octets.valueStart, octets.end, 0x30);
  for (const name of (names && childrenOf(der, names)) ?? []) {
    const raw = der.subarray(name.valueStart, name.end);
    if (name.tag === 0x82) out.dnsNames.push(Buffer.from(raw).toString('latin1'));
    if (name.tag === 0x87) {
      const ip = formatIp(raw);
      if (ip !== undefined) out.ipAddresses.push(ip);
    }
  }
}

function readPolicies(der: Uint8Array, octets: Tlv): string[] | undefined {
  const policies = single(der, octets.valueStart, octets.end, 0x30);
  const infos = policies && childrenOf(der, policies);
  if (infos === undefined) return undefined;
  const oids: string[] = [];
  for (const info of infos) {
    const first = info.tag === 0x30 ? childrenOf(der, info)?.[0] : undefined;
    const oid = first && decodeOid(der, first);
    if (oid === undefined) return undefined;
    oids.push(oid);
  }
  return oids;
}

function decodeOid(der: Uint8Array, tlv: Tlv): string | undefined {
  if (tlv.tag !== 0x06 || tlv.end <= tlv.valueStart || tlv.end - tlv.valueStart > 64) {
    return undefined;
  }
  const arcs: number[] = [];
  let value = 0;
  let pending = false;
  for (let i = tlv.valueStart; i < tlv.end; i++) {
    const b = der[i] ?? 0;
    if (value > 2 ** 45) return undefined; // keep arcs exact as JS numbers
    value = value * 128 + (b & 0x7f);
    pending = (b & 0x80) !== 0;
    if (!pending) {
      arcs.push(value);
      value = 0;
    }
  }
  const head = arcs[0];
  if (pending || head === undefined) return undefined;
  const top = head < 40 ? 0 : head < 80 ? 1 : 2;
  return [top, head - top * 40, ...arcs.slice(1)].join('.');
}

function decodeString(der: Uint8Array, tlv: Tlv): string | undefined {
  const raw = Buffer.from(der.subarray(tlv.valueStart, tlv.end));
  switch (tlv.tag) {
    case 0x0c: // UTF8String
      return raw.toString('utf8');
    case 0x12: // NumericString
    case 0x13: // PrintableString
    case 0x14: // TeletexString (treated as Latin-1, as OpenSSL does)
    case 0x16: // IA5String
    case 0x1a: // VisibleString
      return raw.toString('latin1');
    case 0x1e: // BMPString: UTF-16BE
      return raw.length % 2 === 0 ? Buffer.from(raw).swap16().toString('utf16le') : undefined;
    case 0x1c: {
      // UniversalString: UTF-32BE
      if (raw.length % 4 !== 0) return undefined;
      let s = '';
      for (let i = 0; i < raw.length; i += 4) {
        const cp = raw.readUInt32BE(i);
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    default:
      return undefined;
  }
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d{1,9})?Z$/;

function decodeTime(der: Uint8Array, tlv: Tlv): Date | undefined {
  if (tlv.end - tlv.valueStart > 32) return undefined;
  const text = Buffer.from(der.subarray(tlv.valueStart, tlv.end)).toString('latin1');
  const m =
    tlv.tag === 0x17 ? UTC_TIME.exec(text) : tlv.tag === 0x18 ? GENERALIZED_TIME.exec(text) : null;
  if (m === null) return undefined;
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = m.slice(1, 7).map(Number);
  // RFC 5280: UTCTime years 50-99 are 19xx, 00-49 are 20xx.
  const year = tlv.tag === 0x17 ? (y < 50 ? 2000 + y : 1900 + y) : y;
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, s));
  // Reject what Date.UTC would silently roll over (month 13, 31 February, hour 24 ...).
  const valid =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === mo - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s;
  return valid ? date : undefined;
}

function formatIp(raw: Uint8Array): string | undefined {
  if (raw.length === 4) return Array.from(raw).join('.');
  if (raw.length !== 16) return undefined;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((raw[i] ?? 0) << 8) | (raw[i + 1] ?? 0));
  // RFC 5952: compress the longest run (length >= 2) of zero groups, the first one on a tie.
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function firstValue(attrs: readonly NameAttribute[], oid: string): string | undefined {
  return attrs.find((a) => a.oid === oid)?.value;
}

/** The last CN is the most specific one (as Go and most TLS stacks read it). */
function lastValue(attrs: readonly NameAttribute[], oid: string): string | undefined {
  return attrs.findLast((a) => a.oid === oid)?.value;
}
