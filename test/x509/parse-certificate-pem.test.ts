import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  brandFromIssuer,
  containsPrivateKey,
  deriveDomainType,
  deriveValidationType,
  looksLikePrivateKeyDer,
  MAX_CERTIFICATES,
  MAX_PEM_INPUT_BYTES,
  type ParsedUpload,
  type PemRefusalCode,
  parseCertificatePem,
  readCertificateDer,
} from '../../src/x509/parse-certificate-pem.js';

// Fixtures are valid 2025-01-01 .. 2125-01-01; a fixed `now` keeps the tests from rotting.
const NOW = new Date('2026-06-01T00:00:00Z');
const VALID_FROM = new Date('2025-01-01T00:00:00Z');
const VALID_TO = new Date('2125-01-01T00:00:00Z');

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/x509/${name}.pem`, import.meta.url), 'utf8');
}

const ROOT = fixture('root-ca');
const INTERMEDIATE = fixture('intermediate-ca');
const BRAND_INTERMEDIATE = fixture('brand-intermediate-ca');
const LEAF = fixture('leaf-wildcard');

function parse(input: string, now = NOW) {
  return parseCertificatePem(input, { now });
}

function accepted(input: string, now = NOW): ParsedUpload {
  const result = parse(input, now);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.refusal)}`);
  return result.value;
}

function refusal(input: string, now = NOW) {
  const result = parse(input, now);
  if (result.ok) throw new Error('expected a refusal');
  return result.refusal;
}

function warningCodes(upload: ParsedUpload): string[] {
  return upload.warnings.map((w) => w.code);
}

/** The base64 body of a PEM: armour, RFC 1421 headers and blank lines removed. */
function bareBody(pem: string): string {
  return pem
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('-----') && !l.includes(':'))
    .join('\n');
}

function derOf(pem: string): Buffer {
  return Buffer.from(bareBody(pem).replace(/\s+/g, ''), 'base64');
}

function armour(der: Uint8Array, label = 'CERTIFICATE'): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

// Keys are generated at test time: no key material is ever committed.
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');
const dsa = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 224 });
const passphrase = 'test-only-passphrase';

const PRIVATE_KEY_PEMS: Record<string, string> = {
  'rsa pkcs8': rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  'rsa pkcs1': rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
  'ec sec1': ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string,
  'ec pkcs8': ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  'ed25519 pkcs8': ed.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  'dsa pkcs8': dsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  'encrypted pkcs8': rsa.privateKey.export({
    type: 'pkcs8',
    format: 'pem',
    cipher: 'aes-256-cbc',
    passphrase,
  }) as string,
  'encrypted ec pkcs8': ec.privateKey.export({
    type: 'pkcs8',
    format: 'pem',
    cipher: 'aes-128-cbc',
    passphrase,
  }) as string,
};
// Legacy OpenSSL encryption: the body is ciphertext, so only its armour can give it away.
const LEGACY_ENCRYPTED_PKCS1 = rsa.privateKey.export({
  type: 'pkcs1',
  format: 'pem',
  cipher: 'aes-128-cbc',
  passphrase,
}) as string;

const PRIVATE_KEY_DERS: Record<string, Buffer> = {
  'rsa pkcs8': rsa.privateKey.export({ type: 'pkcs8', format: 'der' }),
  'rsa pkcs1': rsa.privateKey.export({ type: 'pkcs1', format: 'der' }),
  'ec sec1': ec.privateKey.export({ type: 'sec1', format: 'der' }),
  'ed25519 pkcs8': ed.privateKey.export({ type: 'pkcs8', format: 'der' }),
};

const PUBLIC_KEY_PEMS: Record<string, string> = {
  'rsa spki': rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  'rsa pkcs1': rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string,
  'ec spki': ec.publicKey.export({ type: 'spki', format: 'pem' }) as string,
  'ed25519 spki': ed.publicKey.export({ type: 'spki', format: 'pem' }) as string,
};

/** Not a usable key, only its shape: "openssh-key-v1\0" followed by random bytes. */
function fakeOpenSshBody(): string {
  const bytes = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    Buffer.from(rsa.publicKey.export({ type: 'spki', format: 'der' })),
  ]);
  return (bytes.toString('base64').match(/.{1,70}/g) ?? []).join('\n');
}

const ALL_FIXTURE_CERTS = [
  'root-ca',
  'intermediate-ca',
  'brand-intermediate-ca',
  'expired-intermediate-ca',
  'impostor-intermediate-ca',
  'leaf-wildcard',
  'leaf-rsa-ip',
  'leaf-ed25519',
  'leaf-ev',
  'leaf-ov',
  'leaf-iv',
  'leaf-dv',
  'leaf-bad-policies',
  'leaf-cn-only',
  'leaf-no-domains',
  'leaf-expired',
  'leaf-not-yet-valid',
  'leaf-self-signed',
  'leaf-under-expired-intermediate',
  'leaf-two-cns',
];

const REFUSAL_CODES: readonly PemRefusalCode[] = [
  'pem.too_large',
  'pem.private_key',
  'pem.no_certificate',
  'pem.malformed',
  'pem.csr_not_certificate',
  'pem.public_key_not_certificate',
  'pem.pkcs7_not_supported',
  'pem.too_many_certificates',
  'pem.leaf_is_ca',
  'pem.expired',
  'pem.no_domains',
];

describe('input size', () => {
  it('refuses input over the limit with its maximum', () => {
    expect(refusal(LEAF + ' '.repeat(MAX_PEM_INPUT_BYTES))).toEqual({
      code: 'pem.too_large',
      params: { maxBytes: MAX_PEM_INPUT_BYTES },
    });
  });

  it('counts UTF-8 bytes, not characters', () => {
    // 3 bytes per character: under the limit in characters, over it in bytes.
    const padding = '证'.repeat(Math.ceil((MAX_PEM_INPUT_BYTES - LEAF.length) / 3) + 1);
    expect(LEAF.length + padding.length).toBeLessThan(MAX_PEM_INPUT_BYTES);
    expect(refusal(LEAF + padding).code).toBe('pem.too_large');
  });

  it('accepts input of exactly the limit', () => {
    const input = LEAF + INTERMEDIATE;
    expect(accepted(input.padEnd(MAX_PEM_INPUT_BYTES, ' ')).leaf.dnsNames).toContain('example.com');
  });

  it('checks size before anything else: an oversize private key is "too large"', () => {
    const key = PRIVATE_KEY_PEMS['rsa pkcs8'] ?? '';
    expect(refusal(key + '\n'.repeat(MAX_PEM_INPUT_BYTES)).code).toBe('pem.too_large');
    expect(refusal(LEAF.repeat(100)).code).toBe('pem.too_large');
  });

  // No wall-clock bound (it flakes on a busy machine): a scan of 32 MB by a regex that
  // backtracks would run for minutes and hit the test timeout; speed is the benchmark's job.
  it('refuses a 32 MB paste as too large', () => {
    const huge = 'A'.repeat(32 * 1024 * 1024);
    expect(refusal(huge).code).toBe('pem.too_large');
  });
});

describe('private keys', () => {
  it.each(Object.entries(PRIVATE_KEY_PEMS))(
    'refuses an armoured %s key, alone or in a chain',
    (_, pem) => {
      expect(containsPrivateKey(pem)).toBe(true);
      expect(refusal(pem)).toEqual({ code: 'pem.private_key' });
      expect(refusal(LEAF + INTERMEDIATE + pem)).toEqual({ code: 'pem.private_key' });
      expect(refusal(`Subject: CN=x\n${pem.replaceAll('\n', '\r\n')}trailing words`).code).toBe(
        'pem.private_key',
      );
    },
  );

  it('refuses legacy encrypted PKCS#1 (Proc-Type header) by its armour', () => {
    expect(LEGACY_ENCRYPTED_PKCS1).toContain('Proc-Type: 4,ENCRYPTED');
    expect(refusal(LEAF + LEGACY_ENCRYPTED_PKCS1).code).toBe('pem.private_key');
  });

  it.each([
    '-----BEGIN PRIVATE KEY-----',
    '-----BEGIN RSA PRIVATE KEY-----',
    '-----BEGIN EC PRIVATE KEY-----',
    '-----BEGIN DSA PRIVATE KEY-----',
    '-----BEGIN ENCRYPTED PRIVATE KEY-----',
    '-----BEGIN OPENSSH PRIVATE KEY-----',
    '-----BEGIN PGP PRIVATE KEY BLOCK-----',
    '---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----',
    '-----begin rsa private key-----',
    '-----  BEGIN   RSA   PRIVATE   KEY  -----',
    '-----BEGIN\tEC\tPRIVATE KEY-----',
    '-----END PRIVATE KEY-----', // a paste cut before its BEGIN line
    'PuTTY-User-Key-File-3: ssh-ed25519',
    'Encryption: none\nPrivate-Lines: 1\nAAAA',
  ])('detects the armour %j anywhere in the text', (marker) => {
    expect(containsPrivateKey(`some text\n${marker}\nAAAA\n`)).toBe(true);
    expect(refusal(`${LEAF}\n${marker}\n`)).toEqual({ code: 'pem.private_key' });
  });

  it('refuses OpenSSH and PuTTY key files', () => {
    const openssh = `-----BEGIN OPENSSH PRIVATE KEY-----\n${fakeOpenSshBody()}\n-----END OPENSSH PRIVATE KEY-----\n`;
    expect(refusal(openssh).code).toBe('pem.private_key');
    const putty = `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: x\nPublic-Lines: 1\nAAAAC3NzaC1lZDI1NTE5\n`;
    expect(refusal(LEAF + putty).code).toBe('pem.private_key');
  });

  it.each(Object.entries(PRIVATE_KEY_PEMS))(
    'detects a bare %s key body without armour',
    (_, pem) => {
      const body = bareBody(pem);
      expect(containsPrivateKey(body)).toBe(true);
      expect(containsPrivateKey(`here it is: ${body.replaceAll('\n', ' ')} thanks`)).toBe(true);
      expect(containsPrivateKey(body.replaceAll('\n', ''))).toBe(true);
      // Only the first two lines, as when a paste is cut short: still a leaked key.
      expect(containsPrivateKey(body.split('\n').slice(0, 2).join('\n'))).toBe(true);
      expect(refusal(`${LEAF}\n${body}\n`)).toEqual({ code: 'pem.private_key' });
    },
  );

  it.each(Object.entries(PRIVATE_KEY_DERS))('detects %s DER as one base64 line', (_, der) => {
    expect(containsPrivateKey(der.toString('base64'))).toBe(true);
    expect(looksLikePrivateKeyDer(der)).toBe(true);
  });

  it('detects a bare OpenSSH key body', () => {
    expect(containsPrivateKey(fakeOpenSshBody())).toBe(true);
  });

  it('never echoes or keeps the key', () => {
    for (const pem of Object.values(PRIVATE_KEY_PEMS)) {
      const result = parse(LEAF + pem);
      const serialized = JSON.stringify(result);
      for (const line of bareBody(pem).split('\n')) expect(serialized).not.toContain(line);
      expect(result).toEqual({ ok: false, refusal: { code: 'pem.private_key' } });
    }
  });

  it('does not mistake certificates, CSRs or public keys for private keys', () => {
    for (const name of [...ALL_FIXTURE_CERTS, 'request.csr']) {
      const pem = fixture(name);
      expect(containsPrivateKey(pem), name).toBe(false);
      expect(containsPrivateKey(bareBody(pem)), name).toBe(false);
      expect(looksLikePrivateKeyDer(derOf(pem)), name).toBe(false);
    }
    for (const [name, pem] of Object.entries(PUBLIC_KEY_PEMS)) {
      expect(containsPrivateKey(pem), name).toBe(false);
      expect(containsPrivateKey(bareBody(pem)), name).toBe(false);
    }
  });

  it('does not flag prose about keys', () => {
    expect(containsPrivateKey('We will begin the private key rotation next week.')).toBe(false);
    expect(containsPrivateKey('BEGIN PRIVATE KEY handling is documented in the wiki')).toBe(false);
    expect(containsPrivateKey('MIIB is how a DER sequence usually starts')).toBe(false);
  });

  it('finds a key however it is surrounded (property)', () => {
    const keys = Object.values(PRIVATE_KEY_PEMS);
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...keys), fc.string(), (before, key, after) => {
        expect(containsPrivateKey(`${before}\n${key}\n${after}`)).toBe(true);
        expect(containsPrivateKey(`${before} ${bareBody(key)} ${after}`)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('inputs without a usable certificate', () => {
  it.each([
    ['empty', ''],
    ['prose', 'please track our certificate for shop.example.com'],
    ['unicode junk', '证书 🔐\u0000\u200b\ufeff ﷽ \ud800 Ω≈ç√'],
    ['bare base64 certificate without armour', bareBody(LEAF)],
    ['only an END line', '-----END CERTIFICATE-----'],
  ])('%s → pem.no_certificate', (_, input) => {
    expect(refusal(input)).toEqual({ code: 'pem.no_certificate' });
  });

  it('a CSR alone → pem.csr_not_certificate', () => {
    const csr = fixture('request.csr');
    expect(refusal(csr)).toEqual({ code: 'pem.csr_not_certificate' });
    expect(refusal(csr.replaceAll('CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST')).code).toBe(
      'pem.csr_not_certificate',
    );
  });

  it.each(Object.entries(PUBLIC_KEY_PEMS))(
    'a %s public key alone → pem.public_key_not_certificate',
    (_, pem) => {
      expect(refusal(pem)).toEqual({ code: 'pem.public_key_not_certificate' });
    },
  );

  it('a PKCS#7 bundle → pem.pkcs7_not_supported', () => {
    expect(refusal('-----BEGIN PKCS7-----\nMIIB\n-----END PKCS7-----\n').code).toBe(
      'pem.pkcs7_not_supported',
    );
  });

  it('ignores a CSR next to a certificate, with a warning', () => {
    const upload = accepted(`${LEAF}${fixture('request.csr')}`);
    expect(upload.warnings).toContainEqual({
      code: 'pem.ignored_block',
      params: { label: 'CERTIFICATE REQUEST' },
    });
  });
});

describe('malformed certificates', () => {
  const lines = LEAF.trimEnd().split('\n');

  it('a certificate cut off before its END line', () => {
    expect(refusal(lines.slice(0, 6).join('\n'))).toEqual({
      code: 'pem.malformed',
      params: { index: 1 },
    });
  });

  it('reports which certificate is broken (1-based)', () => {
    const cut = INTERMEDIATE.trimEnd().split('\n').slice(0, 5).join('\n');
    expect(refusal(`${LEAF}${cut}`)).toEqual({ code: 'pem.malformed', params: { index: 2 } });
    expect(refusal(`${LEAF}${cut}\n${ROOT}`)).toEqual({
      code: 'pem.malformed',
      params: { index: 2 },
    });
  });

  it('a body missing lines, whole or part', () => {
    const withoutLine = [...lines.slice(0, 3), ...lines.slice(4)].join('\n');
    expect(refusal(withoutLine).code).toBe('pem.malformed');
    const shortLast = [...lines.slice(0, -2), (lines.at(-2) ?? '').slice(0, 8), lines.at(-1)].join(
      '\n',
    );
    expect(refusal(shortLast).code).toBe('pem.malformed');
  });

  it('characters that are not base64', () => {
    const bad = [
      lines[0],
      `${(lines[1] ?? '').slice(0, 10)}*${(lines[1] ?? '').slice(11)}`,
      ...lines.slice(2),
    ];
    expect(refusal(bad.join('\n')).code).toBe('pem.malformed');
  });

  it('valid base64 that is not a certificate', () => {
    expect(refusal(armour(Buffer.from('definitely not DER, just words'))).code).toBe(
      'pem.malformed',
    );
    expect(refusal(armour(derOf(fixture('request.csr')))).code).toBe('pem.malformed');
    expect(refusal(armour(Buffer.alloc(0))).code).toBe(
      'pem.no_certificate'.replace('no_certificate', 'malformed'),
    );
  });

  it('bytes trailing the certificate', () => {
    const der = Buffer.concat([derOf(LEAF), Buffer.from([0x00, 0x00])]);
    expect(refusal(armour(der)).code).toBe('pem.malformed');
  });

  it('an END line for another label', () => {
    expect(refusal(LEAF.replace('END CERTIFICATE', 'END CERTIFICATE REQUEST')).code).toBe(
      'pem.malformed',
    );
  });
});

describe('certificate count', () => {
  it(`refuses more than ${MAX_CERTIFICATES} certificates`, () => {
    expect(refusal(LEAF.repeat(MAX_CERTIFICATES + 1))).toEqual({
      code: 'pem.too_many_certificates',
      params: { max: MAX_CERTIFICATES, count: MAX_CERTIFICATES + 1 },
    });
  });

  it('counts blocks before decoding them', () => {
    expect(refusal('-----BEGIN CERTIFICATE-----\n!!\n'.repeat(MAX_CERTIFICATES + 1)).code).toBe(
      'pem.too_many_certificates',
    );
  });

  it(`accepts ${MAX_CERTIFICATES}, flagging duplicates`, () => {
    const upload = accepted(LEAF + INTERMEDIATE.repeat(MAX_CERTIFICATES - 1));
    expect(upload.chain).toHaveLength(1);
    expect(upload.warnings).toEqual([
      { code: 'pem.duplicate_certificates', params: { count: MAX_CERTIFICATES - 2 } },
    ]);
  });
});

describe('leaf rules', () => {
  it('a CA certificate as leaf → pem.leaf_is_ca', () => {
    expect(refusal(INTERMEDIATE)).toEqual({ code: 'pem.leaf_is_ca' });
    expect(refusal(ROOT + INTERMEDIATE)).toEqual({ code: 'pem.leaf_is_ca' });
  });

  it('points at the end-entity certificate when the chain came reversed', () => {
    expect(refusal(ROOT + INTERMEDIATE + LEAF)).toEqual({
      code: 'pem.leaf_is_ca',
      params: { endEntityIndex: 3 },
    });
  });

  it('an expired leaf → pem.expired with its notAfter', () => {
    expect(refusal(fixture('leaf-expired') + INTERMEDIATE)).toEqual({
      code: 'pem.expired',
      params: { notAfter: '2021-01-01T00:00:00.000Z' },
    });
  });

  it('expires at notAfter itself, not a moment later', () => {
    expect(refusal(LEAF, VALID_TO)).toEqual({
      code: 'pem.expired',
      params: { notAfter: VALID_TO.toISOString() },
    });
    expect(accepted(LEAF, new Date(VALID_TO.getTime() - 1)).leaf.notAfter).toEqual(VALID_TO);
  });

  it('accepts a not-yet-valid leaf with a warning', () => {
    const upload = accepted(fixture('leaf-not-yet-valid') + INTERMEDIATE);
    expect(upload.warnings).toEqual([
      { code: 'pem.not_yet_valid', params: { notBefore: '2100-01-01T00:00:00.000Z' } },
    ]);
    const early = accepted(LEAF + INTERMEDIATE, new Date('2024-12-31T23:59:59Z'));
    expect(warningCodes(early)).toEqual(['pem.not_yet_valid']);
  });

  it('no DNS SAN and no CN → pem.no_domains', () => {
    expect(refusal(fixture('leaf-no-domains') + INTERMEDIATE)).toEqual({ code: 'pem.no_domains' });
  });

  it('takes the last, most specific CN when there are several', () => {
    const upload = accepted(fixture('leaf-two-cns') + INTERMEDIATE);
    expect(upload.leaf.subjectCommonName).toBe('www.example.net');
    expect(upload.leaf.subject).toBe('O=Example, CN=example.net, CN=www.example.net');
  });

  it('falls back to the CN when there is no SAN', () => {
    const upload = accepted(fixture('leaf-cn-only') + INTERMEDIATE);
    expect(upload.leaf.dnsNames).toEqual([]);
    expect(upload.leaf.subjectCommonName).toBe('legacy.example.com');
    expect(upload.derived.domainType).toBe('single');
  });
});

describe('certificate fields', () => {
  it('reads the leaf of a full chain', () => {
    const upload = accepted(LEAF + INTERMEDIATE + ROOT);
    const node = new X509Certificate(LEAF);
    expect(upload.leaf).toEqual({
      subjectCommonName: '*.example.com',
      subject: 'C=CN, O=Example, CN=*.example.com',
      issuer: 'C=CN, O=CertOps Test CA, CN=CertOps Test Intermediate CA',
      issuerOrganization: 'CertOps Test CA',
      dnsNames: ['*.example.com', 'example.com'],
      ipAddresses: [],
      serialNumber: node.serialNumber.toUpperCase(),
      fingerprintSha256: node.fingerprint256,
      notBefore: VALID_FROM,
      notAfter: VALID_TO,
      keyType: 'ec',
      keyBits: 256,
      keyCurve: 'prime256v1',
      isCa: false,
      pem: LEAF,
    });
    expect(upload.leaf.serialNumber).toMatch(/^[0-9A-F]+$/);
    expect(upload.leaf.fingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('lowercases and deduplicates DNS names in order, and reads IP SANs', () => {
    const upload = accepted(fixture('leaf-rsa-ip') + INTERMEDIATE);
    expect(upload.leaf.dnsNames).toEqual(['www.example.com', 'api.example.com']);
    expect(upload.leaf.ipAddresses).toEqual(['192.0.2.10', '2001:db8::1']);
    expect(upload.leaf).toMatchObject({ keyType: 'rsa', keyBits: 2048 });
    expect(upload.leaf.keyCurve).toBeUndefined();
    expect(upload.derived.domainType).toBe('multi');
  });

  it('reads key types', () => {
    const upload = accepted(fixture('leaf-ed25519') + INTERMEDIATE + ROOT);
    expect(upload.leaf.keyType).toBe('ed25519');
    expect(upload.leaf.keyBits).toBeUndefined();
    expect(upload.chain.map((c) => [c.keyType, c.keyBits, c.keyCurve, c.isCa])).toEqual([
      ['ec', 384, 'secp384r1', true],
      ['rsa', 2048, undefined, true],
    ]);
  });

  it('normalizes each PEM to a single clean block', () => {
    const messy = `  ${LEAF.replaceAll('\n', '\r\n    ')}`;
    const upload = accepted(messy + INTERMEDIATE);
    expect(upload.leaf.pem).toBe(LEAF);
    expect(upload.chain[0]?.pem).toBe(INTERMEDIATE);
  });
});

describe('tolerant input', () => {
  const expected = accepted(LEAF + INTERMEDIATE);

  it.each([
    ['CRLF line endings', (LEAF + INTERMEDIATE).replaceAll('\n', '\r\n')],
    ['CR-only line endings', (LEAF + INTERMEDIATE).replaceAll('\n', '\r')],
    [
      'openssl text before each block and chatter after',
      `subject=C = CN, O = Example, CN = *.example.com\nissuer=C = CN, O = CertOps Test CA\n${LEAF}\n` +
        ` 1 s:CN = CertOps Test Intermediate CA\n   i:CN = CertOps Test Root CA\n${INTERMEDIATE}\nThanks!`,
    ],
    ['one line, as a chat client may join it', (LEAF + INTERMEDIATE).replaceAll('\n', ' ')],
    ['no separators at all', (LEAF + INTERMEDIATE).replaceAll('\n', '')],
    ['indented, as in YAML', (LEAF + INTERMEDIATE).replaceAll('\n', '\n\t  ')],
    [
      'lower-case armour with extra spaces',
      (LEAF + INTERMEDIATE).replaceAll(
        '-----BEGIN CERTIFICATE-----',
        '-----  begin  certificate -----',
      ),
    ],
  ])('%s', (_, input) => {
    const upload = accepted(input);
    expect(upload.leaf.fingerprintSha256).toBe(expected.leaf.fingerprintSha256);
    expect(upload.chain.map((c) => c.fingerprintSha256)).toEqual(
      expected.chain.map((c) => c.fingerprintSha256),
    );
    expect(upload.warnings).toEqual([]);
  });
});

describe('chain', () => {
  const fp = (pem: string) => new X509Certificate(pem).fingerprint256;

  it('keeps an ordered chain as given', () => {
    const upload = accepted(LEAF + INTERMEDIATE + ROOT);
    expect(upload.chain.map((c) => c.fingerprintSha256)).toEqual([fp(INTERMEDIATE), fp(ROOT)]);
    expect(upload.warnings).toEqual([]);
  });

  it('reorders an out-of-order chain and says so', () => {
    const upload = accepted(LEAF + ROOT + INTERMEDIATE);
    expect(upload.chain.map((c) => c.fingerprintSha256)).toEqual([fp(INTERMEDIATE), fp(ROOT)]);
    expect(warningCodes(upload)).toEqual(['pem.chain_reordered']);
  });

  it('drops certificates that are not on the leaf issuer path', () => {
    const upload = accepted(LEAF + BRAND_INTERMEDIATE + INTERMEDIATE + fixture('leaf-ov'));
    expect(upload.chain.map((c) => c.fingerprintSha256)).toEqual([fp(INTERMEDIATE)]);
    expect(upload.warnings).toEqual([{ code: 'pem.chain_unrelated', params: { count: 2 } }]);
  });

  it('warns when the leaf issuer is missing', () => {
    expect(accepted(LEAF).warnings).toEqual([{ code: 'pem.chain_incomplete' }]);
    const wrong = accepted(LEAF + BRAND_INTERMEDIATE);
    expect(wrong.chain).toEqual([]);
    expect(warningCodes(wrong)).toEqual(['pem.chain_incomplete', 'pem.chain_unrelated']);
  });

  it('checks the signature, not just the issuer name', () => {
    const impostor = fixture('impostor-intermediate-ca');
    // The impostor passes checkIssued (same DN, no key id to compare): only verify() catches it.
    expect(new X509Certificate(LEAF).checkIssued(new X509Certificate(impostor))).toBe(true);
    const upload = accepted(LEAF + impostor);
    expect(upload.chain).toEqual([]);
    expect(warningCodes(upload)).toEqual(['pem.chain_incomplete', 'pem.chain_unrelated']);
    expect(accepted(LEAF + impostor + INTERMEDIATE).chain.map((c) => c.fingerprintSha256)).toEqual([
      fp(INTERMEDIATE),
    ]);
  });

  it('warns about an expired issuer', () => {
    const upload = accepted(
      fixture('leaf-under-expired-intermediate') + fixture('expired-intermediate-ca') + ROOT,
    );
    expect(upload.chain).toHaveLength(2);
    expect(upload.warnings).toEqual([
      { code: 'pem.chain_expired', params: { index: 2, notAfter: '2021-01-01T00:00:00.000Z' } },
    ]);
  });

  it('recognises a self-signed leaf', () => {
    const alone = accepted(fixture('leaf-self-signed'));
    expect(alone.warnings).toEqual([{ code: 'pem.leaf_self_signed' }]);
    expect(alone.derived.brand).toBeUndefined();
    const withOthers = accepted(fixture('leaf-self-signed') + INTERMEDIATE);
    expect(warningCodes(withOthers)).toEqual(['pem.leaf_self_signed', 'pem.chain_unrelated']);
    expect(withOthers.chain).toEqual([]);
  });
});

describe('derived spec fields', () => {
  it.each([
    ['leaf-ev', 'EV', 'single'],
    ['leaf-ov', 'OV', 'multi'],
    ['leaf-iv', 'OV', 'hybrid'],
    ['leaf-dv', 'DV', 'multi_wildcard'],
  ])('%s → %s, %s, brand from the issuer CN', (name, validationType, domainType) => {
    const upload = accepted(fixture(name) + BRAND_INTERMEDIATE);
    expect(upload.derived).toEqual({ validationType, domainType, brand: 'GeoTrust' });
    expect(upload.warnings).toEqual([]);
  });

  it('has no validation type without policies, or with an unreadable policies extension', () => {
    expect(accepted(LEAF + INTERMEDIATE).derived).toEqual({
      domainType: 'wildcard',
      brand: 'CertOps Test CA',
    });
    const bad = accepted(fixture('leaf-bad-policies') + INTERMEDIATE);
    expect(bad.derived.validationType).toBeUndefined();
    expect(readCertificateDer(derOf(fixture('leaf-bad-policies')))?.policyOids).toBeUndefined();
    expect(readCertificateDer(derOf(fixture('leaf-ov')))?.policyOids).toEqual([
      '1.3.6.1.4.1.55555.1.1',
      '2.23.140.1.2.2',
    ]);
  });

  it.each([
    [['2.23.140.1.1'], 'EV'],
    [['2.23.140.1.2.2'], 'OV'],
    [['2.23.140.1.2.3'], 'OV'],
    [['2.23.140.1.2.1'], 'DV'],
    [['2.23.140.1.2.1', '2.23.140.1.1'], 'EV'],
    [['2.23.140.1.2.1', '2.23.140.1.2.2'], 'OV'],
    [['2.16.840.1.114412.2.1'], undefined],
    [['2.23.140.1.1.1', '2.23.140.1.2'], undefined],
    [[], undefined],
    [undefined, undefined],
  ])('policies %j → %s', (oids, expected) => {
    expect(deriveValidationType(oids)).toBe(expected);
  });

  it.each([
    [['a.com'], 'single'],
    [['A.com', 'a.com'], 'single'],
    [['a.com', 'b.com'], 'multi'],
    [['www.a.com', 'a.com'], 'multi'],
    [['*.a.com'], 'wildcard'],
    [['*.a.com', 'a.com'], 'wildcard'],
    [['a.com', '*.a.com'], 'wildcard'],
    [['*.a.com', '*.b.com'], 'multi_wildcard'],
    [['*.a.com', 'a.com', '*.b.com', 'b.com'], 'multi_wildcard'],
    [['*.a.com', '*.x.a.com', 'x.a.com'], 'multi_wildcard'],
    [['*.a.com', 'b.com'], 'hybrid'],
    [['*.a.com', 'a.com', 'b.com'], 'hybrid'],
    [['*.a.com', 'www.a.com'], 'hybrid'],
    [['*.a.com', '*.b.com', 'c.com'], 'hybrid'],
  ])('names %j → %s', (names, expected) => {
    expect(deriveDomainType(names)).toBe(expected);
  });

  it.each([
    ['DigiCert Inc', 'DigiCert Global G2 TLS RSA SHA256 2020 CA1', 'DigiCert'],
    ['DigiCert Inc', 'GeoTrust TLS RSA CA G1', 'GeoTrust'],
    ['DigiCert Inc', 'RapidSSL TLS RSA CA G1', 'RapidSSL'],
    ['DigiCert, Inc.', 'Thawte TLS RSA CA G1', 'Thawte'],
    ['DigiCert Inc', 'Encryption Everywhere DV TLS CA - G2', 'DigiCert'],
    ['GlobalSign nv-sa', 'GlobalSign GCC R3 DV TLS CA 2020', 'GlobalSign'],
    ['GlobalSign nv-sa', 'AlphaSSL CA - SHA256 - G4', 'AlphaSSL'],
    ['Sectigo Limited', 'Sectigo RSA Domain Validation Secure Server CA', 'Sectigo'],
    ['COMODO CA Limited', 'COMODO RSA Domain Validation Secure Server CA', 'Sectigo'],
    ["Let's Encrypt", 'R11', "Let's Encrypt"],
    ['Let’s Encrypt', 'E6', "Let's Encrypt"],
    ['ZeroSSL', 'ZeroSSL RSA Domain Secure Site CA', 'ZeroSSL'],
    ['TrustAsia Technologies, Inc.', 'TrustAsia RSA DV TLS CA G2', 'TrustAsia'],
    ['iTrusChina Co.,Ltd.', 'vTrus ECC DV SSL CA', 'vTrus'],
    ['China Financial Certification Authority', 'CFCA OV OCA', 'CFCA'],
    ['Entrust, Inc.', 'Entrust Certification Authority - L1K', 'Entrust'],
    ['GoDaddy.com, Inc.', 'Go Daddy Secure Certificate Authority - G2', 'GoDaddy'],
    ['  Acme Internal CA  ', 'Acme Issuing CA 1', 'Acme Internal CA'],
    [undefined, 'Some CA', undefined],
    [undefined, undefined, undefined],
  ])('issuer O=%j CN=%j → brand %j', (organization, commonName, expected) => {
    expect(brandFromIssuer(organization, commonName)).toBe(expected);
  });
});

/** SEQUENCE { SEQUENCE { ... } } `depth` levels deep, every length correct. */
function nestedSequences(depth: number): number[] {
  let bytes = [0x30, 0x00];
  for (let i = 0; i < depth; i++) {
    bytes = [0x30, 0x82, bytes.length >> 8, bytes.length & 0xff, ...bytes];
  }
  return bytes;
}

describe('DER reader', () => {
  const fixtureDers = ALL_FIXTURE_CERTS.map((name) => derOf(fixture(name)));

  it('agrees with node on every fixture', () => {
    for (const name of ALL_FIXTURE_CERTS) {
      const node = new X509Certificate(fixture(name));
      const fields = readCertificateDer(node.raw);
      expect(fields, name).toBeDefined();
      const nodeDns = (node.subjectAltName ?? '')
        .split(', ')
        .filter((s) => s.startsWith('DNS:'))
        .map((s) => s.slice(4));
      expect(fields?.dnsNames, name).toEqual(nodeDns);
      expect(fields?.notBefore, name).toEqual(new Date(node.validFrom));
      expect(fields?.notAfter, name).toEqual(new Date(node.validTo));
      const nodeCn = node.subject
        .split('\n')
        .findLast((l) => l.startsWith('CN='))
        ?.slice(3);
      expect(fields?.subject.findLast((a) => a.oid === '2.5.4.3')?.value, name).toBe(nodeCn);
    }
  });

  it.each([
    ['empty', []],
    ['lone tag', [0x30]],
    ['length beyond the input', [0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x00]],
    ['five length bytes', [0x30, 0x85, 0x00, 0x00, 0x00, 0x00, 0x02]],
    ['indefinite length (BER)', [0x30, 0x80, 0x02, 0x01, 0x00, 0x00, 0x00]],
    ['high tag number', [0x3f, 0x81, 0x01, 0x00]],
    ['empty sequence', [0x30, 0x00]],
    ['sequence of empty sequences', [0x30, 0x06, 0x30, 0x00, 0x30, 0x00, 0x30, 0x00]],
    ['child overruns parent', [0x30, 0x04, 0x30, 0x05, 0x02, 0x01, 0x00]],
    ['deeply nested sequences', nestedSequences(2000)],
  ])('returns undefined for %s', (_, bytes) => {
    expect(readCertificateDer(Uint8Array.from(bytes))).toBeUndefined();
  });

  /** The DER with the first occurrence of `from` replaced by `to` (same length). */
  function patched(der: Buffer, from: string, to: string): Buffer {
    const at = der.indexOf(Buffer.from(from, 'latin1'));
    expect(at).toBeGreaterThan(0);
    const copy = Buffer.from(der);
    copy.write(to, at, 'latin1');
    return copy;
  }

  it('reads UTCTime with the RFC 5280 century rule', () => {
    const der = derOf(LEAF);
    expect(readCertificateDer(patched(der, '250101000000Z', '990101000000Z'))?.notBefore).toEqual(
      new Date('1999-01-01T00:00:00Z'),
    );
    expect(readCertificateDer(patched(der, '250101000000Z', '490101000000Z'))?.notBefore).toEqual(
      new Date('2049-01-01T00:00:00Z'),
    );
  });

  it.each([
    ['month 13', '251301000000Z'],
    ['30 February', '250230000000Z'],
    ['hour 24', '250101240000Z'],
    ['no Z', '2501010000000'],
    ['not digits', '25O101000000Z'],
  ])('refuses an invalid time: %s', (_, time) => {
    expect(readCertificateDer(patched(derOf(LEAF), '250101000000Z', time))).toBeUndefined();
  });

  it('does not read past an extension into the next one', () => {
    const der = derOf(fixture('leaf-rsa-ip'));
    // OID subjectAltName, OCTET STRING: the GeneralNames inside now claims 2 bytes more than it has.
    const at = der.indexOf(Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x11, 0x04]));
    expect(der[at + 7]).toBe(0x30);
    const broken = Buffer.from(der);
    broken[at + 8] = (broken[at + 8] ?? 0) + 2;
    const fields = readCertificateDer(broken);
    expect(fields?.dnsNames).toEqual([]);
    expect(fields?.ipAddresses).toEqual([]);
    expect(fields?.subject).toEqual([{ oid: '2.5.4.3', value: 'www.example.com' }]);
  });

  it('does not let one entry overrun its list', () => {
    const der = derOf(fixture('leaf-rsa-ip'));
    // The last SAN entry (IP 2001:db8::1, 16 bytes) now claims 18, reaching past the SAN list.
    const at = der.indexOf(Buffer.from([0x87, 0x10, 0x20, 0x01, 0x0d, 0xb8]));
    expect(at).toBeGreaterThan(0);
    const broken = Buffer.from(der);
    broken[at + 1] = 0x12;
    expect(readCertificateDer(broken)?.dnsNames).toEqual([]);
  });

  it('rejects trailing bytes and truncation', () => {
    const der = fixtureDers[0] ?? Buffer.alloc(0);
    expect(readCertificateDer(Buffer.concat([der, Buffer.from([0])]))).toBeUndefined();
    for (let cut = 0; cut < der.length; cut += 7) {
      expect(readCertificateDer(der.subarray(0, cut))).toBeUndefined();
    }
  });

  it('never throws on random bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        readCertificateDer(bytes);
        looksLikePrivateKeyDer(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on mutated certificates, and parsing them only refuses with known codes (property)', () => {
    const mutated = fc
      .tuple(
        fc.constantFrom(...fixtureDers),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.option(fc.nat(), { nil: undefined }),
        fc.option(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })), {
          nil: undefined,
        }),
      )
      .map(([der, edits, cut, insert]) => {
        let bytes = Buffer.from(der);
        for (const [at, value] of edits) bytes[at % bytes.length] = value;
        if (insert !== undefined) {
          const at = insert[0] % bytes.length;
          bytes = Buffer.concat([bytes.subarray(0, at), insert[1], bytes.subarray(at)]);
        }
        return cut === undefined ? bytes : bytes.subarray(0, cut % (bytes.length + 1));
      });
    fc.assert(
      fc.property(mutated, (bytes) => {
        readCertificateDer(bytes);
        const result = parse(armour(bytes));
        if (!result.ok) expect(REFUSAL_CODES).toContain(result.refusal.code);
      }),
      { numRuns: 600 },
    );
  });

  it('never throws on length bytes rewritten inside a certificate (property)', () => {
    // Aim at the header bytes, where a careless reader goes out of bounds.
    const der = derOf(fixture('leaf-ov'));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: der.length - 1 }),
        fc.constantFrom(0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x84, 0x85, 0xff),
        (at, value) => {
          const bytes = Buffer.from(der);
          bytes[at] = value;
          readCertificateDer(bytes);
          parse(armour(bytes));
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('hostile text', () => {
  it('never throws on arbitrary strings (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (text) => {
        const result = parse(text);
        expect(result.ok).toBe(false);
        containsPrivateKey(text);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on certificates with junk spliced in (property)', () => {
    const pem = LEAF + INTERMEDIATE;
    fc.assert(
      fc.property(fc.nat({ max: pem.length }), fc.string({ maxLength: 40 }), (at, junk) => {
        const result = parse(pem.slice(0, at) + junk + pem.slice(at));
        if (!result.ok) expect(REFUSAL_CODES).toContain(result.refusal.code);
      }),
      { numRuns: 400 },
    );
  });

  // A quadratic regex or scan would take seconds on these; linear code takes milliseconds.
  const size = MAX_PEM_INPUT_BYTES;
  it.each([
    ['dashes', '-'.repeat(size)],
    ['BEGIN markers', '-----BEGIN '.repeat(size / 11)],
    ['BEGIN with long label', `-----BEGIN ${'A'.repeat(size - 20)}`],
    ['armour then whitespace', `---${' '.repeat(size - 10)}`],
    ['armour words then whitespace', `-----BEGIN A${' '.repeat(size - 20)}B`],
    ['newlines', '\n'.repeat(size)],
    ['whitespace lines', ' \n'.repeat(size / 2)],
    ['Ms', 'M'.repeat(size)],
    ['spaced Ms', 'M '.repeat(size / 2)],
    ['DER-looking words', 'MIIB '.repeat(size / 5)],
    [
      'huge certificate body',
      `-----BEGIN CERTIFICATE-----\n${'A'.repeat(size - 60)}\n-----END CERTIFICATE-----`,
    ],
    ['certificate markers', '-----BEGIN CERTIFICATE-----'.repeat(Math.floor(size / 27))],
    ['private-lines lookalikes', ' \n Private-Line'.repeat(size / 15)],
  ])('comes back on %s (a backtracking scan would hit the test timeout)', (_, text) => {
    expect(parse(text).ok).toBe(false);
  });
});
