import type { Application } from '../../domain/application.js';
import type { Certificate } from '../../domain/certificate.js';

/**
 * What CertOps asks of a certificate authority. Providers: `manual` (support records the
 * outcome in Slack), `acme` (RFC 8555, DNS-01 as chat-ops), `alibaba-cas` (Alibaba Cloud
 * Certificate Management Service). The use cases never know which one they talk to.
 *
 * How outcomes arrive differs: `manual` by people in Slack; `interactive` (ACME) when the
 * requester says the DNS records are in place (Verify); `polling` (Alibaba) by a job asking the
 * CA every few minutes.
 */
export interface CaProvider {
  readonly name: string;
  readonly outcomes: 'manual' | 'interactive' | 'polling';
  /** Hands an approved application to the CA. Throws CaError when the CA refuses or fails. */
  submit(request: CaSubmission): Promise<CaSubmitted>;
  /**
   * The order's state at the CA now. With `verify`, an interactive provider first checks the
   * validation records itself and asks the CA to validate and finalize.
   */
  check?(order: CaOrderRef, options: { readonly verify: boolean }): Promise<CaOrderState>;
  /** Withdraws an order the CA has not decided yet (the instance goes back to pending). */
  withdraw?(order: CaOrderRef): Promise<void>;
  /**
   * Buys a renewal (续费购买) of an order about to expire: a new order of exactly the same spec,
   * pending application at the CA. Not idempotent at the CA: callers make sure they ask once.
   */
  renew?(orderId: string): Promise<{ readonly orderId: string }>;
}

export interface CaSubmission {
  readonly application: Application;
  readonly certificate: Certificate;
  readonly contact?: { readonly name: string; readonly email: string; readonly phone: string };
}

export interface CaSubmitted {
  readonly orderId: string;
  /** What the requester must publish before the CA can validate (DNS-01, file). */
  readonly challenges?: readonly DomainChallenge[];
  /**
   * A step people must take at the CA before it goes on, which its API cannot take (e.g. a
   * renewed Alibaba Cloud CAS order still pending application); support is told.
   */
  readonly actionNeeded?: string;
}

export interface DomainChallenge {
  readonly domain: string;
  readonly type: 'dns-txt' | 'dns-cname' | 'file';
  /** The record name (e.g. `_acme-challenge.example.com`) or the file's URL path. */
  readonly name: string;
  /** The record value or the file content. Public by design (it is published in DNS). */
  readonly value: string;
}

export interface CaOrderRef {
  readonly orderId: string;
  readonly application: Application;
  readonly certificate: Certificate;
}

export type CaOrderState =
  | {
      readonly state: 'awaiting_validation';
      readonly challenges: readonly DomainChallenge[];
      readonly detail?: string;
    }
  | { readonly state: 'processing' }
  | { readonly state: 'issued'; readonly certificatePem: string }
  | { readonly state: 'failed'; readonly reason: string };

export class CaError extends Error {
  constructor(
    readonly provider: string,
    message: string,
    /** Worth retrying later (throttling, network) rather than a refusal. */
    readonly transient: boolean,
    /**
     * The CA never answered (timeout, connection lost mid-call): it may have carried the call
     * out. A purchase that failed this way must not be repeated blindly.
     */
    readonly outcomeUnknown = false,
  ) {
    super(message);
    this.name = 'CaError';
  }
}

/** Chooses the provider for a certificate (by brand in configuration). */
export interface CaRegistry {
  /** By the spec alone, so that a spec can be routed without an instance (start-up checks). */
  providerFor(certificate: Pick<Certificate, 'spec'>): CaProvider;
  /** A provider some route uses, by name (for what only it offers, like CAS package quota). */
  routed?(name: string): CaProvider | undefined;
}

/**
 * A CA where orders are also placed outside CertOps (Alibaba Cloud CAS: bought or applied for in
 * its console), which CertOps imports as certificates (usecases/import-ca-orders.ts).
 */
export interface CaOrderSource {
  readonly name: string;
  /** The CA as people call it, for audit notes (`Alibaba Cloud CAS`). */
  readonly title: string;
  /** The CA's orders, at most `max`, in CertOps's terms. Throws CaError. */
  placedOrders(options: { readonly max: number }): Promise<PlacedOrder[]>;
}

/**
 * One of a CA's orders as CertOps would track it: what the certificate for it holds, or why
 * CertOps cannot represent it (an unknown status, a missing spec).
 */
export type PlacedOrder =
  | { readonly orderId: string; readonly instance: PlacedInstance }
  | { readonly orderId: string; readonly unsupported: string };

export type PlacedInstance = Pick<
  Certificate,
  | 'name'
  | 'spec'
  | 'validityYears'
  | 'domainQuota'
  | 'state'
  | 'domains'
  | 'hosted'
  | 'notBefore'
  | 'notAfter'
>;

/**
 * A CA that holds certificates uploaded to it (Alibaba Cloud CAS), which CertOps tracks
 * (usecases/sync-ca-uploads.ts).
 */
export interface CaUploadSource {
  readonly name: string;
  /** The certificates uploaded to the CA, at most `max`. Throws CaError. */
  uploadedCertificates(options: { readonly max: number }): Promise<CaUploadedCertificate[]>;
  /** An uploaded certificate's PEM (and any chain), never its private key. Throws CaError. */
  certificateDetail(certificateId: string): Promise<CaUploadedCertificatePem>;
}

export interface CaUploadedCertificate {
  /** The CA's id of the upload. */
  readonly certificateId: string;
  readonly name?: string;
}

export interface CaUploadedCertificatePem {
  readonly certificatePem: string;
  readonly name?: string;
}
