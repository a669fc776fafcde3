import type { Application } from '../domain/application.js';
import type { Certificate } from '../domain/certificate.js';

/**
 * What CertOps asks of a certificate authority. Providers (manual now; ACME and Alibaba Cloud
 * CAS later) implement it; the use cases never know which one they talk to.
 */
export interface CaProvider {
  readonly name: string;
  /** Hands an approved application to the CA. Throws CaError when the CA refuses or fails. */
  submit(request: CaSubmission): Promise<{ readonly orderId: string }>;
}

export interface CaSubmission {
  readonly application: Application;
  readonly certificate: Certificate;
  readonly contact?: { readonly name: string; readonly email: string; readonly phone: string };
}

export class CaError extends Error {
  constructor(
    readonly provider: string,
    message: string,
    /** Worth retrying later (throttling, network) rather than a refusal. */
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'CaError';
  }
}

/** Chooses the provider for a certificate (by brand/product in configuration). */
export interface CaRegistry {
  providerFor(certificate: Certificate): CaProvider;
}
