import type { Certificate } from '../domain/certificate.js';
import { certificateNames } from '../domain/certificate-facts.js';
import { ok, type Result, refuse } from '../domain/result.js';
import type { Spec, ValidationType } from '../domain/spec.js';
import { type ParsedUpload, parseCertificatePem } from '../x509/parse-certificate-pem.js';
import type { UseCaseContext } from './context.js';
import { asCreated } from './ports/index.js';
import { conflictRefusal } from './refusals.js';

export interface UploadInput {
  readonly pem: string;
  readonly uploaderId: string;
  /** When the certificate does not say (no CA/B Forum policy OID), the uploader must. */
  readonly validationType?: ValidationType;
  readonly grade?: string;
  readonly name?: string;
}

export interface UploadOutcome {
  readonly certificate: Certificate;
  readonly warnings: ParsedUpload['warnings'];
}

const DAY_MS = 86_400_000;

/**
 * 上传证书: tracks an existing certificate. The PEM is parsed and checked (never a private key,
 * never expired), its spec derived where the certificate tells, and it is stored as `uploaded`.
 * Only the certificate's public facts are kept, not the PEM itself.
 */
export async function uploadCertificate(
  ctx: UseCaseContext,
  input: UploadInput,
): Promise<Result<UploadOutcome>> {
  const parsed = parseCertificatePem(input.pem, { now: ctx.clock.now() });
  if (!parsed.ok) return parsed;
  const { leaf, derived, warnings } = parsed.value;
  const validationType = derived.validationType ?? input.validationType;
  if (!validationType) return refuse('upload.validation_type_unknown');
  const existing = await ctx.store.certificates.idByFingerprint(leaf.fingerprintSha256);
  if (existing) return refuse('certificate.already_tracked', { id: existing });

  const now = ctx.clock.now().getTime();
  const domains = certificateNames(leaf.dnsNames, leaf.subjectCommonName);
  const spec: Spec = {
    brand: derived.brand ?? leaf.issuerOrganization ?? 'unknown',
    validationType,
    domainType: derived.domainType,
    grade: input.grade?.trim() || 'standard',
  };
  const lifetimeDays = (leaf.notAfter.getTime() - leaf.notBefore.getTime()) / DAY_MS;
  const certificate: Certificate = {
    id: ctx.ids.next('cert'),
    name: input.name?.trim() || leaf.subjectCommonName || domains[0] || leaf.serialNumber,
    spec,
    validityYears: Math.max(1, Math.round(lifetimeDays / 365)),
    domainQuota: Math.max(1, domains.length),
    state: 'uploaded',
    source: 'uploaded',
    domains,
    team: ctx.teams.teamOf(input.uploaderId),
    ownerUserId: input.uploaderId,
    hosted: false,
    notBefore: leaf.notBefore.getTime(),
    notAfter: leaf.notAfter.getTime(),
    issuer: leaf.issuer,
    serialNumber: leaf.serialNumber,
    fingerprintSha256: leaf.fingerprintSha256,
    keyType: leaf.keyBits
      ? `${leaf.keyType}-${leaf.keyBits}`
      : leaf.keyCurve
        ? `${leaf.keyType}-${leaf.keyCurve}`
        : leaf.keyType,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const result = await ctx.store.commit((tx) =>
    tx.createCertificate(certificate, {
      actor: input.uploaderId,
      at: now,
      action: 'upload',
      reason: 'uploaded for tracking',
    }),
  );
  if (!result.ok) return conflictRefusal(result.conflict);
  return ok({ certificate: asCreated(certificate, now), warnings });
}
