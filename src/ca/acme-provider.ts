import { readFileSync } from 'node:fs';
import * as acme from 'acme-client';
import type { AcmeConfig } from '../config.js';
import type { Certificate } from '../domain/certificate.js';
import type { Logger } from '../usecases/ports/index.js';
import {
  CaError,
  type CaOrderRef,
  type CaOrderState,
  type CaProvider,
  type CaSubmission,
  type CaSubmitted,
  type DomainChallenge,
} from '../usecases/ports/index.js';
import { txtChecker } from './acme-dns.js';
import { acmeCall, acmeServer } from './acme-http.js';
import { AcmeKeyDir } from './acme-keys.js';

const NAME = 'acme';
/** Each HTTP request to the ACME server. */
const REQUEST_TIMEOUT_MS = 15_000;
/**
 * Polling the CA after Verify (validation, then issuance): 0.5 + 1 + 2 + 4 s at most, then the
 * order is reported as processing and the next Verify picks it up where it is.
 */
const BACKOFF = { backoffAttempts: 5, backoffMin: 500, backoffMax: 4000 } as const;

type Order = acme.Order;
type Authorization = acme.Authorization;

/**
 * ACME (RFC 8555) with DNS-01 as chat-ops: `submit` opens an order and returns the TXT records
 * the requester must publish; `check` with `verify` (the requester's Verify click) looks the
 * records up itself first and only then asks the CA to validate, finalizes with a CSR whose
 * private key is made here and stays in `keyDir`, and downloads the certificate.
 *
 * Orders are identified by their URL at the CA; nothing else about them is kept by CertOps.
 */
export function createAcmeProvider(config: AcmeConfig, logger: Logger): CaProvider {
  const server = acmeServer(config.directoryUrl, {
    ...(config.caFile ? { ca: readCaFile(config.caFile) } : {}),
    timeoutMs: REQUEST_TIMEOUT_MS,
  });
  const checkTxt = txtChecker(config.dnsServers);
  const keys = new AcmeKeyDir(config.keyDir);
  const call = <T>(what: string, run: () => Promise<T>) => acmeCall(NAME, server, what, run);

  /** Key folder I/O: a failure is a CaError naming the folder and the error code, no content. */
  const onDisk = <T>(run: () => Promise<T>): Promise<T> =>
    run().catch((error: unknown) => {
      throw new CaError(
        NAME,
        `the ACME key folder ${config.keyDir} is not usable: ${errorCode(error)}`,
        false,
      );
    });

  let account: Promise<acme.Client> | undefined;
  /** The client with its account registered (once per process; again after a failure). */
  function client(): Promise<acme.Client> {
    account ??= openAccount().catch((error: unknown) => {
      account = undefined;
      throw error;
    });
    return account;
  }

  async function openAccount(): Promise<acme.Client> {
    const { tightened } = await onDisk(() => keys.prepare());
    if (tightened) logger.warn(`acme: ${config.keyDir} was readable by others; now 0700`);
    const accountKey = await onDisk(() =>
      keys.accountKey(() => acme.crypto.createPrivateEcdsaKey('P-256')),
    );
    const acmeClient = new acme.Client({
      directoryUrl: config.directoryUrl,
      accountKey,
      ...BACKOFF,
    });
    // Registers the key, or finds the account it already has (RFC 8555 §7.3.1) and brings its
    // contact up to date: idempotent. The contact is always sent (empty without an email): an
    // update without any field is refused by some servers.
    await call('registering the ACME account', () =>
      acmeClient.createAccount({
        termsOfServiceAgreed: true,
        contact: config.email ? [`mailto:${config.email}`] : [],
      }),
    );
    logger.info(`acme: account ready at ${config.directoryUrl}`);
    return acmeClient;
  }

  /**
   * The dns-01 challenges of an order's authorizations (pending only, unless `all`), in the
   * order the application lists its names (CAs may list them in any order).
   */
  async function challengesOf(
    acmeClient: acme.Client,
    names: readonly string[],
    authorizations: readonly Authorization[],
    which: 'pending' | 'all',
  ): Promise<DomainChallenge[]> {
    const out: DomainChallenge[] = [];
    for (const authz of authorizations) {
      if (which === 'pending' && authz.status !== 'pending') continue;
      const challenge = authz.challenges.find((c) => c.type === 'dns-01');
      const name = authz.identifier.value.toLowerCase();
      if (!challenge)
        throw new CaError(NAME, `the CA offers no dns-01 challenge for ${name}`, false);
      out.push({
        domain: authz.wildcard ? `*.${name}` : name,
        type: 'dns-txt',
        name: `_acme-challenge.${name}`,
        value: await acmeClient.getChallengeKeyAuthorization(challenge),
      });
    }
    const rank = (domain: string) => {
      const at = names.findIndex((name) => name.toLowerCase() === domain);
      return at < 0 ? names.length : at;
    };
    return out.sort((a, b) => rank(a.domain) - rank(b.domain));
  }

  async function submit(request: CaSubmission): Promise<CaSubmitted> {
    const { application } = request;
    const acmeClient = await client();
    const order = await call('creating the order', () =>
      acmeClient.createOrder({
        identifiers: application.domains.map((value) => ({ type: 'dns', value })),
      }),
    );
    const authorizations = await call('reading the authorizations', () =>
      acmeClient.getAuthorizations(order),
    );
    let challenges = await challengesOf(acmeClient, application.domains, authorizations, 'pending');
    // The CA may reuse validations it made before: nothing to publish then, but the requester
    // still gets the records and the Verify button, which finishes the order.
    if (challenges.length === 0)
      challenges = await challengesOf(acmeClient, application.domains, authorizations, 'all');
    logger.info(
      `acme: order ${order.url} opened for application ${application.id} (${application.domains.length} names, status ${order.status})`,
    );
    return { orderId: order.url, challenges };
  }

  /** Concurrent Verify clicks on one order share one run (in this process). */
  const verifying = new Map<string, Promise<CaOrderState>>();

  async function check(ref: CaOrderRef, options: { verify: boolean }): Promise<CaOrderState> {
    if (!options.verify) return look(ref);
    const running = verifying.get(ref.orderId);
    if (running) return running;
    const run = verify(ref).finally(() => verifying.delete(ref.orderId));
    verifying.set(ref.orderId, run);
    return run;
  }

  async function readOrder(acmeClient: acme.Client, orderId: string): Promise<Order> {
    return call('reading the order', () => acmeClient.getOrder({ url: orderId } as Order));
  }

  /** The order as it stands, without asking the CA to do anything. */
  async function look(ref: CaOrderRef): Promise<CaOrderState> {
    const acmeClient = await client();
    const order = await readOrder(acmeClient, ref.orderId);
    switch (order.status) {
      case 'valid':
        return download(acmeClient, order);
      case 'invalid':
        return { state: 'failed', reason: await failureReason(acmeClient, order) };
      case 'processing':
        return { state: 'processing' };
      default: {
        const authorizations = await call('reading the authorizations', () =>
          acmeClient.getAuthorizations(order),
        );
        const pending = await challengesOf(
          acmeClient,
          ref.application.domains,
          authorizations,
          'pending',
        );
        return {
          state: 'awaiting_validation',
          challenges: pending,
          ...(order.status === 'ready'
            ? { detail: 'the CA has validated every name; Verify finishes the order' }
            : {}),
        };
      }
    }
  }

  /** Verify: check the records, have the CA validate them, finalize, download. */
  async function verify(ref: CaOrderRef): Promise<CaOrderState> {
    const acmeClient = await client();
    let order = await readOrder(acmeClient, ref.orderId);
    if (order.status === 'invalid')
      return { state: 'failed', reason: await failureReason(acmeClient, order) };
    if (order.status === 'valid') return download(acmeClient, order);
    if (order.status === 'processing') return awaitIssuance(acmeClient, order);

    if (order.status === 'pending') {
      const authorizations = await call('reading the authorizations', () =>
        acmeClient.getAuthorizations(order),
      );
      const pending = authorizations.filter((a) => a.status === 'pending');
      const challenges = await challengesOf(acmeClient, ref.application.domains, pending, 'all');
      const { missing, unanswered } = await checkTxt(challenges);
      if (missing.length > 0) {
        // The CA is not asked: a validation attempt now would fail the order for good.
        return {
          state: 'awaiting_validation',
          challenges,
          detail: missingDetail(missing, unanswered),
        };
      }
      const validated = await validate(acmeClient, pending);
      if (validated !== 'valid') {
        order = await readOrder(acmeClient, ref.orderId);
        if (order.status === 'invalid')
          return { state: 'failed', reason: await failureReason(acmeClient, order) };
        return { state: 'processing' };
      }
      // Every name is valid now, so the order is ready (or further along).
      order = await readOrder(acmeClient, ref.orderId);
      if (order.status === 'invalid')
        return { state: 'failed', reason: await failureReason(acmeClient, order) };
      if (order.status === 'valid') return download(acmeClient, order);
      if (order.status !== 'ready') return awaitIssuance(acmeClient, order);
    }
    return finalize(acmeClient, order, ref.certificate);
  }

  /** Asks the CA to validate the pending challenges and waits a little for the outcome. */
  async function validate(
    acmeClient: acme.Client,
    pending: readonly Authorization[],
  ): Promise<'valid' | 'not_yet'> {
    await Promise.all(
      pending.map(async (authz) => {
        const challenge = authz.challenges.find((c) => c.type === 'dns-01');
        // Already asked (processing) by an earlier click: only wait.
        if (challenge?.status === 'pending') {
          await call(`asking the CA to validate ${authz.identifier.value}`, () =>
            acmeClient.completeChallenge(challenge),
          );
        }
      }),
    );
    try {
      await Promise.all(
        pending.map((authz) =>
          call(`waiting for the validation of ${authz.identifier.value}`, () =>
            acmeClient.waitForValidStatus(authz),
          ),
        ),
      );
      return 'valid';
    } catch (error) {
      // Invalid (the order says why) or still pending after the backoff: the caller re-reads.
      if (error instanceof CaError && error.transient) throw error;
      return 'not_yet';
    }
  }

  /**
   * Makes the certificate's private key, sends the CSR, and keeps the key under the
   * certificate's id only once the CA has accepted the CSR (a refused or concurrent finalize
   * leaves the stored key as it was).
   */
  async function finalize(
    acmeClient: acme.Client,
    order: Order,
    certificate: Certificate,
  ): Promise<CaOrderState> {
    const names = order.identifiers.map((i) => i.value.toLowerCase());
    const [first] = names;
    const key = await acme.crypto.createPrivateRsaKey(2048);
    const [, csr] = await acme.crypto.createCsr(
      { altNames: names, ...(first && first.length <= 64 ? { commonName: first } : {}) },
      key,
    );
    const temp = await onDisk(() => keys.writeTemp(certificate.id, key));
    let finalized: Order;
    try {
      finalized = await call('finalizing the order', () => acmeClient.finalizeOrder(order, csr));
    } catch (error) {
      await keys.discard(temp);
      throw error;
    }
    const path = await onDisk(() => keys.keep(temp, certificate.id));
    logger.info(
      `acme: order ${order.url} finalized; the private key of ${certificate.id} is in ${path}`,
    );
    return finalized.status === 'valid'
      ? download(acmeClient, finalized)
      : awaitIssuance(acmeClient, finalized);
  }

  async function awaitIssuance(acmeClient: acme.Client, order: Order): Promise<CaOrderState> {
    try {
      const valid = await call('waiting for the certificate', () =>
        acmeClient.waitForValidStatus(order),
      );
      return download(acmeClient, { ...valid, url: order.url });
    } catch (error) {
      if (error instanceof CaError && error.transient) throw error;
      const now = await readOrder(acmeClient, order.url);
      if (now.status === 'invalid')
        return { state: 'failed', reason: await failureReason(acmeClient, now) };
      if (now.status === 'valid') return download(acmeClient, now);
      return { state: 'processing' };
    }
  }

  async function download(acmeClient: acme.Client, order: Order): Promise<CaOrderState> {
    const pem = await call('downloading the certificate', () => acmeClient.getCertificate(order));
    logger.info(`acme: certificate of order ${order.url} downloaded`);
    return { state: 'issued', certificatePem: pem };
  }

  /** Why an invalid order failed: the order's problem, else the failed challenges'. */
  async function failureReason(acmeClient: acme.Client, order: Order): Promise<string> {
    const reasons: string[] = [];
    const orderProblem = (order as { error?: { detail?: unknown } }).error?.detail;
    if (typeof orderProblem === 'string') reasons.push(orderProblem);
    const authorizations = await call('reading the authorizations', () =>
      acmeClient.getAuthorizations(order),
    ).catch(() => [] as Authorization[]);
    for (const authz of authorizations) {
      if (authz.status !== 'invalid') continue;
      for (const challenge of authz.challenges) {
        const detail = (challenge as { error?: { detail?: unknown } }).error?.detail;
        if (typeof detail === 'string') reasons.push(`${authz.identifier.value}: ${detail}`);
      }
    }
    const text = reasons.join('; ').replace(/\s+/g, ' ').trim();
    const reason = text === '' ? 'the CA marked the order invalid' : text;
    return reason.length > 900 ? `${reason.slice(0, 899)}…` : reason;
  }

  return {
    name: NAME,
    outcomes: 'interactive',
    submit,
    check,
  };
}

/** "TXT records not found yet: a, b" (names only: the values are in the requester's DM). */
function missingDetail(
  missing: readonly DomainChallenge[],
  unanswered: readonly { name: string; code: string }[],
): string {
  const names = [...new Set(missing.map((c) => c.name))];
  const parts = [`TXT records not found in DNS yet: ${names.join(', ')}`];
  if (unanswered.length > 0)
    parts.push(
      `the DNS server did not answer for ${unanswered.map((u) => `${u.name} (${u.code})`).join(', ')}`,
    );
  return parts.join('; ');
}

function readCaFile(path: string): Buffer {
  try {
    const pem = readFileSync(path);
    if (!pem.toString('utf8').includes('-----BEGIN CERTIFICATE-----'))
      throw new Error('no PEM certificate in it');
    return pem;
  } catch (error) {
    throw new Error(
      `CERTOPS_ACME_CA_FILE ${path} cannot be used: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (error instanceof Error ? error.message : String(error));
}
