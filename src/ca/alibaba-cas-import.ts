import type { Application } from '../domain/application.js';
import type { Certificate } from '../domain/certificate.js';
import { ok, type Result, refuse } from '../domain/result.js';
import type { DomainType, ValidationType } from '../domain/spec.js';
import type { CertificateState } from '../domain/states.js';
import { canRecordPurchases, DEFAULT_TEAM, type UseCaseContext } from '../usecases/context.js';
import { SYSTEM_ACTOR } from '../usecases/expiry-check.js';
import { CaError } from '../usecases/ports/index.js';
import { MAX_INSTANCES_PER_PURCHASE, teamNameSchema } from '../usecases/record-purchase.js';
import { conflictRefusal } from '../usecases/refusals.js';
import { uploadCertificate } from '../usecases/upload-certificate.js';
import { parseCertificatePem } from '../x509/parse-certificate-pem.js';
import type {
  AlibabaCasProvider,
  CasOrder,
  CasUploadedCertificate,
} from './alibaba-cas-provider.js';

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

export interface CasImportOutcome {
  readonly created: ReadonlyArray<{ readonly certificateId: string; readonly orderId: string }>;
  /** Orders CertOps already tracks (a certificate has this CAS order id). */
  readonly known: number;
  /** Orders CertOps cannot represent (unknown status, missing spec), with the reason. */
  readonly skipped: ReadonlyArray<{ readonly orderId: string; readonly reason: string }>;
}

/** A window in which a second import of the same order is refused even if the first is in flight. */
const IMPORT_ONCE_MS = 10 * 60_000;

/**
 * Imports the CAS orders CertOps does not know yet (bought or applied for in the console) as
 * certificates, keyed by the CAS OrderId: one atomic purchase record, so a run lands whole or
 * not at all, and a second run creates nothing for orders imported before. The state follows
 * the order's status; the certificates go to team `default` unless `team` says otherwise.
 * Grade is not in the order list: imported instances are `standard`.
 */
export async function importCasOrders(
  ctx: UseCaseContext,
  provider: Pick<AlibabaCasProvider, 'name' | 'listOrders'>,
  actor: string,
  options: { readonly team?: string; readonly max?: number } = {},
): Promise<Result<CasImportOutcome>> {
  if (actor !== SYSTEM_ACTOR && !canRecordPurchases(ctx.policy, actor))
    return refuse('purchase.not_allowed', { user: actor });
  // Configuration, not user input: a bad team name is a programming error.
  const team = teamNameSchema.parse(options.team ?? DEFAULT_TEAM);
  let orders: CasOrder[];
  try {
    orders = await provider.listOrders({ max: options.max ?? MAX_INSTANCES_PER_PURCHASE });
  } catch (error) {
    const message = error instanceof CaError ? error.message : 'the CA could not be reached';
    return refuse('ca.error', { provider: provider.name, error: message });
  }
  const known = await knownOrderIds(ctx);
  const now = ctx.clock.now().getTime();
  const created: Certificate[] = [];
  const skipped: Array<{ orderId: string; reason: string }> = [];
  let knownCount = 0;
  for (const order of orders) {
    if (known.has(order.orderId)) {
      knownCount++;
      continue;
    }
    const cert = certificateOf(order, ctx.ids.next('cert'), team, now);
    if (typeof cert === 'string') skipped.push({ orderId: order.orderId, reason: cert });
    else {
      created.push(cert);
      known.add(order.orderId);
    }
  }
  if (created.length > 0) {
    const result = await ctx.store.commit((tx) => {
      const note = {
        actor,
        at: now,
        action: 'purchase',
        reason: 'imported from Alibaba Cloud CAS',
      };
      for (const cert of created) {
        tx.once(`cas-import:${cert.caOrderId}`, IMPORT_ONCE_MS);
        const followed = followedApplication(cert, ctx.ids.next('app'), actor, now);
        tx.createCertificate(followed ? { ...cert, openApplicationId: followed.id } : cert, {
          ...note,
          reason: `CAS order ${cert.caOrderId}`,
        });
        if (followed) tx.createApplication(followed, { ...note, action: 'import_submitted' });
      }
    });
    if (!result.ok) return conflictRefusal(result.conflict);
  }
  return ok({
    created: created.map((c) => ({ certificateId: c.id, orderId: c.caOrderId ?? '' })),
    known: knownCount,
    skipped,
  });
}

/**
 * An order the CA is still reviewing gets a submitted application, so that the CA poll follows
 * it to its outcome like one submitted from Slack (without SLA points: when it was submitted is
 * not in the order list).
 */
function followedApplication(
  cert: Certificate,
  id: string,
  actor: string,
  now: number,
): Application | undefined {
  if (cert.state !== 'under_review') return undefined;
  return {
    id,
    kind: 'apply',
    certificateId: cert.id,
    requesterId: actor,
    team: cert.team,
    status: 'submitted',
    domains: cert.domains,
    hosting: false,
    decidedBy: actor,
    decidedAt: now,
    decisionReason: `imported from Alibaba Cloud CAS (order ${cert.caOrderId})`,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/** Every CAS order id the store's certificates carry. */
async function knownOrderIds(ctx: UseCaseContext): Promise<Set<string>> {
  const ids = new Set<string>();
  const limit = 500;
  for (let offset = 0; ; offset += limit) {
    const page = await ctx.store.certificates.ids({ offset, limit });
    for (const cert of await ctx.store.certificates.getMany(page))
      if (cert.caOrderId) ids.add(cert.caOrderId);
    if (page.length < limit) return ids;
  }
}

function certificateOf(
  order: CasOrder,
  id: string,
  team: string,
  now: number,
): Certificate | string {
  const state = STATE_OF_STATUS[order.status];
  if (!state) return `status ${order.status || '(none)'} is not imported`;
  const validationType = VALIDATION_TYPE_OF[order.certType ?? ''];
  const domainType = DOMAIN_TYPE_OF[order.domainType ?? ''];
  const brand = order.rootBrand?.trim().slice(0, 40);
  if (!validationType || !domainType || !brand)
    return 'the order lacks its brand, certificate type or domain type';
  const oneName = domainType === 'single' || domainType === 'wildcard';
  const bound = state === 'pending_application' ? [] : order.domains;
  const live = state === 'issued';
  return {
    id,
    name: (order.productName ?? `${brand} ${validationType} ${domainType}`).slice(0, 64),
    spec: { brand, validationType, domainType, grade: 'standard' },
    validityYears: 1,
    domainQuota: oneName ? 1 : Math.max(order.domainCount + order.wildDomainCount, bound.length, 1),
    state,
    source: 'purchased',
    domains: bound,
    team,
    hosted: order.hosted,
    caOrderId: order.orderId,
    ...(live && order.certStartTime ? { notBefore: order.certStartTime } : {}),
    ...(live && order.certEndTime ? { notAfter: order.certEndTime } : {}),
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

export interface CasSyncOutcome {
  /** Uploaded certificates now tracked, with their CAS CertificateId. */
  readonly created: ReadonlyArray<{
    readonly certificateId: string;
    readonly casCertificateId: string;
  }>;
  /** Certificates CertOps already tracks (same SHA-256 fingerprint). */
  readonly known: number;
  /** Certificates that do not say their validation type (DV/OV/EV): upload them with `/cert upload`. */
  readonly needsType: ReadonlyArray<string>;
  /** Certificates not tracked (expired, unreadable, not returned), with the reason. */
  readonly skipped: ReadonlyArray<{ readonly casCertificateId: string; readonly reason: string }>;
}

const caMessage = (error: unknown) =>
  error instanceof CaError ? error.message : 'the CA could not be reached';

/**
 * Tracks the certificates uploaded to CAS (ListUserCertificateOrder, OrderType=UPLOAD) that
 * CertOps does not know yet, each through `uploadCertificate` (the same checks as a person's
 * upload), with `actor` as uploader. Only the certificate PEM is fetched from CAS: the private
 * key CAS also returns is never read. A certificate already tracked (by fingerprint) counts as
 * known, so a second run adds nothing; one whose validation type the certificate does not say
 * is left for a person (`needsType`).
 */
export async function syncCasUploads(
  ctx: UseCaseContext,
  provider: Pick<AlibabaCasProvider, 'name' | 'uploadedCertificates' | 'certificateDetail'>,
  actor: string,
  options: { readonly max?: number } = {},
): Promise<Result<CasSyncOutcome>> {
  if (actor !== SYSTEM_ACTOR && !canRecordPurchases(ctx.policy, actor))
    return refuse('purchase.not_allowed', { user: actor });
  let uploads: CasUploadedCertificate[];
  try {
    uploads = await provider.uploadedCertificates({ max: options.max ?? 1000 });
  } catch (error) {
    return refuse('ca.error', { provider: provider.name, error: caMessage(error) });
  }
  const created: Array<{ certificateId: string; casCertificateId: string }> = [];
  const needsType: string[] = [];
  const skipped: Array<{ casCertificateId: string; reason: string }> = [];
  let known = 0;
  for (const upload of uploads) {
    const casCertificateId = upload.certificateId;
    let pem: string;
    let name: string | undefined;
    try {
      const detail = await provider.certificateDetail(casCertificateId);
      pem = detail.certificatePem;
      name = detail.name ?? upload.name;
    } catch (error) {
      // Credentials or permissions fail every call alike: stop with the reason.
      if (error instanceof CaError && !error.transient)
        return refuse('ca.error', { provider: provider.name, error: error.message });
      skipped.push({ casCertificateId, reason: caMessage(error) });
      continue;
    }
    const parsed = parseCertificatePem(pem, { now: ctx.clock.now() });
    if (!parsed.ok) {
      skipped.push({ casCertificateId, reason: parsed.refusal.code });
      continue;
    }
    // Known first: a tracked certificate that does not say its type is still known.
    if (await ctx.store.certificates.idByFingerprint(parsed.value.leaf.fingerprintSha256)) {
      known++;
      continue;
    }
    if (!parsed.value.derived.validationType) {
      needsType.push(casCertificateId);
      continue;
    }
    const result = await uploadCertificate(ctx, {
      pem,
      uploaderId: actor,
      ...(name?.trim() ? { name: name.trim().slice(0, 64) } : {}),
    });
    if (result.ok) created.push({ certificateId: result.value.certificate.id, casCertificateId });
    else if (result.refusal.code === 'certificate.already_tracked') known++;
    else if (result.refusal.code === 'upload.validation_type_unknown')
      needsType.push(casCertificateId);
    else skipped.push({ casCertificateId, reason: result.refusal.code });
  }
  return ok({ created, known, needsType, skipped });
}
