import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { missingCasProductCodes } from '../../src/ca/alibaba-cas-product-codes.js';
import { createCaRegistry } from '../../src/ca/registry.js';
import { StartupError } from '../../src/certops.js';
import { parseConfig } from '../../src/config.js';
import type { Certificate } from '../../src/domain/certificate.js';
import type { CertificateState } from '../../src/domain/states.js';
import { createLogger } from '../../src/infra/logger.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import { startBot } from '../support/certops-under-test.js';
import { FakeAlibabaCas } from '../support/fake-alibaba-cas.js';
import { ADMIN, type Harness, harness } from '../support/usecase-harness.js';

/**
 * Start-up refuses a configuration that lacks the product code (grade included) of a spec open
 * instances routed to Alibaba Cloud CAS have: their submissions would otherwise fail one by one.
 */

const KEY_ID = 'LTAI5tFakeKeyId0grade';
const SECRET = 'FakeSecretValue0123456789abcdef';
const STANDARD = 'DigiCert/OV/multi/standard=digicert-ov-1-multi';
const MISSING_PRO =
  'CERTOPS_ALIBABA_PRODUCT_CODES has no product code for DigiCert/OV/multi/Pro, which open instances routed to Alibaba Cloud CAS have: add each as brand/TYPE/domainType/grade=<product code>, like DigiCert/OV/multi/Pro=<product code>';

let fake: FakeAlibabaCas;
let h: Harness;

beforeAll(async () => {
  fake = await FakeAlibabaCas.start(KEY_ID);
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.cleanup();
});

const casEnv = (codes: string) => ({
  CERTOPS_CA_ROUTES: 'DigiCert=alibaba-cas; *=manual',
  ALIBABA_CLOUD_ACCESS_KEY_ID: KEY_ID,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: SECRET,
  CERTOPS_ALIBABA_ENDPOINT: fake.endpoint,
  CERTOPS_ALIBABA_PRODUCT_CODES: codes,
});

/** The registry start-up builds from this configuration. */
function registryFor(codes: string) {
  const parsed = parseConfig({
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: 'test0signing0secret0abcdef012345',
    CERTOPS_APPROVERS: 'UAPPROVER1',
    CERTOPS_APPROVAL_CHANNEL: 'CAPPROVALS',
    CERTOPS_SUPPORT_CHANNEL: 'CSUPPORT',
    ...casEnv(codes),
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return createCaRegistry(parsed.config.ca, createLogger({ write: () => undefined }));
}

async function bought(brand: string, grade: string, domainType: 'multi' | 'single' = 'multi') {
  const result = await recordPurchases(h.ctx, ADMIN, [
    {
      kind: 'instances',
      brand,
      validationType: 'OV',
      domainType,
      grade,
      validityYears: 1,
      domainQuota: domainType === 'multi' ? 2 : 1,
      quantity: 2,
      team: 'web',
    },
  ]);
  if (!result.ok) throw new Error(JSON.stringify(result.refusal));
  return [...result.value.certificateIds];
}

/** Moves instances to another state as the store keeps it (their history is not the point here). */
async function moveTo(state: CertificateState, ids: readonly string[]) {
  const before = await h.ctx.store.certificates.getMany(ids);
  const at = h.clock.now().getTime();
  const result = await h.ctx.store.commit((tx) => {
    for (const cert of before)
      tx.updateCertificate(cert, { ...cert, state } satisfies Certificate, {
        actor: ADMIN,
        at,
        action: 'test',
      });
  });
  if (!result.ok) throw new Error(JSON.stringify(result));
}

describe('missingCasProductCodes', () => {
  it('names the grade-qualified key of every open CAS spec without a code, once', async () => {
    await bought('DigiCert', 'standard');
    const pro = await bought('DigiCert', 'Pro');
    // One of the pro instances is under review: still open (a withdrawal puts it back).
    await moveTo('under_review', pro.slice(0, 1));
    // Closed or issued instances are never submitted again; other brands go to other CAs.
    await moveTo('cancelled', await bought('DigiCert', 'enterprise'));
    await moveTo('issued', await bought('DigiCert', 'gold', 'single'));
    await bought('Sectigo', 'pro');

    expect(await missingCasProductCodes(registryFor(STANDARD), h.ctx.store.certificates)).toBe(
      MISSING_PRO,
    );
    // The pro code, its grade written in another case, is what was missing.
    expect(
      await missingCasProductCodes(
        registryFor(`${STANDARD}; digicert/OV/multi/PRO=digicert-ov-1-multi-pro`),
        h.ctx.store.certificates,
      ),
    ).toBeUndefined();
  });

  it('lists every missing key, sorted, on the one line', async () => {
    await bought('DigiCert', 'pro');
    await bought('digicert', 'Enterprise', 'single');
    const line = await missingCasProductCodes(registryFor(STANDARD), h.ctx.store.certificates);
    expect(line).toContain(
      'no product code for DigiCert/OV/multi/pro, digicert/OV/single/Enterprise,',
    );
    expect(line).not.toContain('\n');
  });

  it('has nothing to check without a route to CAS', async () => {
    await bought('DigiCert', 'Pro');
    expect(await missingCasProductCodes(h.ctx.ca, h.ctx.store.certificates)).toBeUndefined();
  });
});

describe('start-up', () => {
  /** The bot started on the harness's store (its key prefix), routing DigiCert to CAS. */
  const start = (codes: string) =>
    startBot({ env: { CERTOPS_KEY_PREFIX: h.redis.prefix, ...casEnv(codes) } });

  it('refuses to start while an open CAS instance has a spec without a product code', async () => {
    await bought('DigiCert', 'Pro');
    const failed = await start(STANDARD).then(
      (bot) => bot.stop(),
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(StartupError);
    expect((failed as Error).message).toBe(MISSING_PRO);
  });

  it('starts once that code is configured', async () => {
    await bought('DigiCert', 'Pro');
    const bot = await start(`${STANDARD}; DigiCert/OV/multi/pro=digicert-ov-1-multi-pro`);
    try {
      expect(bot.slack.callsOf('auth.test')).toHaveLength(1);
    } finally {
      await bot.stop();
    }
  });
});
