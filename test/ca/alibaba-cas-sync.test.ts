import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AlibabaCasProvider,
  createAlibabaCasProvider,
} from '../../src/ca/alibaba-cas-provider.js';
import {
  casProviderFrom,
  NO_CAS_CONFIG,
  parseSyncArgs,
  syncAlibabaCas,
} from '../../src/cli/sync-alibaba-cas.js';
import type { AlibabaCasConfig } from '../../src/config.js';
import { syncCaUploads as syncCasUploads } from '../../src/usecases/sync-ca-uploads.js';
import { uploadCertificate } from '../../src/usecases/upload-certificate.js';
import { FakeAlibabaCas } from '../support/fake-alibaba-cas.js';
import { storedText } from '../support/redis-snapshot.js';
import { ADMIN, ALICE, type Harness, harness, pem } from '../support/usecase-harness.js';

const KEY_ID = 'LTAI5tFakeKeyId0002';
const SECRET = 'FakeSecretValue0123456789abcdef';
const KEY_MARKER = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCcasuploadsecret';
const KEY = `-----BEGIN RSA PRIVATE KEY-----\n${KEY_MARKER}\n-----END RSA PRIVATE KEY-----\n`;

let fake: FakeAlibabaCas;
let h: Harness;
let provider: AlibabaCasProvider;
let logs: string[];

function recordingLogger(lines: string[]) {
  const put =
    (level: string) =>
    (...args: unknown[]) =>
      lines.push(
        `${level} ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')}`,
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

const configFor = (overrides: Partial<AlibabaCasConfig> = {}): AlibabaCasConfig => ({
  accessKeyId: KEY_ID,
  accessKeySecret: SECRET,
  endpoint: fake.endpoint,
  productCodes: {},
  ...overrides,
});

const providerWith = (overrides: Partial<AlibabaCasConfig> = {}) =>
  createAlibabaCasProvider(configFor(overrides), recordingLogger(logs), {
    qps: { ListUserCertificateOrder: 1000, GetUserCertificateDetail: 1000 },
  });

const shopUpload = {
  CertificateId: 9_100_001,
  Name: 'shop-upload',
  CommonName: 'shop.example.com',
  Cert: pem('shop-ov-2126.pem'),
  Key: KEY,
};

beforeAll(async () => {
  fake = await FakeAlibabaCas.start(KEY_ID);
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  fake.reset();
  logs = [];
  provider = providerWith();
  // The fake clock (2126-06-04) is within the fixture's validity.
  h = await harness();
});
afterEach(async () => {
  await h.cleanup();
});

describe('provider: uploaded certificates', () => {
  it('lists UPLOAD rows page by page', async () => {
    fake.uploads = Array.from({ length: 60 }, (_, i) => ({ ...shopUpload, CertificateId: i + 1 }));
    const found = await provider.uploadedCertificates();
    expect(found).toHaveLength(60);
    expect(found[0]).toEqual({
      certificateId: '1',
      name: 'shop-upload',
      commonName: 'shop.example.com',
      expired: false,
    });
    const lists = fake.callsOf('ListUserCertificateOrder');
    expect(lists.map((c) => [c.params.OrderType, c.params.CurrentPage])).toEqual([
      ['UPLOAD', '1'],
      ['UPLOAD', '2'],
    ]);
  });

  it('returns the certificate PEM without the key, and asks without CertFilter', async () => {
    fake.uploads = [shopUpload];
    const detail = await provider.certificateDetail('9100001');
    expect(detail.certificatePem).toContain('-----BEGIN CERTIFICATE-----');
    expect(detail.certificateId).toBe('9100001');
    expect(JSON.stringify(detail)).not.toContain(KEY_MARKER);
    const [call] = fake.callsOf('GetUserCertificateDetail');
    expect(call?.params.CertId).toBe('9100001');
    expect(call?.params.CertFilter).toBeUndefined();
  });

  it('refuses a certificate id that is not a number, without calling CAS', async () => {
    await expect(provider.certificateDetail('12; drop')).rejects.toThrow(
      /is not a CAS certificate id/,
    );
    expect(fake.callsOf('GetUserCertificateDetail')).toHaveLength(0);
  });
});

describe('syncCasUploads', () => {
  it('tracks an uploaded certificate once; a second run adds nothing', async () => {
    fake.uploads = [shopUpload];
    const first = await syncCasUploads(h.ctx, provider, ADMIN);
    expect(first.ok && first.value).toMatchObject({
      known: 0,
      needsType: [],
      skipped: [],
      created: [{ casCertificateId: '9100001' }],
    });
    const id = first.ok ? first.value.created[0]?.certificateId : undefined;
    const cert = id ? await h.ctx.store.certificates.get(id) : undefined;
    expect(cert).toMatchObject({
      state: 'uploaded',
      source: 'uploaded',
      name: 'shop-upload',
      domains: ['shop.example.com', 'www.shop.example.com'],
      ownerUserId: ADMIN,
    });
    expect(cert?.spec.validationType).toBe('OV');

    const second = await syncCasUploads(h.ctx, provider, ADMIN);
    expect(second.ok && second.value).toEqual({
      created: [],
      known: 1,
      needsType: [],
      skipped: [],
    });
    expect(await h.ctx.store.certificates.ids({ offset: 0, limit: 10 })).toHaveLength(1);
  });

  it('counts a certificate a person already uploaded as known', async () => {
    const uploaded = await uploadCertificate(h.ctx, {
      pem: pem('shop-ov-2126.pem'),
      uploaderId: ALICE,
    });
    expect(uploaded.ok).toBe(true);
    fake.uploads = [shopUpload];
    const result = await syncCasUploads(h.ctx, provider, ADMIN);
    expect(result.ok && result.value).toEqual({
      created: [],
      known: 1,
      needsType: [],
      skipped: [],
    });
  });

  it('leaves a certificate that does not say its validation type to a person', async () => {
    fake.uploads = [{ ...shopUpload, CertificateId: 42, Cert: pem('no-policy-2126.pem') }];
    const result = await syncCasUploads(h.ctx, provider, ADMIN);
    expect(result.ok && result.value).toEqual({
      created: [],
      known: 0,
      needsType: ['42'],
      skipped: [],
    });
    expect(await h.ctx.store.certificates.ids({ offset: 0, limit: 10 })).toHaveLength(0);
  });

  it('refuses someone who may not record purchases, without calling CAS', async () => {
    const result = await syncCasUploads(h.ctx, provider, ALICE);
    expect(result.ok ? undefined : result.refusal.code).toBe('purchase.not_allowed');
    expect(fake.calls).toHaveLength(0);
  });

  it('never lets the key CAS returns reach Redis, the results or the logs', async () => {
    fake.uploads = [shopUpload];
    const outcome = await syncAlibabaCas(h.ctx, provider, ADMIN);
    const again = await syncCasUploads(h.ctx, provider, ADMIN);
    expect(outcome.ok).toBe(true);
    const stored = await storedText(h.redis.redis, `${h.redis.prefix}:*`);
    expect(stored).toContain('shop.example.com'); // the certificate is there...
    for (const text of [stored, JSON.stringify(outcome), JSON.stringify(again), logs.join('\n')]) {
      expect(text).not.toContain(KEY_MARKER); // ...its key is not
      expect(text).not.toContain('PRIVATE KEY');
    }
  });
});

describe('sync-alibaba-cas', () => {
  it('imports orders, then tracks uploads, and reports the counts', async () => {
    fake.orderRows = [
      {
        OrderId: 555_001,
        Status: 'PAYED',
        CertType: 'OV',
        DomainType: 'ONE',
        RootBrand: 'DigiCert',
        DomainCount: 1,
        WildDomainCount: 0,
      },
    ];
    fake.uploads = [shopUpload];
    const first = await syncAlibabaCas(h.ctx, provider, ADMIN);
    expect(first.ok).toBe(true);
    expect(first.lines).toContain('CAS orders: 1 imported, 0 already tracked, 0 skipped');
    expect(first.lines).toContain(
      'CAS uploads: 1 tracked, 0 already tracked, 0 need a validation type, 0 skipped',
    );
    const second = await syncAlibabaCas(h.ctx, provider, ADMIN);
    expect(second).toEqual({
      ok: true,
      lines: [
        'CAS orders: 0 imported, 1 already tracked, 0 skipped',
        'CAS uploads: 0 tracked, 1 already tracked, 0 need a validation type, 0 skipped',
      ],
    });
  });

  it('gives one clear line for a bad AccessKey, without the secret', async () => {
    fake.uploads = [shopUpload];
    const bad = providerWith({ accessKeyId: 'LTAI5tWrongKeyId999' });
    const outcome = await syncAlibabaCas(h.ctx, bad, ADMIN);
    expect(outcome.ok).toBe(false);
    const error = outcome.ok ? '' : outcome.error;
    expect(error).toMatch(
      /^Alibaba Cloud CAS: Alibaba Cloud does not accept the AccessKey ID in ALIBABA_CLOUD_ACCESS_KEY_ID \(InvalidAccessKeyId\.NotFound\)/,
    );
    expect(error).not.toContain('\n');
    expect(error).not.toContain(SECRET);
    expect(await h.ctx.store.certificates.ids({ offset: 0, limit: 10 })).toHaveLength(0);
  });

  it('says so in one line when Alibaba Cloud CAS is not configured', () => {
    expect(casProviderFrom(undefined, recordingLogger(logs))).toEqual({
      ok: false,
      error: NO_CAS_CONFIG,
    });
    expect(NO_CAS_CONFIG).not.toContain('\n');
    expect(casProviderFrom(configFor(), recordingLogger(logs)).ok).toBe(true);
  });

  it('parses --as', () => {
    expect(parseSyncArgs(['--as', 'UADMIN'])).toEqual({ ok: true, actor: 'UADMIN' });
    expect(parseSyncArgs(['--as=WADMIN1'])).toEqual({ ok: true, actor: 'WADMIN1' });
    expect(parseSyncArgs([]).ok).toBe(false);
    expect(parseSyncArgs(['--as', 'bob']).ok).toBe(false);
    expect(parseSyncArgs(['--as', 'UADMIN', 'extra']).ok).toBe(false);
  });
});
