import { QueueEvents, type Worker } from 'bullmq';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AlibabaCasProvider,
  createAlibabaCasProvider,
} from '../../src/ca/alibaba-cas-provider.js';
import { BullmqDispatcher } from '../../src/jobs/bullmq-dispatcher.js';
import { type CaPollSummary, runCaPoll } from '../../src/jobs/ca-poll.js';
import { startClockWorker } from '../../src/jobs/clock-worker.js';
import { JOBS, QUEUES } from '../../src/jobs/queues.js';
import { CA_POLL_EVERY_MS, upsertSchedulers } from '../../src/jobs/schedulers.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import type { UseCaseContext } from '../../src/usecases/context.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import { FakeAlibabaCas } from '../support/fake-alibaba-cas.js';
import { deleteByPattern } from '../support/redis.js';
import { ALICE, APPROVER, buy, type Harness, harness, pem } from '../support/usecase-harness.js';
import { virtualPacerClock } from '../support/virtual-pacer-clock.js';

const KEY_ID = 'LTAI5tPollKeyId0001';

let fake: FakeAlibabaCas;
let h: Harness;
let provider: AlibabaCasProvider;
let dispatcher: BullmqDispatcher;
let settings: { connection: { url: string }; prefix: string };
let logs: string[];

const logger = () => {
  const put = (level: string) => (message: unknown) => logs.push(`${level} ${String(message)}`);
  return {
    debug: put('debug'),
    info: put('info'),
    warn: put('warn'),
    error: put('error'),
    setLevel() {},
    getLevel: () => 'debug',
    setName() {},
  } as never;
};

beforeAll(async () => {
  fake = await FakeAlibabaCas.start(KEY_ID);
});
afterAll(async () => {
  await fake.close();
});
/** The pacers' clock, virtual: what the pacing spent is read exactly. */
let pacing = virtualPacerClock();

beforeEach(async () => {
  fake.reset();
  logs = [];
  pacing = virtualPacerClock();
  provider = createAlibabaCasProvider(
    {
      accessKeyId: KEY_ID,
      accessKeySecret: 'PollSecret0123456789',
      endpoint: fake.endpoint,
      productCodes: { 'digicert/OV/multi/standard': 'digicert-ov-1-multi' },
    },
    logger(),
    {
      qps: { DescribeCertificateState: 20, CreateCertificateForPackageRequest: 1000 },
      pacerClock: pacing,
    },
  );
  h = await harness({ ca: { providerFor: () => provider } });
  settings = { connection: { url: h.redis.url }, prefix: `${h.redis.prefix}-q` };
  dispatcher = new BullmqDispatcher(settings as never, h.redis.redis);
});
afterEach(async () => {
  await dispatcher.close();
  await deleteByPattern(h.redis.redis, `${settings.prefix}:*`);
  await h.cleanup();
});

/** Buys `count` DigiCert OV instances and has each applied for, approved and submitted to CAS. */
async function submittedApplications(count: number): Promise<string[]> {
  const certIds = await buy(h.ctx, { quantity: count });
  const ids: string[] = [];
  let contactId: string | undefined;
  for (const certificateId of certIds) {
    const applied = await applyForCertificate(h.ctx, {
      certificateId,
      requesterId: ALICE,
      domains: ['shop.example.com', 'www.shop.example.com'],
      validationMethod: 'dns',
      contact: contactId
        ? { kind: 'existing', contactId }
        : {
            kind: 'new',
            fields: { name: 'Li Lei', email: 'li@example.com', phone: '+8613800000000' },
          },
      hosting: false,
    });
    if (!applied.ok) throw new Error(JSON.stringify(applied.refusal));
    contactId = applied.value.application.contactId;
    const decided = await decideApplication(h.ctx, {
      applicationId: applied.value.application.id,
      deciderId: APPROVER,
      decision: 'approve',
    });
    if (!decided.ok || decided.value.caError) throw new Error(JSON.stringify(decided));
    ids.push(applied.value.application.id);
  }
  return ids;
}

/** The clock worker (real BullMQ) runs one ca-poll job; its summary comes back. */
async function withWorker(run: (poll: () => Promise<CaPollSummary>) => Promise<void>) {
  const ctx: UseCaseContext = { ...h.ctx, dispatcher };
  const events = new QueueEvents(QUEUES.clock, settings);
  await events.waitUntilReady();
  const worker: Worker = startClockWorker({
    settings: settings as never,
    ctx,
    reminderDays: [30],
    logger: logger(),
  });
  try {
    await run(async () => {
      const job = await dispatcher.clock.add(JOBS.caPoll, {});
      return (await job.waitUntilFinished(events, 30_000)) as CaPollSummary;
    });
  } finally {
    await worker.close();
    await events.close();
  }
}

const orderOf = async (appId: string) => {
  const app = await h.ctx.store.applications.get(appId);
  return (await h.ctx.store.certificates.get(app?.certificateId ?? ''))?.caOrderId ?? '';
};

describe('ca-poll job', () => {
  it('follows a submitted order from domain_verify to certificate and records it issued', async () => {
    const [appId = ''] = await submittedApplications(1);
    const orderId = await orderOf(appId);
    await withWorker(async (poll) => {
      expect(await poll()).toEqual({
        pending: 1,
        polled: 1,
        issued: 0,
        failed: 0,
        waiting: 1,
        errors: 0,
      });
      expect((await h.ctx.store.applications.get(appId))?.status).toBe('submitted');
      fake.script(orderId, {
        Type: 'certificate',
        Certificate: pem('shop-ov-2126.pem'),
        PrivateKey:
          '-----BEGIN RSA PRIVATE KEY-----\nsecretkeymaterial\n-----END RSA PRIVATE KEY-----',
      });
      expect(await poll()).toMatchObject({ pending: 1, issued: 1 });
      // Nothing is left to poll.
      expect(await poll()).toMatchObject({ pending: 0, polled: 0 });
    });
    const app = await h.ctx.store.applications.get(appId);
    const cert = await h.ctx.store.certificates.get(app?.certificateId ?? '');
    expect(app?.status).toBe('issued');
    expect(cert).toMatchObject({
      state: 'issued',
      caOrderId: orderId,
      domains: ['shop.example.com', 'www.shop.example.com'],
    });
    expect(cert?.fingerprintSha256).toMatch(/^[0-9a-f:]+$/i);
    expect(h.events.events.map((e) => e.type)).toContain('certificate_issued');
    expect(fake.callsOf('DescribeCertificateState').map((c) => c.params.OrderId)).toEqual([
      orderId,
      orderId,
      orderId,
    ]);
    expect(logs.join('\n')).not.toContain('secretkeymaterial');
  });

  it('records a verify_fail as validation failed', async () => {
    const [appId = ''] = await submittedApplications(1);
    fake.script(await orderOf(appId), { Type: 'verify_fail' });
    await withWorker(async (poll) => {
      expect(await poll()).toMatchObject({ polled: 1, failed: 1 });
    });
    const app = await h.ctx.store.applications.get(appId);
    expect(app?.status).toBe('validation_failed');
    expect(app?.decisionReason).toContain('审核失败');
    expect((await h.ctx.store.certificates.get(app?.certificateId ?? ''))?.state).toBe(
      'validation_failed',
    );
  });

  it('is bounded per run, turns through every order, keeps to the QPS and stops on repeated CA errors', async () => {
    const ids = await submittedApplications(6);
    fake.calls.length = 0;
    const paced = pacing.now();
    const first = await runCaPoll(h.ctx, logger(), { max: 4 });
    expect(first).toMatchObject({ pending: 6, polled: 4, waiting: 4 });
    expect(fake.callsOf('DescribeCertificateState')).toHaveLength(4);
    // Four calls at 20 per second: at least three 50 ms gaps spent waiting on the pacer.
    expect(pacing.now() - paced).toBeGreaterThanOrEqual(3 * 50);
    // The next period starts where this one stopped, so all six are asked within two runs.
    h.clock.set(new Date(h.clock.now().getTime() + CA_POLL_EVERY_MS));
    await runCaPoll(h.ctx, logger(), { max: 4 });
    const asked = new Set(fake.callsOf('DescribeCertificateState').map((c) => c.params.OrderId));
    expect(asked.size).toBe(ids.length);
    // CAS throttling every call: the run gives up after five errors in a row and changes nothing.
    fake.calls.length = 0;
    const beforeThrottle = pacing.now();
    fake.failNext(
      'DescribeCertificateState',
      { status: 400, code: 'Throttling.User', retryAfterMs: 100 },
      100,
    );
    const throttled = await runCaPoll(h.ctx, logger());
    expect(throttled).toMatchObject({ pending: 6, polled: 5, errors: 5 });
    // Each throttling answer paused the operation for its Retry-After (100 ms) before the next.
    expect(fake.callsOf('DescribeCertificateState')).toHaveLength(5);
    expect(pacing.now() - beforeThrottle).toBeGreaterThanOrEqual(4 * 100);
    expect(logs.some((l) => l.startsWith('warn ca poll: 5 CA errors in a row'))).toBe(true);
    const apps = await h.ctx.store.applications.getMany(ids);
    expect(apps.map((a) => a.status)).toEqual(ids.map(() => 'submitted'));
  }, 60_000);

  it('is scheduled every two minutes on the clock queue', async () => {
    await upsertSchedulers(dispatcher, {
      timeZone: 'Asia/Shanghai',
      checkTime: { hour: 9, minute: 0 },
    });
    const schedulers = await dispatcher.clock.getJobSchedulers();
    expect(schedulers.find((s) => s.key === JOBS.caPoll)).toMatchObject({
      every: CA_POLL_EVERY_MS,
    });
  });
});
