import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  brandFromIssuer,
  certificateNames,
  deriveDomainType,
  deriveValidationType,
  MAX_LIFETIME_DAYS,
} from '../../src/domain/certificate-facts.js';
import { DOMAIN_TYPES } from '../../src/domain/spec.js';

describe('validation type from policy OIDs', () => {
  it.each([
    [['2.23.140.1.1'], 'EV'],
    [['2.23.140.1.2.2'], 'OV'],
    [['2.23.140.1.2.3'], 'OV'], // IV is identity-validated: sold as OV
    [['2.23.140.1.2.1'], 'DV'],
    [['1.3.6.1.4.1.55555.1.1', '2.23.140.1.2.1'], 'DV'], // CA-specific OIDs are ignored
  ] as const)('%j → %s', (oids, expected) => {
    expect(deriveValidationType(oids)).toBe(expected);
  });

  it('takes the strongest of several, in any order', () => {
    expect(deriveValidationType(['2.23.140.1.2.1', '2.23.140.1.1', '2.23.140.1.2.2'])).toBe('EV');
    expect(deriveValidationType(['2.23.140.1.2.2', '2.23.140.1.2.1'])).toBe('OV');
  });

  it('says nothing without a CA/B Forum OID, including near misses and no extension', () => {
    expect(deriveValidationType(['2.23.140.1.1.1', '2.23.140.1.2', '2.23.140.1'])).toBeUndefined();
    expect(deriveValidationType([])).toBeUndefined();
    expect(deriveValidationType(undefined)).toBeUndefined();
  });
});

describe('names a certificate covers', () => {
  it('are its DNS SANs when it has any, whatever its CN says', () => {
    expect(certificateNames(['a.example.com', '*.example.com'], 'other.example')).toEqual([
      'a.example.com',
      '*.example.com',
    ]);
  });

  it('fall back to the CN, trimmed and lowercase, when there are no SANs (legacy)', () => {
    expect(certificateNames([], ' Legacy.Example.COM ')).toEqual(['legacy.example.com']);
  });

  it('are none without SANs and without a usable CN', () => {
    expect(certificateNames([], undefined)).toEqual([]);
    expect(certificateNames([], '   ')).toEqual([]);
  });

  it('do not alias the SAN list they were given', () => {
    const sans = ['a.example.com'];
    certificateNames(sans, undefined).push('b.example.com');
    expect(sans).toEqual(['a.example.com']);
  });
});

describe('domain type from names', () => {
  it.each([
    [['a.com'], 'single'],
    [['A.com', 'a.com'], 'single'],
    [['a.com', 'b.com'], 'multi'],
    [['www.a.com', 'a.com'], 'multi'],
    [['*.a.com'], 'wildcard'],
    [['*.a.com', 'a.com'], 'wildcard'], // the base name comes with the wildcard product
    [['*.a.com', '*.b.com', 'b.com'], 'multi_wildcard'],
    [['*.a.com', 'b.com'], 'hybrid'],
    [['*.a.com', 'www.a.com'], 'hybrid'], // covered by the wildcard, but it takes a SAN slot
  ] as const)('%j → %s', (names, expected) => {
    expect(deriveDomainType(names)).toBe(expected);
  });

  const name = fc.constantFrom('a.com', 'A.com', 'b.com', '*.a.com', '*.b.com', 'www.a.com');

  it('depends on neither order, case nor repetition (property)', () => {
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 8 }), (names) => {
        const type = deriveDomainType(names);
        expect(DOMAIN_TYPES).toContain(type);
        expect(deriveDomainType([...names].reverse())).toBe(type);
        expect(deriveDomainType(names.map((n) => n.toUpperCase()))).toBe(type);
        expect(deriveDomainType([...names, ...names])).toBe(type);
      }),
    );
  });

  it('is a wildcard type exactly when a wildcard name is present (property)', () => {
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 8 }), (names) => {
        const wild = ['wildcard', 'multi_wildcard', 'hybrid'].includes(deriveDomainType(names));
        expect(wild).toBe(names.some((n) => n.startsWith('*.')));
      }),
    );
  });
});

describe('brand from the issuer', () => {
  it.each([
    ['DigiCert Inc', 'DigiCert Global G2 TLS RSA SHA256 2020 CA1', 'DigiCert'],
    ['DigiCert Inc', 'GeoTrust TLS RSA CA G1', 'GeoTrust'], // the sub-brand lives in the CN
    ['DigiCert Inc', 'RapidSSL TLS RSA CA G1', 'RapidSSL'],
    ['GlobalSign nv-sa', 'AlphaSSL CA - SHA256 - G4', 'AlphaSSL'],
    ['COMODO CA Limited', 'COMODO RSA Domain Validation Secure Server CA', 'Sectigo'],
    ['Let’s Encrypt', 'E6', "Let's Encrypt"], // typographic apostrophe
    ['iTrusChina Co.,Ltd.', 'vTrus ECC DV SSL CA', 'vTrus'],
    ['China Financial Certification Authority', 'CFCA OV OCA', 'CFCA'],
    [undefined, 'Amazon RSA 2048 M02', 'Amazon'], // the CN alone can name it
  ])('O=%j CN=%j → %j', (organization, commonName, expected) => {
    expect(brandFromIssuer(organization, commonName)).toBe(expected);
  });

  it('keeps an unknown issuer’s O, trimmed, and has none without an O', () => {
    expect(brandFromIssuer('  Acme Internal CA  ', 'Acme Issuing CA 1')).toBe('Acme Internal CA');
    expect(brandFromIssuer(undefined, 'Some CA')).toBeUndefined();
    expect(brandFromIssuer('   ', 'Some CA')).toBeUndefined();
    expect(brandFromIssuer(undefined, undefined)).toBeUndefined();
  });
});

describe('lifetime', () => {
  it('is at most 398 days for a publicly trusted certificate (CA/B Forum)', () => {
    expect(MAX_LIFETIME_DAYS).toBe(398);
  });
});
