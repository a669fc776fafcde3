import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { AsnConvert, type IAsnParseOptions } from '@peculiar/asn1-schema';
import {
  Certificate,
  CertificatePolicies,
  type Extension,
  id_ce_certificatePolicies,
  id_ce_subjectAltName,
  type Name,
  SubjectAlternativeName,
  type TBSCertificate,
} from '@peculiar/asn1-x509';
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
  const read = readCertificate(Buffer.from(b64, 'base64'));
  if (read === undefined) return undefined;
  const { x509, fields } = read;
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
// Certificate DER: @peculiar/asn1-x509 for the structure node does not expose (name attributes,
// SANs, policy OIDs), node's X509Certificate (OpenSSL) for the validity and everything else.

const OID_CN = '2.5.4.3';
const OID_O = '2.5.4.10';
/** asn1js otherwise tries every OCTET/BIT STRING as nested DER; we parse the extensions we need. */
const PARSE_OPTIONS: IAsnParseOptions = { berOptions: { parseEmbedded: false } };

export interface NameAttribute {
  oid: string;
  value: string;
}

/** What parsing needs beyond node's X509Certificate strings: names, SANs, policies as data. */
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
 * Reads an X.509 certificate's DER. Undefined when the certificate itself is malformed (for
 * asn1-x509 or for OpenSSL), its validity times are invalid, or bytes trail it; a malformed SAN or
 * policies extension only leaves its own field empty. Never throws.
 */
export function readCertificateDer(der: Uint8Array): CertificateDerFields | undefined {
  return readCertificate(der)?.fields;
}

function readCertificate(
  der: Uint8Array,
): { x509: X509Certificate; fields: CertificateDerFields } | undefined {
  // asn1js and OpenSSL both stop after the first element: trailing bytes are refused here.
  if (!isOneDerElement(der)) return undefined;
  let tbs: TBSCertificate;
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der); // first: OpenSSL turns garbage away faster than asn1js
    tbs = AsnConvert.parse(der, Certificate, PARSE_OPTIONS).tbsCertificate;
  } catch {
    return undefined;
  }
  // asn1js rolls an invalid time over (month 13 becomes January) where OpenSSL refuses it.
  const notBefore = opensslTime(x509.validFrom);
  const notAfter = opensslTime(x509.validTo);
  if (notBefore === undefined || notAfter === undefined) return undefined;

  const fields: CertificateDerFields = {
    subject: nameAttributes(tbs.subject),
    issuer: nameAttributes(tbs.issuer),
    notBefore,
    notAfter,
    dnsNames: [],
    ipAddresses: [],
    policyOids: undefined,
  };
  // One extension at a time, so a malformed one costs only its own field. A repeated extension
  // (forbidden by RFC 5280) counts once, its first occurrence.
  const seen = new Set<string>();
  for (const ext of tbs.extensions ?? []) {
    if (seen.has(ext.extnID)) continue;
    seen.add(ext.extnID);
    if (ext.extnID === id_ce_subjectAltName) {
      for (const name of parseExtension(ext, SubjectAlternativeName) ?? []) {
        if (name.dNSName !== undefined) fields.dnsNames.push(name.dNSName);
        // Only 4- and 16-byte addresses: other lengths come back as CIDR or hex text.
        if (name.iPAddress !== undefined && isIP(name.iPAddress) !== 0) {
          fields.ipAddresses.push(name.iPAddress);
        }
      }
    }
    if (ext.extnID === id_ce_certificatePolicies) {
      fields.policyOids = parseExtension(ext, CertificatePolicies)?.map((p) => p.policyIdentifier);
    }
  }
  return { x509, fields };
}

function parseExtension<T>(ext: Extension, type: new () => T): T | undefined {
  const value = new Uint8Array(ext.extnValue.buffer);
  if (!isOneDerElement(value)) return undefined;
  try {
    return AsnConvert.parse(value, type, PARSE_OPTIONS);
  } catch {
    return undefined;
  }
}

/**
 * Node 20 has no `validFromDate`; its OpenSSL rendering ('Jan  1 00:00:00 2025 GMT') parses as a
 * Date, and an invalid time renders as 'Bad time value', which does not.
 */
function opensslTime(text: string): Date | undefined {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return undefined;
  date.setUTCMilliseconds(0); // RFC 5280 times are whole seconds; a stray fraction is dropped
  return date;
}

/** Attributes in DER order; string types asn1-x509 leaves undecoded (its `anyValue`) are skipped. */
function nameAttributes(name: Name): NameAttribute[] {
  return name.flatMap((rdn) =>
    rdn.flatMap((atv) =>
      atv.value.anyValue === undefined ? [{ oid: atv.type, value: atv.value.toString() }] : [],
    ),
  );
}

function firstValue(attrs: readonly NameAttribute[], oid: string): string | undefined {
  return attrs.find((a) => a.oid === oid)?.value;
}

/** The last CN is the most specific one (as Go and most TLS stacks read it). */
function lastValue(attrs: readonly NameAttribute[], oid: string): string | undefined {
  return attrs.findLast((a) => a.oid === oid)?.value;
}

// ---------------------------------------------------------------------------------------------
// DER headers: the private-key sniff reads them on truncated prefixes, where no parser helps;
// they also show whether bytes trail an element.

interface Header {
  tag: number;
  valueStart: number;
  length: number;
}

/** A TLV header only; the value may lie beyond `bytes`. Lengths are capped at 4 bytes. */
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

/** Whether `bytes` is exactly one definite-length element, nothing missing and nothing after. */
function isOneDerElement(bytes: Uint8Array): boolean {
  const header = readHeader(bytes, 0);
  return header !== undefined && header.valueStart + header.length === bytes.length;
}
