import Cas, * as $cas from '@alicloud/cas20200407';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import type { AlibabaCasConfig } from '../config.js';
import type { Application } from '../domain/application.js';
import type { Certificate } from '../domain/certificate.js';
import { type Spec, specKey } from '../domain/spec.js';
import type { Logger } from '../usecases/ports/index.js';
import {
  CaError,
  type CaOrderRef,
  type CaOrderSource,
  type CaOrderState,
  type CaProvider,
  type CaSubmission,
  type CaSubmitted,
  type CaUploadSource,
  type DomainChallenge,
} from '../usecases/ports/index.js';
import { CAS_PROVIDER, casError, throttlePauseMs } from './alibaba-cas-errors.js';
import { CallPacer, type PacerClock } from './alibaba-cas-limiter.js';
import { type CasOrder, placedOrderOf } from './alibaba-cas-orders.js';

/**
 * Calls per second per operation, below Alibaba Cloud's per-account limits (documented: 10 for
 * ListUserCertificateOrder, 100 for GetUserCertificateDetail; the others are kept at 10).
 */
export const CAS_QPS = {
  CreateCertificateForPackageRequest: 10,
  DescribeCertificateState: 10,
  DescribePackageState: 10,
  ListUserCertificateOrder: 10,
  GetUserCertificateDetail: 100,
  CancelOrderRequest: 10,
  RenewCertificateOrderForPackageRequest: 10,
} as const;
export type CasAction = keyof typeof CAS_QPS;

/**
 * The SDK is CommonJS with `exports.default = Client`: Node's ESM loader hands over the exports
 * object (the class is its `default`), while bundlers such as Vite unwrap it. Accept both.
 */
type CasClient = InstanceType<typeof Cas.default>;
const CasClientClass: new (config: $OpenApiUtil.Config) => CasClient =
  typeof (Cas as unknown) === 'function'
    ? (Cas as unknown as new (
        config: $OpenApiUtil.Config,
      ) => CasClient)
    : Cas.default;

/** The API takes at most this many names per order, all single or all wildcard. */
export const CAS_MAX_DOMAINS = 5;
/** ListUserCertificateOrder pages. */
const PAGE_SIZE = 50;

export interface CasPackageState {
  readonly productCode: string;
  readonly total: number;
  /** Every create call counts, issued or not. */
  readonly used: number;
  readonly issued: number;
}

export interface CasProduct {
  readonly productCode: string;
  /** CERTOPS_ALIBABA_PRODUCT_CODES keys (`specKey`: `brand/TYPE/domainType/grade`) using this code. */
  readonly specs: readonly string[];
}

/** The registry's provider is the Alibaba Cloud CAS one (with what only CAS offers). */
export function isAlibabaCasProvider(
  provider: CaProvider | undefined,
): provider is AlibabaCasProvider {
  return provider?.name === CAS_PROVIDER && 'describePackageState' in provider;
}

/**
 * A spec's CERTOPS_ALIBABA_PRODUCT_CODES key as an operator writes it, `brand/TYPE/domainType/grade`
 * (the grade too: a standard and a pro package are different products).
 */
export function productCodeKeyOf(spec: Spec): string {
  const label = (text: string) => text.trim().replace(/\s+/g, ' ');
  return `${label(spec.brand)}/${spec.validationType}/${spec.domainType}/${label(spec.grade)}`;
}

/** One row of ListUserCertificateOrder with OrderType=UPLOAD: a certificate uploaded to CAS. */
export interface CasUploadedCertificate {
  /** CAS `CertificateId`, as a string. */
  readonly certificateId: string;
  readonly name?: string;
  readonly commonName?: string;
  readonly expired: boolean;
}

/**
 * GetUserCertificateDetail as CertOps needs it: the certificate PEM and its ids. The private key
 * CAS returns with it (`Key`) is never read, kept, returned or logged.
 */
export interface CasCertificateDetail {
  readonly certificateId: string;
  readonly name?: string;
  /** The certificate (and any chain CAS holds with it), PEM. */
  readonly certificatePem: string;
  readonly orderId?: string;
  readonly instanceId?: string;
}

export interface ListOrdersOptions {
  /** A V1 status filter (see CasOrder.status). */
  readonly status?: string;
  readonly keyword?: string;
  /** Stops after this many orders (default 1000). */
  readonly max?: number;
}

/**
 * Alibaba Cloud CAS as a CertOps CA, plus what only CAS offers: package quota, the order list
 * (for importing orders made in the console) and renewal orders. Combining instances and buying
 * hosting have no API and stay with people.
 */
export interface AlibabaCasProvider extends CaProvider, CaOrderSource, CaUploadSource {
  readonly outcomes: 'polling';
  check(order: CaOrderRef, options: { readonly verify: boolean }): Promise<CaOrderState>;
  withdraw(order: CaOrderRef): Promise<void>;
  /** The product code configured for a spec, grade included (CERTOPS_ALIBABA_PRODUCT_CODES). */
  productCodeFor(spec: Spec): string | undefined;
  describePackageState(productCode: string): Promise<CasPackageState>;
  /** Each product code configured once, with the `brand/TYPE/domainType/grade` keys that use it. */
  configuredProducts(): readonly CasProduct[];
  listOrders(options?: ListOrdersOptions): Promise<CasOrder[]>;
  /** RenewCertificateOrderForPackageRequest: a new order (pending application) for the same spec. */
  renew(orderId: string): Promise<{ readonly orderId: string }>;
  /** ListUserCertificateOrder with OrderType=UPLOAD, every page (at most `max`, default 1000). */
  uploadedCertificates(options?: { readonly max?: number }): Promise<CasUploadedCertificate[]>;
  /** GetUserCertificateDetail: the certificate PEM, never the key. */
  certificateDetail(certificateId: string): Promise<CasCertificateDetail>;
}

export interface AlibabaCasOptions {
  /** Overrides of CAS_QPS (tests, or an account with other limits). */
  readonly qps?: Partial<Record<CasAction, number>>;
  /** The pacers' time (tests give a virtual one). */
  readonly pacerClock?: PacerClock;
  readonly connectTimeoutMs?: number;
  readonly readTimeoutMs?: number;
}

/** Alibaba Cloud Certificate Management Service (OpenAPI cas 2020-04-07, SDK 3.x). */
export function createAlibabaCasProvider(
  config: AlibabaCasConfig,
  logger: Logger,
  options: AlibabaCasOptions = {},
): AlibabaCasProvider {
  const url = new URL(config.endpoint);
  const client = new CasClientClass(
    new $OpenApiUtil.Config({
      accessKeyId: config.accessKeyId,
      accessKeySecret: config.accessKeySecret,
      endpoint: url.host,
      protocol: url.protocol === 'http:' ? 'http' : 'https',
      connectTimeout: options.connectTimeoutMs ?? 5000,
      readTimeout: options.readTimeoutMs ?? 15_000,
    }),
  );
  const secrets = [config.accessKeySecret, config.accessKeyId];
  const pacers = new Map<CasAction, CallPacer>();
  const pacer = (action: CasAction) => {
    let found = pacers.get(action);
    if (!found) {
      found = new CallPacer(options.qps?.[action] ?? CAS_QPS[action], 1, options.pacerClock);
      pacers.set(action, found);
    }
    return found;
  };

  /** Every API call: paced, and its failure turned into a CaError (logged without secrets). */
  async function call<T>(action: CasAction, run: () => Promise<T>): Promise<T> {
    const slot = pacer(action);
    await slot.take();
    try {
      return await run();
    } catch (error) {
      const pause = throttlePauseMs(error);
      if (pause !== undefined) slot.pause(pause);
      const mapped = casError(action, error, secrets);
      logger.warn(`alibaba-cas: ${mapped.message}`);
      throw mapped;
    }
  }

  const productCodeFor = (spec: Spec): string | undefined => config.productCodes[specKey(spec)];

  async function describe(orderId: string) {
    const id = orderNumber(orderId);
    const response = await call('DescribeCertificateState', () =>
      client.describeCertificateState(new $cas.DescribeCertificateStateRequest({ orderId: id })),
    );
    return response.body ?? new $cas.DescribeCertificateStateResponseBody({});
  }

  /**
   * A renewal bought through the API (RenewCertificateOrderForPackageRequest) already has its
   * order, pending application: the application goes on that order, never on a new one
   * (CreateCertificateForPackageRequest would spend another unit of the package). The API
   * (cas 2020-04-07, SDK 3.x) has no call that submits an existing order's application: CAS
   * takes the names of the renewed order (no CSR is sent with the renewal), and until someone
   * submits it in the console it stays `payed` while the CA poll follows it.
   */
  async function submitOnRenewalOrder(
    orderId: string,
    application: Application,
    certificate: Certificate,
  ): Promise<CaSubmitted> {
    const kept = new Set(certificate.domains);
    const same =
      application.domains.length === kept.size && application.domains.every((d) => kept.has(d));
    if (kept.size > 0 && !same)
      throw new CaError(
        CAS_PROVIDER,
        `Alibaba Cloud CAS renewal order ${orderId} keeps the domain names of the certificate it renews (${[...kept].join(', ')}): apply for exactly those names`,
        false,
      );
    const body = await describe(orderId);
    const state = toOrderState(body, application, orderId);
    if (state.state === 'failed') throw new CaError(CAS_PROVIDER, state.reason, false);
    logger.info(`alibaba-cas: application ${application.id} follows renewal order ${orderId}`);
    const actionNeeded =
      body.type === 'payed'
        ? `renewal order ${orderId} is pending application (待申请) at Alibaba Cloud CAS, and its API has no call to submit it: submit its application in the CAS console (names: ${application.domains.join(', ')}). CertOps follows the order from then on.`
        : undefined;
    return {
      orderId,
      ...(state.state === 'awaiting_validation' && state.challenges.length > 0
        ? { challenges: [...state.challenges] }
        : {}),
      ...(actionNeeded ? { actionNeeded } : {}),
    };
  }

  async function listOrders(options: ListOrdersOptions = {}): Promise<CasOrder[]> {
    const max = options.max ?? 1000;
    const orders: CasOrder[] = [];
    for (let page = 1; orders.length < max; page++) {
      const response = await call('ListUserCertificateOrder', () =>
        client.listUserCertificateOrder(
          new $cas.ListUserCertificateOrderRequest({
            orderType: 'CPACK',
            currentPage: page,
            showSize: PAGE_SIZE,
            ...(options.status ? { status: options.status } : {}),
            ...(options.keyword ? { keyword: options.keyword } : {}),
          }),
        ),
      );
      const rows = response.body?.certificateOrderList ?? [];
      for (const row of rows) {
        const order = toCasOrder(row);
        if (order && orders.length < max) orders.push(order);
      }
      const total = response.body?.totalCount ?? 0;
      if (rows.length < PAGE_SIZE || page * PAGE_SIZE >= total) break;
    }
    return orders;
  }

  return {
    name: CAS_PROVIDER,
    title: 'Alibaba Cloud CAS',
    outcomes: 'polling',
    productCodeFor,
    listOrders,

    async placedOrders({ max }: { readonly max: number }) {
      return (await listOrders({ max })).map(placedOrderOf);
    },

    async submit({ application, certificate, contact }: CaSubmission): Promise<CaSubmitted> {
      const renewalOrder = renewalOrderOf(certificate);
      if (renewalOrder) return submitOnRenewalOrder(renewalOrder, application, certificate);
      const spec = certificate.spec;
      const productCode = productCodeFor(spec);
      if (!productCode)
        throw new CaError(
          CAS_PROVIDER,
          `no Alibaba Cloud CAS product code for ${productCodeKeyOf(spec)}: add one to CERTOPS_ALIBABA_PRODUCT_CODES (like ${productCodeKeyOf(spec)}=<product code>)`,
          false,
        );
      const request = new $cas.CreateCertificateForPackageRequestRequest({
        productCode,
        domain: casDomains(application.domains),
        validateType: validateType(application),
        // Without a contact, CAS uses the account's most recently added one.
        ...(contact ? { username: contact.name, phone: contact.phone, email: contact.email } : {}),
      });
      const response = await call('CreateCertificateForPackageRequest', () =>
        client.createCertificateForPackageRequest(request),
      );
      const orderId = response.body?.orderId;
      if (orderId === undefined || orderId === null || !/^\d{1,16}$/.test(String(orderId)))
        throw new CaError(CAS_PROVIDER, 'Alibaba Cloud CAS answered without an OrderId', false);
      logger.info(`alibaba-cas: application ${application.id} is CAS order ${orderId}`);
      // The order exists now: nothing below may fail the submission (a retry would order twice).
      // The validation record is usually ready at once; otherwise the poll job finds it.
      let challenges: DomainChallenge[] = [];
      try {
        const state = toOrderState(await describe(String(orderId)), application, String(orderId));
        if (state.state === 'awaiting_validation') challenges = [...state.challenges];
      } catch {
        // Already logged; the poll job asks again.
      }
      return { orderId: String(orderId), ...(challenges.length > 0 ? { challenges } : {}) };
    },

    async check(order: CaOrderRef): Promise<CaOrderState> {
      return toOrderState(await describe(order.orderId), order.application, order.orderId);
    },

    async withdraw(order: CaOrderRef): Promise<void> {
      const id = orderNumber(order.orderId);
      await call('CancelOrderRequest', () =>
        client.cancelOrderRequest(new $cas.CancelOrderRequestRequest({ orderId: id })),
      );
    },

    async describePackageState(productCode: string): Promise<CasPackageState> {
      const response = await call('DescribePackageState', () =>
        client.describePackageState(new $cas.DescribePackageStateRequest({ productCode })),
      );
      const body = response.body;
      return {
        productCode: body?.productCode ?? productCode,
        total: body?.totalCount ?? 0,
        used: body?.usedCount ?? 0,
        issued: body?.issuedCount ?? 0,
      };
    },

    configuredProducts(): CasProduct[] {
      const specs = new Map<string, string[]>();
      for (const [spec, code] of Object.entries(config.productCodes))
        specs.set(code, [...(specs.get(code) ?? []), spec]);
      return [...specs].map(([productCode, keys]) => ({ productCode, specs: keys }));
    },

    async renew(orderId: string): Promise<{ orderId: string }> {
      const id = orderNumber(orderId);
      const response = await call('RenewCertificateOrderForPackageRequest', () =>
        client.renewCertificateOrderForPackageRequest(
          new $cas.RenewCertificateOrderForPackageRequestRequest({ orderId: id }),
        ),
      );
      const next = response.body?.orderId;
      if (next === undefined || next === null || !/^\d{1,16}$/.test(String(next)))
        throw new CaError(CAS_PROVIDER, 'Alibaba Cloud CAS answered without an OrderId', false);
      logger.info(`alibaba-cas: renewal of order ${id} is CAS order ${next}`);
      return { orderId: String(next) };
    },

    async uploadedCertificates(
      options: { readonly max?: number } = {},
    ): Promise<CasUploadedCertificate[]> {
      const max = options.max ?? 1000;
      const found: CasUploadedCertificate[] = [];
      for (let page = 1; found.length < max; page++) {
        const response = await call('ListUserCertificateOrder', () =>
          client.listUserCertificateOrder(
            new $cas.ListUserCertificateOrderRequest({
              orderType: 'UPLOAD',
              currentPage: page,
              showSize: PAGE_SIZE,
            }),
          ),
        );
        const rows = response.body?.certificateOrderList ?? [];
        for (const row of rows) {
          if (row.certificateId === undefined || row.certificateId === null) continue;
          if (found.length >= max) break;
          found.push({
            certificateId: String(row.certificateId),
            expired: row.expired === true,
            ...(row.name ? { name: row.name } : {}),
            ...(row.commonName ? { commonName: row.commonName } : {}),
          });
        }
        const total = response.body?.totalCount ?? 0;
        if (rows.length < PAGE_SIZE || page * PAGE_SIZE >= total) break;
      }
      return found;
    },

    async certificateDetail(certificateId: string): Promise<CasCertificateDetail> {
      const certId = casNumber(certificateId, 'certificate');
      // CertFilter stays unset: `true` would hide the certificate PEM too.
      const response = await call('GetUserCertificateDetail', () =>
        client.getUserCertificateDetail(new $cas.GetUserCertificateDetailRequest({ certId })),
      );
      const body = response.body;
      // Only these fields are read; `key` (and the SM2 private keys) never are.
      const pem = body?.cert?.trim();
      if (!pem?.includes('-----BEGIN CERTIFICATE-----'))
        throw new CaError(
          CAS_PROVIDER,
          `Alibaba Cloud CAS returned no certificate for certificate ${certId}`,
          false,
        );
      return {
        certificateId: String(certId),
        certificatePem: `${pem}\n`,
        ...(body?.name ? { name: body.name } : {}),
        ...(body?.orderId ? { orderId: String(body.orderId) } : {}),
        ...(body?.instanceId ? { instanceId: body.instanceId } : {}),
      };
    },
  };
}

/** The order a renewal bought through CAS waits on, until its application is submitted. */
function renewalOrderOf(certificate: Certificate): string | undefined {
  return certificate.source === 'renewal' && certificate.state === 'pending_application'
    ? certificate.caOrderId
    : undefined;
}

function orderNumber(orderId: string): number {
  return casNumber(orderId, 'order');
}

function casNumber(value: string, what: 'order' | 'certificate'): number {
  const id = /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(id))
    throw new CaError(CAS_PROVIDER, `${JSON.stringify(value)} is not a CAS ${what} id`, false);
  return id;
}

/** `Domain`: at most 5 names, comma-separated, all single names or all wildcards. */
function casDomains(domains: readonly string[]): string {
  if (domains.length === 0)
    throw new CaError(CAS_PROVIDER, 'the application binds no domain name', false);
  if (domains.length > CAS_MAX_DOMAINS)
    throw new CaError(
      CAS_PROVIDER,
      `Alibaba Cloud CAS takes at most ${CAS_MAX_DOMAINS} domain names per application through its API (this one has ${domains.length})`,
      false,
    );
  const wildcards = domains.filter((d) => d.startsWith('*.')).length;
  if (wildcards !== 0 && wildcards !== domains.length)
    throw new CaError(
      CAS_PROVIDER,
      'Alibaba Cloud CAS cannot mix wildcard and single domain names in one application through its API: apply for them separately, or in the CAS console',
      false,
    );
  return domains.join(',');
}

function validateType(application: Application): 'DNS' | 'FILE' {
  switch (application.validationMethod ?? 'dns') {
    case 'dns':
      return 'DNS';
    case 'file':
      return 'FILE';
    default:
      throw new CaError(
        CAS_PROVIDER,
        'Alibaba Cloud CAS validates domains by DNS record or file through its API, not by email: apply again with DNS or file validation',
        false,
      );
  }
}

/**
 * DescribeCertificateState -> CertOps order state. Reads only the fields it needs: the
 * `PrivateKey` CAS returns with an issued certificate is never read, kept, returned or logged.
 */
function toOrderState(
  body: $cas.DescribeCertificateStateResponseBody,
  application: Application,
  orderId: string,
): CaOrderState {
  switch (body.type) {
    case 'domain_verify':
      return { state: 'awaiting_validation', challenges: challengesOf(body, application) };
    case 'process':
    case 'payed':
      return { state: 'processing' };
    case 'certificate': {
      const pem = body.certificate?.trim();
      if (!pem?.includes('-----BEGIN CERTIFICATE-----'))
        throw new CaError(
          CAS_PROVIDER,
          `Alibaba Cloud CAS reports order ${orderId} issued but returned no certificate; CertOps will ask again`,
          true,
        );
      return { state: 'issued', certificatePem: `${pem}\n` };
    }
    case 'verify_fail':
      return {
        state: 'failed',
        reason: `Alibaba Cloud CAS: the CA's review of order ${orderId} failed (审核失败); check the domain validation and the contact's details, then apply again`,
      };
    case 'unknow':
      return {
        state: 'failed',
        reason: `Alibaba Cloud CAS does not know order ${orderId} (unknown order: refunded, closed or deleted)`,
      };
    default:
      throw new CaError(
        CAS_PROVIDER,
        `Alibaba Cloud CAS reported an unexpected state for order ${orderId}: ${JSON.stringify(String(body.type ?? '')).slice(0, 40)}`,
        false,
      );
  }
}

function challengesOf(
  body: $cas.DescribeCertificateStateResponseBody,
  application: Application,
): DomainChallenge[] {
  const bases = [...new Set(application.domains.map((d) => d.replace(/^\*\./, '')))];
  if (body.validateType === 'FILE') {
    if (!body.uri || body.content === undefined) return [];
    const domain = body.domain || application.domains[0] || '';
    return [{ domain, type: 'file', name: body.uri, value: body.content }];
  }
  if (!body.recordDomain || body.recordValue === undefined) return [];
  const type = body.recordType?.toUpperCase() === 'CNAME' ? 'dns-cname' : 'dns-txt';
  const record = body.recordDomain.replace(/\.$/, '');
  const value = body.recordValue;
  // CAS gives the host (`_dnsauth`) relative to the domain; a full name is kept as is.
  const absolute = bases.find((base) => record === base || record.endsWith(`.${base}`));
  if (absolute) return [{ domain: absolute, type, name: record, value }];
  return bases.map((base) => ({ domain: base, type, name: `${record}.${base}`, value }));
}

const CAS_DOMAIN_TYPES: Readonly<Record<string, true>> = {
  ONE: true,
  MULTIPLE: true,
  WILDCARD: true,
  M_WILDCARD: true,
  MIX: true,
};

function toCasOrder(row: $cas.ListUserCertificateOrderResponseBodyCertificateOrderList) {
  if (row.orderId === undefined || row.orderId === null) return undefined;
  const domains = (row.domain ?? row.sans ?? row.commonName ?? '')
    .split(/[,\s]+/)
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);
  const order: CasOrder = {
    orderId: String(row.orderId),
    status: (row.status ?? '').toUpperCase(),
    hosted: row.trusteeStatus === 'trustee',
    domains,
    domainCount: row.domainCount ?? 0,
    wildDomainCount: row.wildDomainCount ?? 0,
    ...(row.instanceId ? { instanceId: row.instanceId } : {}),
    ...(row.certType ? { certType: row.certType.toUpperCase() } : {}),
    ...(row.domainType && CAS_DOMAIN_TYPES[row.domainType.toUpperCase()]
      ? { domainType: row.domainType.toUpperCase() }
      : {}),
    ...(row.rootBrand ? { rootBrand: row.rootBrand } : {}),
    ...(row.productCode ? { productCode: row.productCode } : {}),
    ...(row.productName ? { productName: row.productName } : {}),
    ...(row.certStartTime ? { certStartTime: row.certStartTime } : {}),
    ...(row.certEndTime ? { certEndTime: row.certEndTime } : {}),
  };
  return order;
}
