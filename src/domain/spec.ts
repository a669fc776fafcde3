/**
 * A certificate's spec: what was bought. Renewal must match it exactly (seed 000, step 6:
 * 域名类型、证书类型、证书等级、证书品牌).
 */
export const VALIDATION_TYPES = ['DV', 'OV', 'EV'] as const;
export type ValidationType = (typeof VALIDATION_TYPES)[number];

/**
 * Domain types as the certificate service sells them (CAS DomainType ONE / MULTIPLE / WILDCARD /
 * M_WILDCARD / MIX). `hybrid` binds single and wildcard names together.
 */
export const DOMAIN_TYPES = ['single', 'multi', 'wildcard', 'multi_wildcard', 'hybrid'] as const;
export type DomainType = (typeof DOMAIN_TYPES)[number];

export interface Spec {
  /** CA brand as sold, e.g. "DigiCert", "GeoTrust", "GlobalSign", "Let's Encrypt". */
  readonly brand: string;
  readonly validationType: ValidationType;
  readonly domainType: DomainType;
  /** Product grade as sold, e.g. "standard", "pro", "enterprise". */
  readonly grade: string;
}

/** Brand and grade compare case- and space-insensitively: "DigiCert " and "digicert" are one brand. */
export function normalizeLabel(value: string): string {
  return value.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * A spec as one key, `brand/TYPE/domainType/grade` with brand and grade normalized: two specs
 * have the same key exactly when they match exactly (`specsMatchExactly`).
 */
export function specKey(spec: Spec): string {
  return `${normalizeLabel(spec.brand)}/${spec.validationType}/${spec.domainType}/${normalizeLabel(spec.grade)}`;
}

export type SpecField = keyof Spec;

/** The spec fields in which `candidate` differs from `wanted`; empty when they match exactly. */
export function specDifferences(wanted: Spec, candidate: Spec): SpecField[] {
  const diffs: SpecField[] = [];
  if (normalizeLabel(wanted.brand) !== normalizeLabel(candidate.brand)) diffs.push('brand');
  if (wanted.validationType !== candidate.validationType) diffs.push('validationType');
  if (wanted.domainType !== candidate.domainType) diffs.push('domainType');
  if (normalizeLabel(wanted.grade) !== normalizeLabel(candidate.grade)) diffs.push('grade');
  return diffs;
}

export function specsMatchExactly(wanted: Spec, candidate: Spec): boolean {
  return specDifferences(wanted, candidate).length === 0;
}

/** Whether names of this domain type may be wildcards, and whether they must be. */
export function wildcardPolicy(domainType: DomainType): 'forbidden' | 'required' | 'allowed' {
  switch (domainType) {
    case 'single':
    case 'multi':
      return 'forbidden';
    case 'wildcard':
    case 'multi_wildcard':
      return 'required';
    case 'hybrid':
      return 'allowed';
  }
}
