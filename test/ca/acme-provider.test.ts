import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@slack/bolt';
import * as acme from 'acme-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeCall, acmeServer } from '../../src/ca/acme-http.js';
import { createAcmeProvider } from '../../src/ca/acme-provider.js';
import { routedRegistry } from '../../src/ca/routed-registry.js';
import type { AcmeConfig } from '../../src/config.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import { activateHostedRenewal } from '../../src/usecases/expiry-check.js';
import { followCaOrder } from '../../src/usecases/follow-ca-order.js';
import { CaError, type CaProvider, type DomainChallenge } from '../../src/usecases/ports/index.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import { type PebbleServers, startPebble } from '../support/pebble.js';
import { storedText } from '../support/redis-snapshot.js';
import { ADMIN, ALICE, APPROVER, buy, type Harness, harness } from '../support/usecase-harness.js';

/**
 * The ACME provider against a real ACME server (pebble) and a real DNS server (challtestsrv),
 * through the use cases on the test Redis: submit, the DNS pre-check, validation, finalize with
 * a key that stays in the key folder, download, and what a CA that went away looks like.
 */

const NAMES = ['shop.acme-test.example', 'www.shop.acme-test.example'];

let pebble: PebbleServers;
let h: Harness;
let keyDir: string;
let provider: CaProvider;
const logs: string[] = [];

function recordingLogger(lines: string[]): Logger {
  const put =
    (level: string) =>
    (...args: unknown[]) =>
      lines.push(
        `${level} ${args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(' ')}`,
      );
  return {
    debug: put('debug'),
    info: put('info'),
    warn: put('warn'),
    error: put('error'),
    setLevel() {},
    getLevel: () => 'debug' as never,
    setName() {},
  } as Logger;
}

function config(overrides: Partial<AcmeConfig> = {}): AcmeConfig {
  return {
    directoryUrl: pebble.directoryUrl,
    email: 'certops@acme-test.example',
    keyDir,
    caFile: pebble.caFile,
    dnsServers: [pebble.dnsServer],
    ...overrides,
  };
}

let contacts = 0;

async function applyAndApprove(
  domains: readonly string[],
  domainType: 'multi' | 'hybrid' = 'multi',
  hosting = false,
) {
  const [certificateId] = await buy(h.ctx, {
    brand: "Let's Encrypt",
    validationType: 'DV',
    domainType,
    domainQuota: domains.length,
  });
  const n = ++contacts;
  if (!certificateId) throw new Error('no instance bought');
  const applied = await applyForCertificate(h.ctx, {
    certificateId,
    requesterId: ALICE,
    domains,
    validationMethod: 'dns',
    contact: {
      kind: 'new',
      fields: {
        name: `Li Lei ${n}`,
        email: `li${n}@acme-test.example`,
        phone: `+86138000000${String(n).padStart(2, '0')}`,
      },
    },
    hosting,
  });
  if (!applied.ok) throw new Error(JSON.stringify(applied.refusal));
  const decided = await decideApplication(h.ctx, {
    applicationId: applied.value.application.id,
    deciderId: APPROVER,
    decision: 'approve',
  });
  if (!decided.ok) throw new Error(JSON.stringify(decided.refusal));
  expect(decided.value.caError).toBeUndefined();
  const application = decided.value.application;
  return { application, certificateId, challenges: challengesOf(application.id) };
}

/** The records the `ca_challenges` event of an application asked for. */
function challengesOf(applicationId: string): readonly DomainChallenge[] {
  const event = h.events.events.find(
    (e) => e.type === 'ca_challenges' && e.application.id === applicationId,
  );
  return event?.type === 'ca_challenges' ? event.challenges : [];
}

/** The authorizations of an order as the CA has them, read with the provider's account key. */
async function authorizationsAtCa(orderUrl: string): Promise<string[]> {
  const server = acmeServer(pebble.directoryUrl, {
    ca: await readFile(pebble.caFile),
    timeoutMs: 5000,
  });
  return acmeCall('test', server, 'reading', async () => {
    const client = new acme.Client({
      directoryUrl: pebble.directoryUrl,
      accountKey: await readFile(join(keyDir, 'account.key.pem')),
    });
    await client.createAccount({ termsOfServiceAgreed: true, contact: [] });
    const order = await client.getOrder({ url: orderUrl } as acme.Order);
    const authorizations = await client.getAuthorizations(order);
    return authorizations.map((a) => `${a.identifier.value}:${a.status}`);
  });
}

describe('ACME provider against pebble', () => {
  beforeAll(async () => {
    pebble = await startPebble();
    keyDir = join(await mkdtemp(join(tmpdir(), 'certops-acme-')), 'keys');
    provider = createAcmeProvider(config(), recordingLogger(logs));
    // Real certificates are valid now: the use cases run on today's clock.
    h = await harness({
      start: new Date().toISOString(),
      ca: routedRegistry({ '*': 'acme' }, [provider]),
    });
  });

  afterAll(async () => {
    await h?.cleanup();
    await pebble?.stop();
    if (keyDir) await rm(join(keyDir, '..'), { recursive: true, force: true });
  });

  it('issues a real certificate for two names; its key stays in the key folder (0600)', async () => {
    const { application, certificateId, challenges } = await applyAndApprove(NAMES);
    expect(application.status).toBe('submitted');
    const cert = await h.ctx.store.certificates.get(certificateId);
    expect(cert?.caOrderId).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);
    expect(challenges.map((c) => [c.domain, c.type, c.name])).toEqual(
      NAMES.map((n) => [n, 'dns-txt', `_acme-challenge.${n}`]),
    );
    for (const c of challenges) expect(c.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Verify before the records exist: CertOps sees none and does not ask the CA to validate.
    const early = await followCaOrder(h.ctx, application.id, { verify: true });
    expect(early).toEqual({
      ok: true,
      value: {
        kind: 'waiting',
        state: expect.objectContaining({ state: 'awaiting_validation', challenges }),
      },
    });
    const detail = early.ok && early.value.kind === 'waiting' ? early.value.state : undefined;
    expect(detail && 'detail' in detail ? detail.detail : '').toContain(
      `_acme-challenge.${NAMES[0]}, _acme-challenge.${NAMES[1]}`,
    );
    expect(await authorizationsAtCa(cert?.caOrderId ?? '')).toEqual(
      expect.arrayContaining(NAMES.map((n) => `${n}:pending`)),
    );
    expect((await h.ctx.store.applications.get(application.id))?.status).toBe('submitted');

    // One record only: still waiting, naming the one that is missing.
    await pebble.setTxt(challenges[0]?.name ?? '', challenges[0]?.value ?? '');
    const half = await followCaOrder(h.ctx, application.id, { verify: true });
    const halfState = half.ok && half.value.kind === 'waiting' ? half.value.state : undefined;
    expect(halfState && 'detail' in halfState ? halfState.detail : '').toBe(
      `TXT records not found in DNS yet: _acme-challenge.${NAMES[1]}`,
    );

    await pebble.setTxt(challenges[1]?.name ?? '', challenges[1]?.value ?? '');
    const done = await followCaOrder(h.ctx, application.id, { verify: true });
    expect(done).toEqual({ ok: true, value: { kind: 'issued' } });
    const issued = await h.ctx.store.certificates.get(certificateId);
    expect(issued).toMatchObject({ state: 'issued', domains: NAMES });
    expect(issued?.notAfter).toBeGreaterThan(Date.now() + 80 * 86_400_000);
    expect((await h.ctx.store.applications.get(application.id))?.status).toBe('issued');

    // The certificate the CA issued: both names, and the key on disk is its key.
    if (!issued) throw new Error('the certificate is gone');
    const state = await provider.check?.(
      { orderId: issued.caOrderId ?? '', application, certificate: issued },
      { verify: false },
    );
    expect(state?.state).toBe('issued');
    const pemChain = state?.state === 'issued' ? state.certificatePem : '';
    const x509 = new X509Certificate(pemChain);
    expect(x509.subjectAltName?.split(', ').sort()).toEqual(NAMES.map((n) => `DNS:${n}`).sort());
    expect(x509.fingerprint256.replace(/:/g, '').toLowerCase()).toBe(
      issued.fingerprintSha256?.replace(/:/g, '').toLowerCase(),
    );
    const keyFile = join(keyDir, `${certificateId}.key.pem`);
    const keyPem = await readFile(keyFile, 'utf8');
    expect(x509.checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(keyDir, 'account.key.pem'))).mode & 0o777).toBe(0o600);
    expect((await stat(keyDir)).mode & 0o777).toBe(0o700);
    // No temporary key left behind.
    expect((await readdir(keyDir)).sort()).toEqual(['account.key.pem', `${certificateId}.key.pem`]);

    // The private keys are nowhere else: not in Redis, not in the logs.
    const body = (pem: string) =>
      pem
        .replace(/-----[A-Z ]+-----/g, '')
        .replace(/\s+/g, '')
        .slice(20, 84);
    const accountKey = await readFile(join(keyDir, 'account.key.pem'), 'utf8');
    const stored = await storedText(h.redis.redis, `${h.redis.prefix}:*`);
    expect(stored).toContain(certificateId);
    for (const secret of [body(keyPem), body(accountKey), 'PRIVATE KEY']) {
      expect(stored).not.toContain(secret);
      expect(logs.join('\n')).not.toContain(secret);
    }
    expect(logs.join('\n')).not.toContain('private key redacted');
    expect(JSON.stringify(h.events.events)).not.toContain(body(keyPem));
  });

  it('verifies a wildcard and its base name: two values under one record name', async () => {
    const names = ['wild.acme-test.example', '*.wild.acme-test.example'];
    const { application, certificateId, challenges } = await applyAndApprove(names, 'hybrid');
    expect(challenges.map((c) => c.name)).toEqual([
      '_acme-challenge.wild.acme-test.example',
      '_acme-challenge.wild.acme-test.example',
    ]);
    await pebble.setTxt(challenges[1]?.name ?? '', challenges[1]?.value ?? '');
    const half = await followCaOrder(h.ctx, application.id, { verify: true });
    expect(half.ok && half.value.kind).toBe('waiting');
    await pebble.setTxt(challenges[0]?.name ?? '', challenges[0]?.value ?? '');
    expect(await followCaOrder(h.ctx, application.id, { verify: true })).toEqual({
      ok: true,
      value: { kind: 'issued' },
    });
    expect(await h.ctx.store.certificates.get(certificateId)).toMatchObject({
      state: 'issued',
      domains: names,
    });
  });

  it('keeps one account: a second provider on the same key folder (no email) reuses the key', async () => {
    const before = await readFile(join(keyDir, 'account.key.pem'));
    const again = createAcmeProvider(config({ email: undefined }), recordingLogger([]));
    const cert = await h.ctx.store.certificates.get((await buy(h.ctx))[0] ?? '');
    const submitted = await again.submit({
      application: { id: 'a-direct', domains: ['direct.acme-test.example'] } as never,
      certificate: cert as never,
    });
    expect(submitted.orderId).toMatch(/^https:/);
    expect(await readFile(join(keyDir, 'account.key.pem'))).toEqual(before);
  });

  it('renews a hosted certificate by itself: the activated renewal goes to ACME and replaces it', async () => {
    const credits = await recordPurchases(h.ctx, ADMIN, [
      { kind: 'hosting_credits', team: 'web', count: 1 },
    ]);
    expect(credits.ok).toBe(true);
    const names = ['hosted.acme-test.example'];
    const first = await applyAndApprove(names, 'multi', true);
    for (const c of first.challenges) await pebble.setTxt(c.name, c.value);
    expect(await followCaOrder(h.ctx, first.application.id, { verify: true })).toEqual({
      ok: true,
      value: { kind: 'issued' },
    });
    const original = await h.ctx.store.certificates.get(first.certificateId);
    expect(original).toMatchObject({ state: 'issued', hosted: true });

    // What the expiry check does in the window: activate the renewal, which submits it.
    const activated = await activateHostedRenewal(h.ctx, original as NonNullable<typeof original>);
    if (!activated.ok) throw new Error(JSON.stringify(activated.refusal));
    const renewalApp = activated.value.application;
    expect(renewalApp.status).toBe('submitted');
    const renewalId = renewalApp.certificateId;
    const challenges = challengesOf(renewalApp.id);
    expect(challenges.map((c) => c.name)).toEqual([`_acme-challenge.${names[0]}`]);
    // A new ACME order of its own. (Not a new challenge value: a CA may hand the same valid
    // authorization to a later order of the same account, RFC 8555 section 7.4, and pebble
    // now and then does, whatever PEBBLE_AUTHZREUSE says.)
    const renewalOrder = (await h.ctx.store.certificates.get(renewalId))?.caOrderId;
    expect(renewalOrder).toBeTruthy();
    expect(renewalOrder).not.toBe(original?.caOrderId);

    for (const c of challenges) await pebble.setTxt(c.name, c.value);
    expect(await followCaOrder(h.ctx, renewalApp.id, { verify: true })).toEqual({
      ok: true,
      value: { kind: 'issued' },
    });
    expect(await h.ctx.store.certificates.get(renewalId)).toMatchObject({
      state: 'issued',
      domains: names,
    });
    expect((await h.ctx.store.certificates.get(first.certificateId))?.state).toBe('replaced');
    expect((await stat(join(keyDir, `${renewalId}.key.pem`))).mode & 0o777).toBe(0o600);
  });

  it('refuses an ACME server whose TLS certificate is not trusted (no CA file), without retrying', async () => {
    const untrusting = createAcmeProvider(
      config({ caFile: undefined, keyDir: join(keyDir, '..', 'other-keys') }),
      recordingLogger([]),
    );
    const error = await untrusting
      .submit({
        application: { id: 'a-tls', domains: ['tls.acme-test.example'] } as never,
        certificate: { id: 'c-tls' } as never,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    expect(error).toMatchObject({ provider: 'acme', transient: false });
    expect((error as CaError).message).toMatch(/not trusted.*CERTOPS_ACME_CA_FILE/);
  });

  it('reports a CA that went away as a transient CaError, fast, and changes nothing', async () => {
    const { application, certificateId, challenges } = await applyAndApprove([
      'down.acme-test.example',
    ]);
    for (const c of challenges as DomainChallenge[]) await pebble.setTxt(c.name, c.value);
    const before = await h.ctx.store.certificates.get(certificateId);
    await pebble.stopPebble();

    const started = Date.now();
    const error = await provider
      .submit({ application, certificate: before as never })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    expect(error).toMatchObject({ provider: 'acme', transient: true });
    expect((error as CaError).message).toMatch(/no answer from the ACME server .*ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(3000);

    const followed = await followCaOrder(h.ctx, application.id, { verify: true });
    expect(followed.ok).toBe(false);
    expect(followed.ok ? undefined : followed.refusal.code).toBe('ca.error');
    expect(await h.ctx.store.certificates.get(certificateId)).toEqual(before);
    expect((await h.ctx.store.applications.get(application.id))?.status).toBe('submitted');
  });
});
