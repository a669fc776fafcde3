import { canRecordPurchases } from '../domain/permissions.js';
import { ok, type Result, refuse } from '../domain/result.js';
import { parseCertificatePem } from '../x509/parse-certificate-pem.js';
import type { UseCaseContext } from './context.js';
import { SYSTEM_ACTOR } from './expiry-check.js';
import { CaError, type CaUploadedCertificate, type CaUploadSource } from './ports/index.js';
import { uploadCertificate } from './upload-certificate.js';

export interface CaUploadsOutcome {
  /** Uploaded certificates now tracked, with the CA's id of the upload (CAS's CertificateId). */
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
 * Tracks the certificates uploaded to the CA that CertOps does not know yet, each through
 * `uploadCertificate` (the same checks as a person's upload), with `actor` as uploader. Only
 * the certificate PEM is read from the CA, never a private key it may hold. A certificate
 * already tracked (by fingerprint) counts as known, so a second run adds nothing; one whose
 * validation type the certificate does not say is left for a person (`needsType`).
 */
export async function syncCaUploads(
  ctx: UseCaseContext,
  source: CaUploadSource,
  actor: string,
  options: { readonly max?: number } = {},
): Promise<Result<CaUploadsOutcome>> {
  if (actor !== SYSTEM_ACTOR && !canRecordPurchases(ctx.policy, actor))
    return refuse('purchase.not_allowed', { user: actor });
  let uploads: CaUploadedCertificate[];
  try {
    uploads = await source.uploadedCertificates({ max: options.max ?? 1000 });
  } catch (error) {
    return refuse('ca.error', { provider: source.name, error: caMessage(error) });
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
      const detail = await source.certificateDetail(casCertificateId);
      pem = detail.certificatePem;
      name = detail.name ?? upload.name;
    } catch (error) {
      // Credentials or permissions fail every call alike: stop with the reason.
      if (error instanceof CaError && !error.transient)
        return refuse('ca.error', { provider: source.name, error: error.message });
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
