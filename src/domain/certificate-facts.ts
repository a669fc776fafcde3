import type { DomainType, ValidationType } from './spec.js';

/**
 * What a certificate's own fields mean for us: the spec it was sold as (validation type, domain
 * type, brand), the names it covers, and the longest lifetime a public CA may give it. Pure: the
 * x509 adapter reads the fields, these rules interpret them.
 */

/** Longest validity a publicly trusted TLS certificate may have (CA/B Forum, 398 days). */
export const MAX_LIFETIME_DAYS = 398;

const POLICY_EV = '2.23.140.1.1';
const POLICY_OV = '2.23.140.1.2.2';
const POLICY_IV = '2.23.140.1.2.3';
const POLICY_DV = '2.23.140.1.2.1';

/**
 * From the CA/Browser Forum reserved policy OIDs, which the Baseline Requirements make mandatory
 * in subscriber certificates. IV (individual validated) counts as OV: the CA vetted the
 * subscriber's identity, so it is an identity-validated product, and our spec has no IV level.
 * If a certificate (wrongly) asserts several, the strongest wins. CA-specific OIDs are ignored.
 */
export function deriveValidationType(
  policyOids: readonly string[] | undefined,
): ValidationType | undefined {
  if (policyOids === undefined) return undefined;
  if (policyOids.includes(POLICY_EV)) return 'EV';
  if (policyOids.includes(POLICY_OV) || policyOids.includes(POLICY_IV)) return 'OV';
  if (policyOids.includes(POLICY_DV)) return 'DV';
  return undefined;
}

/** The names a certificate covers: its DNS SANs, or its CN when it has none (legacy). */
export function certificateNames(
  dnsNames: readonly string[],
  subjectCommonName: string | undefined,
): string[] {
  if (dnsNames.length > 0) return [...dnsNames];
  const cn = subjectCommonName?.trim().toLowerCase();
  return cn ? [cn] : [];
}

/**
 * Domain type as sold: a wildcard product includes its own base name (`*.a.com` + `a.com`), so
 * bases do not count as extra names. Any other plain name next to a wildcard makes it hybrid,
 * even one the wildcard would match (`www.a.com`), because it still occupies a SAN slot.
 */
export function deriveDomainType(names: readonly string[]): DomainType {
  const unique = [...new Set(names.map((n) => n.toLowerCase()))];
  const wildcards = unique.filter((n) => n.startsWith('*.'));
  const bases = new Set(wildcards.map((w) => w.slice(2)));
  const plain = unique.filter((n) => !n.startsWith('*.') && !bases.has(n));
  if (wildcards.length === 0) return plain.length <= 1 ? 'single' : 'multi';
  if (plain.length > 0) return 'hybrid';
  return wildcards.length === 1 ? 'wildcard' : 'multi_wildcard';
}

/**
 * Substring (case-insensitive) → brand, sub-brands before their parents: GeoTrust, RapidSSL and
 * Thawte intermediates carry O="DigiCert Inc" and name the brand only in their CN, AlphaSSL is
 * GlobalSign's, vTrus is iTrusChina's.
 */
const BRANDS: ReadonlyArray<readonly [needle: string, brand: string]> = [
  ['rapidssl', 'RapidSSL'],
  ['geotrust', 'GeoTrust'],
  ['thawte', 'Thawte'],
  ['digicert', 'DigiCert'],
  ['alphassl', 'AlphaSSL'],
  ['globalsign', 'GlobalSign'],
  ['sectigo', 'Sectigo'],
  ['comodo', 'Sectigo'], // Comodo CA renamed itself Sectigo in 2018; renewals are sold as Sectigo
  ["let's encrypt", "Let's Encrypt"],
  ['letsencrypt', "Let's Encrypt"],
  ['zerossl', 'ZeroSSL'],
  ['trustasia', 'TrustAsia'],
  ['vtrus', 'vTrus'],
  ['cfca', 'CFCA'],
  ['china financial certification authority', 'CFCA'],
  ['entrust', 'Entrust'],
  ['godaddy', 'GoDaddy'],
  ['starfield', 'Starfield'],
  ['google trust services', 'Google Trust Services'],
  ['amazon', 'Amazon'],
  ['certum', 'Certum'],
  ['ssl.com', 'SSL.com'],
  ['wotrus', 'WoTrus'],
  ['identrust', 'IdenTrust'],
  ['buypass', 'Buypass'],
];

/**
 * The CA brand from the issuer's O and CN (the CN carries the sub-brand for DigiCert's
 * families); unknown issuers keep their O as-is, or undefined when there is none.
 */
export function brandFromIssuer(
  organization: string | undefined,
  commonName: string | undefined,
): string | undefined {
  const haystack = `${commonName ?? ''}\n${organization ?? ''}`.toLowerCase().replaceAll('’', "'");
  for (const [needle, brand] of BRANDS) {
    if (haystack.includes(needle)) return brand;
  }
  const org = organization?.trim();
  return org ? org : undefined;
}
