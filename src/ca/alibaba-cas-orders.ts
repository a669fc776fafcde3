import type { DomainType, ValidationType } from '../domain/spec.js';
import type { CertificateState } from '../domain/states.js';
import type { PlacedOrder } from '../usecases/ports/index.js';

/** One row of ListUserCertificateOrder (CPACK/BUY orders), as CertOps needs it. */
export interface CasOrder {
  readonly orderId: string;
  readonly instanceId?: string;
  /** PAYED, CHECKING, CHECKED_FAIL, ISSUED, WILLEXPIRED, EXPIRED, NOTACTIVATED, REVOKED. */
  readonly status: string;
  readonly hosted: boolean;
  /** DV, OV, EV or FREE. */
  readonly certType?: string;
  /** ONE, MULTIPLE, WILDCARD, M_WILDCARD or MIX. */
  readonly domainType?: string;
  readonly rootBrand?: string;
  readonly productCode?: string;
  readonly productName?: string;
  readonly domains: readonly string[];
  readonly domainCount: number;
  readonly wildDomainCount: number;
  /** Epoch ms. */
  readonly certStartTime?: number;
  readonly certEndTime?: number;
}

/** V1 order status (ListUserCertificateOrder) -> stored state (cas-reference §1.1). */
const STATE_OF_STATUS: Readonly<Record<string, CertificateState>> = {
  PAYED: 'pending_application',
  CHECKING: 'under_review',
  CHECKED_FAIL: 'validation_failed',
  ISSUED: 'issued',
  WILLEXPIRED: 'issued',
  EXPIRED: 'issued',
  NOTACTIVATED: 'not_activated',
  REVOKED: 'revoked',
};

const DOMAIN_TYPE_OF: Readonly<Record<string, DomainType>> = {
  ONE: 'single',
  MULTIPLE: 'multi',
  WILDCARD: 'wildcard',
  M_WILDCARD: 'multi_wildcard',
  MIX: 'hybrid',
};

const VALIDATION_TYPE_OF: Readonly<Record<string, ValidationType>> = {
  DV: 'DV',
  OV: 'OV',
  EV: 'EV',
  FREE: 'DV',
};

/**
 * A CAS order as CertOps tracks it: the state follows its status, the names are kept once the
 * order has them (not while pending application), the validity dates once issued. Grade is not
 * in the order list: imported instances are `standard`.
 */
export function placedOrderOf(order: CasOrder): PlacedOrder {
  const { orderId } = order;
  const state = STATE_OF_STATUS[order.status];
  if (!state) return { orderId, unsupported: `status ${order.status || '(none)'} is not imported` };
  const validationType = VALIDATION_TYPE_OF[order.certType ?? ''];
  const domainType = DOMAIN_TYPE_OF[order.domainType ?? ''];
  const brand = order.rootBrand?.trim().slice(0, 40);
  if (!validationType || !domainType || !brand)
    return { orderId, unsupported: 'the order lacks its brand, certificate type or domain type' };
  const oneName = domainType === 'single' || domainType === 'wildcard';
  const bound = state === 'pending_application' ? [] : order.domains;
  const live = state === 'issued';
  return {
    orderId,
    instance: {
      name: (order.productName ?? `${brand} ${validationType} ${domainType}`).slice(0, 64),
      spec: { brand, validationType, domainType, grade: 'standard' },
      validityYears: 1,
      domainQuota: oneName
        ? 1
        : Math.max(order.domainCount + order.wildDomainCount, bound.length, 1),
      state,
      domains: bound,
      hosted: order.hosted,
      ...(live && order.certStartTime ? { notBefore: order.certStartTime } : {}),
      ...(live && order.certEndTime ? { notAfter: order.certEndTime } : {}),
    },
  };
}
