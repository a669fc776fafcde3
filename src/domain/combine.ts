import type { Certificate } from './certificate.js';
import { ok, type Refusal, type Result, refuse } from './result.js';
import { type DomainType, normalizeLabel, type Spec, wildcardPolicy } from './spec.js';
import { canApplyFor } from './states.js';

/** The combined instance's name starts with this (seed 004). */
export const COMBINED_NAME_PREFIX = 'cas-merge';

export type CombineRefusal =
  | 'combine.not_ov_ev'
  | 'combine.state'
  | 'combine.validity'
  | 'combine.same_instance'
  | 'combine.brand_mismatch'
  | 'combine.grade_mismatch'
  | 'combine.type_mismatch'
  | 'combine.nothing_selected'
  | 'combine.not_confirmed'
  | 'combine.candidate_ineligible';

type Combinable = Pick<Certificate, 'id' | 'spec' | 'state' | 'validityYears' | 'domainQuota'>;

/** Why one instance cannot take part in any combination (empty when it can). */
export function instanceIneligibility(cert: Combinable): Refusal<CombineRefusal>[] {
  const reasons: Refusal<CombineRefusal>[] = [];
  const { validationType } = cert.spec;
  if (validationType !== 'OV' && validationType !== 'EV') {
    reasons.push({ code: 'combine.not_ov_ev', params: { id: cert.id, validationType } });
  }
  if (!canApplyFor(cert.state))
    reasons.push({ code: 'combine.state', params: { id: cert.id, state: cert.state } });
  if (cert.validityYears !== 1) {
    reasons.push({
      code: 'combine.validity',
      params: { id: cert.id, validityYears: cert.validityYears },
    });
  }
  return reasons;
}

/** Why `candidate` cannot be combined into `current` (empty when it can). */
export function candidateIneligibility(
  current: Combinable,
  candidate: Combinable,
): Refusal<CombineRefusal>[] {
  if (candidate.id === current.id)
    return [{ code: 'combine.same_instance', params: { id: candidate.id } }];
  const reasons = instanceIneligibility(candidate);
  if (normalizeLabel(candidate.spec.brand) !== normalizeLabel(current.spec.brand)) {
    reasons.push({
      code: 'combine.brand_mismatch',
      params: { id: candidate.id, brand: candidate.spec.brand, expected: current.spec.brand },
    });
  }
  // The combined instance keeps one grade: mixing a standard and a pro instance would lose one.
  if (normalizeLabel(candidate.spec.grade) !== normalizeLabel(current.spec.grade)) {
    reasons.push({
      code: 'combine.grade_mismatch',
      params: { id: candidate.id, grade: candidate.spec.grade, expected: current.spec.grade },
    });
  }
  if (candidate.spec.validationType !== current.spec.validationType) {
    reasons.push({
      code: 'combine.type_mismatch',
      params: {
        id: candidate.id,
        validationType: candidate.spec.validationType,
        expected: current.spec.validationType,
      },
    });
  }
  return reasons;
}

export interface CombinationPlan {
  readonly name: string;
  readonly spec: Spec;
  /** Sum of the quotas of every instance combined, the current one included. */
  readonly domainQuota: number;
  readonly validityYears: 1;
  /** Every instance consumed, the current one first. */
  readonly sourceIds: readonly string[];
}

export interface CombinationRequest {
  readonly current: Combinable;
  readonly others: readonly Combinable[];
  /** "Combined instances can no longer be refunded" must be ticked explicitly. */
  readonly confirmedNoRefund: boolean;
  /** A fresh id for the result; the name is derived from it. */
  readonly resultId: string;
}

export function planCombination(
  request: CombinationRequest,
): Result<CombinationPlan, CombineRefusal> {
  const { current, others } = request;
  const [currentReason] = instanceIneligibility(current);
  if (currentReason) return { ok: false, refusal: currentReason };
  if (others.length === 0) return refuse('combine.nothing_selected');
  const seen = new Set<string>([current.id]);
  for (const candidate of others) {
    if (seen.has(candidate.id)) return refuse('combine.same_instance', { id: candidate.id });
    seen.add(candidate.id);
    const [reason] = candidateIneligibility(current, candidate);
    if (reason) return { ok: false, refusal: reason };
  }
  // Checked last so that a person who ticked the box still learns what else is wrong first.
  if (!request.confirmedNoRefund) return refuse('combine.not_confirmed');
  const all = [current, ...others];
  return ok({
    name: `${COMBINED_NAME_PREFIX}-${request.resultId}`,
    spec: { ...current.spec, domainType: combinedDomainType(all.map((c) => c.spec.domainType)) },
    domainQuota: all.reduce((sum, c) => sum + c.domainQuota, 0),
    validityYears: 1,
    sourceIds: all.map((c) => c.id),
  });
}

/**
 * Combining is how a multi-domain wildcard or hybrid certificate is applied for (seed 004): the
 * result takes wildcard names if every part did, plain names if none did, both otherwise.
 */
export function combinedDomainType(parts: readonly DomainType[]): DomainType {
  const policies = new Set(parts.map(wildcardPolicy));
  if (policies.size === 1 && policies.has('required')) return 'multi_wildcard';
  if (policies.size === 1 && policies.has('forbidden')) return 'multi';
  return 'hybrid';
}
