import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CallPacer } from '../../src/ca/alibaba-cas-limiter.js';
import {
  type AlibabaCasProvider,
  createAlibabaCasProvider,
} from '../../src/ca/alibaba-cas-provider.js';
import type { AlibabaCasConfig } from '../../src/config.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import { followCaOrder, ordersToPoll } from '../../src/usecases/follow-ca-order.js';
import { importCaOrders as importCasOrders } from '../../src/usecases/import-ca-orders.js';
import { CaError, type CaOrderRef } from '../../src/usecases/ports/index.js';
import { FakeAlibabaCas } from '../support/fake-alibaba-cas.js';
import {
  ADMIN,
  ALICE,
  APPROVER,
  buy,
  type Harness,
  harness,
  pem,
} from '../support/usecase-harness.js';
import { virtualPacerClock } from '../support/virtual-pacer-clock.js';

const KEY_ID = 'LTAI5tFakeKeyId0001';
const SECRET = 'FakeSecretValue0123456789abcdef';
const PRIVATE_KEY_MARKER = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCtopsecret';
const PRIVATE_KEY = `-----BEGIN RSA PRIVATE KEY-----\n${PRIVATE_KEY_MARKER}\n-----END RSA PRIVATE KEY-----\n`;

let fake: FakeAlibabaCas;
let h: Harness;
let provider: AlibabaCasProvider;
let logs: string[];

const configFor = (
  endpoint: string,
  overrides: Partial<AlibabaCasConfig> = {},
): AlibabaCasConfig => ({
  accessKeyId: KEY_ID,
  accessKeySecret: SECRET,
  endpoint,
  productCodes: {
    'digicert/OV/multi/standard': 'digicert-ov-1-multi',
    'digicert/OV/multi/pro': 'digicert-ov-1-multi-pro',
    'geotrust/DV/wildcard/standard': 'geotrust-dv-w-starter',
  },
  ...overrides,
});

function recordingLogger(lines: string[]) {
  const put =
    (level: string) =>
    (...args: unknown[]) =>
      lines.push(
        `${level} ${args.map((a) => (a instanceof Error ? `${a.message}` : String(a))).join(' ')}`,
      );
  return {
    debug: put('debug'),
    info: put('info'),
    warn: put('warn'),
    error: put('error'),
    setLevel() {},
    getLevel: () => 'debug',
    setName() {},
  } as never;
}

const providerWith = (overrides: Partial<AlibabaCasConfig> = {}, qps?: Record<string, number>) =>
  createAlibabaCasProvider(configFor(fake.endpoint, overrides), recordingLogger(logs), {
    ...(qps ? { qps } : {}),
  });

beforeAll(async () => {
  fake = await FakeAlibabaCas.start(KEY_ID);
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  fake.reset();
  logs = [];
  // High limits: pacing has its own test below.
  provider = providerWith(
    {},
    { DescribeCertificateState: 1000, CreateCertificateForPackageRequest: 1000 },
  );
  h = await harness({ ca: { providerFor: () => provider } });
});
afterEach(async () => {
  await h.cleanup();
});

const contact = {
  kind: 'new',
  fields: { name: 'Li Lei', email: 'li@example.com', phone: '+8613800000000' },
} as const;

/** A DigiCert OV multi instance applied for by Alice (awaiting approval). */
async function applied(
  options: { validationMethod?: 'dns' | 'file' | 'email'; domains?: string[] } = {},
) {
  const [certId = ''] = await buy(h.ctx);
  const result = await applyForCertificate(h.ctx, {
    certificateId: certId,
    requesterId: ALICE,
    domains: options.domains ?? ['shop.example.com', 'www.shop.example.com'],
    validationMethod: options.validationMethod ?? 'dns',
    contact,
    hosting: false,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.refusal));
  return result.value.application;
}

/** Applied and approved: the use case submits it to CAS. */
async function submitted(options: Parameters<typeof applied>[0] = {}) {
  const app = await applied(options);
  const decided = await decideApplication(h.ctx, {
    applicationId: app.id,
    deciderId: APPROVER,
    decision: 'approve',
  });
  if (!decided.ok || decided.value.caError) throw new Error(JSON.stringify(decided));
  const cert = await h.ctx.store.certificates.get(app.certificateId);
  const stored = await h.ctx.store.applications.get(app.id);
  if (!cert?.caOrderId || !stored) throw new Error('not submitted');
  const ref: CaOrderRef = { orderId: cert.caOrderId, application: stored, certificate: cert };
  return ref;
}

async function caErrorOf(promise: Promise<unknown>): Promise<CaError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CaError);
  return error as CaError;
}

describe('submit', () => {
  it('sends the product code, domains, validation type and contact, and keeps the OrderId', async () => {
    const order = await submitted();
    const [create] = fake.callsOf('CreateCertificateForPackageRequest');
    expect(create?.params).toEqual({
      ProductCode: 'digicert-ov-1-multi',
      Domain: 'shop.example.com,www.shop.example.com',
      ValidateType: 'DNS',
      Username: 'Li Lei',
      Phone: '+8613800000000',
      Email: 'li@example.com',
    });
    expect(create).toMatchObject({ signed: true, accessKeyId: KEY_ID });
    expect(order.orderId).toBe('100001');
    expect(order.application.status).toBe('submitted');
    expect(order.certificate.state).toBe('under_review');
    // The DNS record CAS asks for is passed on right away (relative `_dnsauth` per domain).
    const challenges = h.events.events.find((e) => e.type === 'ca_challenges');
    expect(challenges && 'challenges' in challenges ? challenges.challenges : []).toEqual([
      {
        domain: 'shop.example.com',
        type: 'dns-txt',
        name: '_dnsauth.shop.example.com',
        value: '2126060400000100001dnsauth',
      },
      {
        domain: 'www.shop.example.com',
        type: 'dns-txt',
        name: '_dnsauth.www.shop.example.com',
        value: '2126060400000100001dnsauth',
      },
    ]);
  });

  it('asks for file validation and reports the file to publish', async () => {
    const order = await submitted({ validationMethod: 'file' });
    expect(fake.callsOf('CreateCertificateForPackageRequest')[0]?.params.ValidateType).toBe('FILE');
    expect(await provider.check(order, { verify: false })).toEqual({
      state: 'awaiting_validation',
      challenges: [
        {
          domain: 'shop.example.com',
          type: 'file',
          name: '/.well-known/pki-validation/fileauth.txt',
          value: 'fileauth-100001',
        },
      ],
    });
  });

  it('refuses what the API cannot take, clearly and without calling it', async () => {
    const app = await applied();
    const certificate = await h.ctx.store.certificates.get(app.certificateId);
    if (!certificate) throw new Error('no cert');
    const submit = (over: Partial<typeof app>, cert = certificate) =>
      caErrorOf(provider.submit({ application: { ...app, ...over }, certificate: cert }));

    const noCode = await submit(
      {},
      { ...certificate, spec: { ...certificate.spec, brand: 'Sectigo' } },
    );
    expect(noCode.transient).toBe(false);
    expect(noCode.message).toContain(
      'add one to CERTOPS_ALIBABA_PRODUCT_CODES (like Sectigo/OV/multi/standard=<product code>)',
    );
    // Brand, type and domain type configured, this grade not: no code is borrowed from another.
    const noGrade = await submit(
      {},
      { ...certificate, spec: { ...certificate.spec, grade: 'Enterprise' } },
    );
    expect(noGrade.message).toContain(
      'no Alibaba Cloud CAS product code for DigiCert/OV/multi/Enterprise: add one to CERTOPS_ALIBABA_PRODUCT_CODES (like DigiCert/OV/multi/Enterprise=<product code>)',
    );
    const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((l) => `${l}.example.com`);
    expect((await submit({ domains: six })).message).toContain('at most 5');
    expect((await submit({ domains: ['*.example.com', 'example.com'] })).message).toContain(
      'cannot mix wildcard and single',
    );
    expect((await submit({ validationMethod: 'email' })).message).toContain('not by email');
    expect(fake.calls).toEqual([]);
  });
});

describe('product codes', () => {
  const spec = {
    brand: 'DigiCert',
    validationType: 'OV',
    domainType: 'multi',
    grade: 'standard',
  } as const;

  it('tells grades apart: a standard and a pro instance of one brand, type and domain type', () => {
    expect(provider.productCodeFor(spec)).toBe('digicert-ov-1-multi');
    expect(provider.productCodeFor({ ...spec, grade: 'pro' })).toBe('digicert-ov-1-multi-pro');
    // Brand and grade as specs compare them.
    expect(provider.productCodeFor({ ...spec, brand: ' digicert', grade: ' PRO ' })).toBe(
      'digicert-ov-1-multi-pro',
    );
    expect(provider.productCodeFor({ ...spec, grade: 'enterprise' })).toBeUndefined();
    expect(provider.productCodeFor({ ...spec, domainType: 'single' })).toBeUndefined();
  });

  it('submits a pro instance with the pro package', async () => {
    const app = await applied();
    const stored = await h.ctx.store.certificates.get(app.certificateId);
    if (!stored) throw new Error('no cert');
    const pro = { ...stored, spec: { ...stored.spec, grade: 'Pro' } };
    expect((await provider.submit({ application: app, certificate: pro })).orderId).toBe('100001');
    expect(fake.callsOf('CreateCertificateForPackageRequest')[0]?.params.ProductCode).toBe(
      'digicert-ov-1-multi-pro',
    );
  });

  it('lists each configured code with its grade-qualified keys', () => {
    expect(provider.configuredProducts()).toEqual([
      { productCode: 'digicert-ov-1-multi', specs: ['digicert/OV/multi/standard'] },
      { productCode: 'digicert-ov-1-multi-pro', specs: ['digicert/OV/multi/pro'] },
      { productCode: 'geotrust-dv-w-starter', specs: ['geotrust/DV/wildcard/standard'] },
    ]);
  });
});

describe('check: CAS states', () => {
  it('maps domain_verify, process, payed, certificate, verify_fail and unknow', async () => {
    const order = await submitted();
    const check = () => provider.check(order, { verify: false });
    fake.script(order.orderId, {
      Type: 'domain_verify',
      ValidateType: 'DNS',
      RecordDomain: '_dnsauth.shop.example.com',
      RecordType: 'CNAME',
      RecordValue: 'x.dnsauth.example.net',
    });
    expect(await check()).toEqual({
      state: 'awaiting_validation',
      challenges: [
        {
          domain: 'shop.example.com',
          type: 'dns-cname',
          name: '_dnsauth.shop.example.com',
          value: 'x.dnsauth.example.net',
        },
      ],
    });
    fake.script(order.orderId, { Type: 'process' });
    expect(await check()).toEqual({ state: 'processing' });
    fake.script(order.orderId, { Type: 'payed' });
    expect(await check()).toEqual({ state: 'processing' });
    const certificate = pem('shop-ov-2126.pem');
    fake.script(order.orderId, {
      Type: 'certificate',
      Certificate: certificate,
      PrivateKey: PRIVATE_KEY,
    });
    const issued = await check();
    expect(issued).toEqual({ state: 'issued', certificatePem: `${certificate.trim()}\n` });
    expect(JSON.stringify(issued)).not.toContain(PRIVATE_KEY_MARKER);
    fake.script(order.orderId, { Type: 'verify_fail' });
    expect(await check()).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('审核失败'),
    });
    fake.script(order.orderId, { Type: 'unknow' });
    expect(await check()).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('unknown order'),
    });
    expect(fake.callsOf('DescribeCertificateState').at(-1)?.params).toEqual({
      OrderId: order.orderId,
    });
  });

  it('records the issued PEM, and the private key CAS sends along reaches no result, store or log', async () => {
    const order = await submitted();
    fake.script(order.orderId, {
      Type: 'certificate',
      Certificate: pem('shop-ov-2126.pem'),
      PrivateKey: PRIVATE_KEY,
    });
    const followed = await followCaOrder(h.ctx, order.application.id, { verify: false });
    expect(followed).toEqual({ ok: true, value: { kind: 'issued' } });
    const cert = await h.ctx.store.certificates.get(order.certificate.id);
    expect(cert?.state).toBe('issued');
    expect((await h.ctx.store.applications.get(order.application.id))?.status).toBe('issued');
    // Nothing anywhere under the store's prefix, in events or in logs holds the key.
    const keys = await h.redis.redis.keys(`${h.redis.prefix}:*`);
    for (const key of keys) {
      const type = await h.redis.redis.type(key);
      const dump =
        type === 'string'
          ? await h.redis.redis.get(key)
          : type === 'hash'
            ? JSON.stringify(await h.redis.redis.hgetall(key))
            : type === 'list'
              ? JSON.stringify(await h.redis.redis.lrange(key, 0, -1))
              : type === 'zset'
                ? JSON.stringify(await h.redis.redis.zrange(key, '0', '-1'))
                : type === 'set'
                  ? JSON.stringify(await h.redis.redis.smembers(key))
                  : '';
      expect(dump ?? '').not.toContain(PRIVATE_KEY_MARKER);
    }
    expect(JSON.stringify(h.events.events)).not.toContain(PRIVATE_KEY_MARKER);
    expect(logs.join('\n')).not.toContain(PRIVATE_KEY_MARKER);
  });

  it('a verify_fail is recorded as validation failed with the reason', async () => {
    const order = await submitted();
    fake.script(order.orderId, { Type: 'verify_fail' });
    const followed = await followCaOrder(h.ctx, order.application.id, { verify: false });
    expect(followed).toMatchObject({ ok: true, value: { kind: 'failed' } });
    expect((await h.ctx.store.certificates.get(order.certificate.id))?.state).toBe(
      'validation_failed',
    );
  });
});

describe('errors', () => {
  it('throttling is a transient CaError with a clear message, and pauses that operation', async () => {
    const order = await submitted();
    fake.failNext('DescribeCertificateState', {
      status: 400,
      code: 'Throttling.User',
      message: 'Request was denied due to user flow control.',
    });
    const error = await caErrorOf(provider.check(order, { verify: false }));
    expect(error).toMatchObject({ provider: 'alibaba-cas', transient: true });
    expect(error.message).toContain('throttling DescribeCertificateState calls (Throttling.User)');
    // The next call of that operation waits out the pause (about a second) before going.
    const before = performance.now();
    expect(await provider.check(order, { verify: false })).toMatchObject({
      state: 'awaiting_validation',
    });
    expect(performance.now() - before).toBeGreaterThan(800);
    // followCaOrder turns it into a refusal that changes nothing.
    fake.failNext('DescribeCertificateState', { status: 400, code: 'Throttling.User' });
    const followed = await followCaOrder(h.ctx, order.application.id, { verify: false });
    expect(followed).toMatchObject({ ok: false, refusal: { code: 'ca.error' } });
    expect((await h.ctx.store.applications.get(order.application.id))?.status).toBe('submitted');
  });

  it('bad credentials give a clear, non-transient message without the secret or the key id', async () => {
    const app = await applied();
    const certificate = await h.ctx.store.certificates.get(app.certificateId);
    if (!certificate) throw new Error('no cert');
    const wrongKey = providerWith({ accessKeyId: 'LTAI5tSomeOtherKey99' });
    const unknown = await caErrorOf(wrongKey.submit({ application: app, certificate }));
    expect(unknown.transient).toBe(false);
    expect(unknown.message).toContain('ALIBABA_CLOUD_ACCESS_KEY_ID');
    expect(unknown.message).toContain('InvalidAccessKeyId.NotFound');
    fake.failNext('*', {
      status: 400,
      code: 'SignatureDoesNotMatch',
      message: `Specified signature is not matched with our calculation. server string to sign is:${KEY_ID}`,
    });
    const badSecret = await caErrorOf(provider.describePackageState('digicert-ov-1-multi'));
    expect(badSecret).toMatchObject({ transient: false });
    expect(badSecret.message).toContain('ALIBABA_CLOUD_ACCESS_KEY_SECRET does not belong');
    fake.failNext('*', {
      status: 403,
      code: 'Forbidden.RAM',
      message: `User not authorized to operate on the specified resource, or this API doesn't support RAM. ${KEY_ID}`,
    });
    const ram = await caErrorOf(provider.listOrders());
    expect(ram.message).toContain('cas:ListUserCertificateOrder (Forbidden.RAM)');
    fake.failNext('*', {
      status: 400,
      code: 'NotEnoughCount',
      message: `no quota left for ${KEY_ID}`,
    });
    const refused = await caErrorOf(provider.describePackageState('x'));
    expect(refused).toMatchObject({ transient: false });
    expect(refused.message).toContain('NotEnoughCount: no quota left for ***');
    for (const text of [unknown, badSecret, ram, refused].map((e) => e.message).concat(logs)) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(KEY_ID);
      expect(text).not.toContain('LTAI5tSomeOtherKey99');
    }
  });

  it('server errors and an unreachable endpoint are transient', async () => {
    fake.failNext('*', {
      status: 503,
      code: 'ServiceUnavailable',
      message: 'The request has failed due to a temporary failure of the server.',
    });
    const server = await caErrorOf(provider.describePackageState('x'));
    expect(server).toMatchObject({ transient: true });
    expect(server.message).toContain('ServiceUnavailable');
    const closed = await FakeAlibabaCas.start(KEY_ID);
    const endpoint = closed.endpoint;
    await closed.close();
    const away = createAlibabaCasProvider(configFor(endpoint), recordingLogger(logs));
    const network = await caErrorOf(away.describePackageState('x'));
    expect(network).toMatchObject({ transient: true });
    expect(network.message).toMatch(
      /^Alibaba Cloud CAS could not be reached for DescribePackageState/,
    );
    // Refused before the request left: CAS cannot have carried it out.
    expect(network.outcomeUnknown).toBe(false);
    expect(server.outcomeUnknown).toBe(false);
  });

  it('a call CAS never answers may have been carried out (outcomeUnknown)', async () => {
    fake.orderRows = [{ OrderId: 5000, Status: 'WILLEXPIRED' }];
    fake.stallNext('RenewCertificateOrderForPackageRequest');
    const impatient = createAlibabaCasProvider(configFor(fake.endpoint), recordingLogger(logs), {
      readTimeoutMs: 300,
    });
    const error = await caErrorOf(impatient.renew('5000'));
    expect(error).toMatchObject({ transient: true, outcomeUnknown: true });
    expect(error.message).toMatch(/^Alibaba Cloud CAS could not be reached for RenewCertificate/);
    expect(fake.callsOf('RenewCertificateOrderForPackageRequest')).toHaveLength(1);
  });
});

/** The most departures any window of `windowMs` holds. */
function busiestWindow(stamps: readonly number[], windowMs: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < stamps.length; i++) {
    while ((stamps[i] ?? 0) - (stamps[j] ?? 0) >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('QPS', () => {
  it('the pacer spaces calls by 1/QPS after the burst, in call order', async () => {
    const clock = virtualPacerClock();
    const pacer = new CallPacer(10, 1, clock);
    const left: Array<[number, number]> = [];
    await Promise.all([1, 2, 3].map((n) => pacer.take().then(() => left.push([n, clock.elapsed]))));
    expect(left).toEqual([
      [1, 0],
      [2, 100],
      [3, 200],
    ]);
    await clock.sleep(1000);
    const idle = clock.elapsed;
    await pacer.take();
    expect(clock.elapsed).toBe(idle);
    pacer.pause(500);
    await pacer.take();
    expect(clock.elapsed).toBe(idle + 500);

    const burstClock = virtualPacerClock();
    const burst = new CallPacer(10, 3, burstClock);
    const stamps: number[] = [];
    for (let i = 0; i < 5; i++) {
      await burst.take();
      stamps.push(burstClock.elapsed);
    }
    expect(stamps).toEqual([0, 0, 0, 100, 200]);
  });

  it('never lets more than QPS calls leave in any second, however late its timers fire', async () => {
    // The real clock, with the event loop blocked now and then as on a busy machine: a late
    // timer must space the next call further, never bunch two together.
    // Each departure is stamped with the pacer's own reading of the clock: the last one it took
    // before letting the call go (the next call's turn starts only after this one's callback).
    let reading = 0;
    const clock = {
      now: () => {
        reading = performance.now();
        return reading;
      },
      sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    };
    const pacer = new CallPacer(50, 1, clock);
    const stamps: number[] = [];
    let blocked = 0;
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        pacer.take().then(() => {
          stamps.push(reading);
          if (i % 7 === 3) {
            const until = performance.now() + 35;
            while (performance.now() < until) blocked++;
          }
        }),
      ),
    );
    expect(blocked).toBeGreaterThan(0);
    for (let i = 1; i < stamps.length; i++)
      expect((stamps[i] ?? 0) - (stamps[i - 1] ?? 0)).toBeGreaterThanOrEqual(20);
    expect(busiestWindow(stamps, 1000)).toBeLessThanOrEqual(50);
  });

  it('paces each operation against the API on its own', async () => {
    const order = await submitted();
    const clock = virtualPacerClock();
    const paced = createAlibabaCasProvider(configFor(fake.endpoint), recordingLogger(logs), {
      qps: { DescribeCertificateState: 20 },
      pacerClock: clock,
    });
    fake.calls.length = 0;
    await Promise.all(Array.from({ length: 8 }, () => paced.check(order, { verify: false })));
    expect(fake.callsOf('DescribeCertificateState')).toHaveLength(8);
    // Eight calls at 20 per second: seven gaps of 50 ms, no more and no less.
    expect(clock.elapsed).toBe(7 * 50);
    // Another operation does not wait behind these.
    await paced.describePackageState('x');
    expect(clock.elapsed).toBe(7 * 50);
  });
});

describe('package state, order list, renewal, withdrawal', () => {
  it('reads the package, pages through orders, renews and cancels', async () => {
    fake.packages.set('digicert-ov-1-multi', { total: 10, used: 3, issued: 2 });
    expect(await provider.describePackageState('digicert-ov-1-multi')).toEqual({
      productCode: 'digicert-ov-1-multi',
      total: 10,
      used: 3,
      issued: 2,
    });
    fake.orderRows = Array.from({ length: 120 }, (_, i) => ({
      OrderId: 5000 + i,
      Status: 'PAYED',
    }));
    const orders = await provider.listOrders();
    expect(orders).toHaveLength(120);
    expect(orders[119]).toMatchObject({ orderId: '5119', status: 'PAYED', hosted: false });
    expect(fake.callsOf('ListUserCertificateOrder').map((c) => c.params)).toEqual([
      { CurrentPage: '1', OrderType: 'CPACK', ShowSize: '50' },
      { CurrentPage: '2', OrderType: 'CPACK', ShowSize: '50' },
      { CurrentPage: '3', OrderType: 'CPACK', ShowSize: '50' },
    ]);
    expect(await provider.listOrders({ max: 10 })).toHaveLength(10);
    // CAS renews only orders about to expire (WILLEXPIRED).
    await expect(provider.renew('5000')).rejects.toThrow(
      'Alibaba Cloud CAS refused RenewCertificateOrderForPackageRequest (OrderStatusNotAllowed',
    );
    fake.orderRows[0] = { OrderId: 5000, Status: 'WILLEXPIRED' };
    expect(await provider.renew('5000')).toEqual({ orderId: '100001' });
    expect(fake.callsOf('RenewCertificateOrderForPackageRequest').at(-1)?.params).toEqual({
      OrderId: '5000',
    });
    const order = await submitted();
    await provider.withdraw(order);
    expect(fake.callsOf('CancelOrderRequest')[0]?.params).toEqual({ OrderId: order.orderId });
    expect(await provider.check(order, { verify: false })).toEqual({ state: 'processing' });
    await expect(provider.renew('not-an-order')).rejects.toThrow('is not a CAS order id');
  });
});

describe('importCasOrders', () => {
  it('creates certificates for orders CertOps does not know, once', async () => {
    const order = await submitted();
    fake.orderRows = [
      {
        OrderId: Number(order.orderId),
        Status: 'CHECKING',
        CertType: 'OV',
        DomainType: 'MULTIPLE',
        RootBrand: 'DigiCert',
      },
      {
        OrderId: 7001,
        Status: 'PAYED',
        CertType: 'OV',
        DomainType: 'MULTIPLE',
        RootBrand: 'DigiCert',
        DomainCount: 3,
        ProductName: 'DigiCert OV multi',
      },
      {
        OrderId: 7002,
        Status: 'ISSUED',
        CertType: 'DV',
        DomainType: 'ONE',
        RootBrand: 'GeoTrust',
        Domain: 'api.example.com',
        CertStartTime: Date.parse('2126-01-01T00:00:00Z'),
        CertEndTime: Date.parse('2126-12-31T00:00:00Z'),
        TrusteeStatus: 'trustee',
      },
      {
        OrderId: 7003,
        Status: 'CHECKED_FAIL',
        CertType: 'FREE',
        DomainType: 'ONE',
        RootBrand: 'DigiCert',
        Domain: 'free.example.com',
      },
      {
        OrderId: 7004,
        Status: 'SOMETHING_NEW',
        CertType: 'OV',
        DomainType: 'ONE',
        RootBrand: 'DigiCert',
      },
    ];
    expect(await importCasOrders(h.ctx, provider, ALICE)).toMatchObject({
      ok: false,
      refusal: { code: 'purchase.not_allowed' },
    });
    const first = await importCasOrders(h.ctx, provider, ADMIN);
    if (!first.ok) throw new Error(JSON.stringify(first.refusal));
    expect(first.value.known).toBe(1);
    expect(first.value.created.map((c) => c.orderId)).toEqual(['7001', '7002', '7003']);
    expect(first.value.skipped).toEqual([
      { orderId: '7004', reason: 'status SOMETHING_NEW is not imported' },
    ]);
    const certs = await h.ctx.store.certificates.getMany(
      first.value.created.map((c) => c.certificateId),
    );
    expect(
      certs.map((c) => [
        c.caOrderId,
        c.state,
        c.team,
        c.spec.validationType,
        c.spec.domainType,
        c.domainQuota,
      ]),
    ).toEqual([
      ['7001', 'pending_application', 'default', 'OV', 'multi', 3],
      ['7002', 'issued', 'default', 'DV', 'single', 1],
      ['7003', 'validation_failed', 'default', 'DV', 'single', 1],
    ]);
    expect(certs[1]).toMatchObject({
      domains: ['api.example.com'],
      hosted: true,
      notAfter: Date.parse('2126-12-31T00:00:00Z'),
    });
    const again = await importCasOrders(h.ctx, provider, ADMIN, { team: 'web' });
    expect(again).toMatchObject({ ok: true, value: { created: [], known: 4 } });
    expect(await h.ctx.store.certificates.count()).toBe(4);
  });

  it('gives an order still under review a submitted application, so the CA poll follows it', async () => {
    fake.orderRows = [
      {
        OrderId: 7100,
        Status: 'CHECKING',
        CertType: 'OV',
        DomainType: 'ONE',
        RootBrand: 'DigiCert',
        Domain: 'shop.example.com',
      },
    ];
    const imported = await importCasOrders(h.ctx, provider, ADMIN);
    if (!imported.ok) throw new Error(JSON.stringify(imported.refusal));
    const [created] = imported.value.created;
    const cert = await h.ctx.store.certificates.get(created?.certificateId ?? '');
    expect(cert).toMatchObject({ state: 'under_review', caOrderId: '7100' });
    const app = await h.ctx.store.applications.get(cert?.openApplicationId ?? '');
    expect(app).toMatchObject({
      status: 'submitted',
      certificateId: cert?.id,
      domains: ['shop.example.com'],
    });
    expect(await ordersToPoll(h.ctx)).toContain(app?.id);
  });
});
