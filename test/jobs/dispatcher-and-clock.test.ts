import { QueueEvents } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BullmqDispatcher } from '../../src/jobs/bullmq-dispatcher.js';
import { startClockWorker } from '../../src/jobs/clock-worker.js';
import { JOBS, QUEUES } from '../../src/jobs/queues.js';
import { upsertSchedulers } from '../../src/jobs/schedulers.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import type { UseCaseContext } from '../../src/usecases/context.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import { deleteByPattern } from '../support/redis.js';
import { ALICE, APPROVER, buy, type Harness, harness } from '../support/usecase-harness.js';

let h: Harness;
let dispatcher: BullmqDispatcher;
let settings: { connection: { url: string }; prefix: string };

beforeEach(async () => {
  h = await harness();
  settings = { connection: { url: h.redis.url }, prefix: `${h.redis.prefix}-q` };
  dispatcher = new BullmqDispatcher(settings as never, h.redis.redis);
});
afterEach(async () => {
  await dispatcher.close();
  await deleteByPattern(h.redis.redis, `${settings.prefix}:*`);
  await h.cleanup();
});

const sla = (userId: string) =>
  ({ kind: 'sla_reminder', userId, applicationId: 'a1', certificateId: 'c1' }) as const;

describe('BullmqDispatcher', () => {
  it('makes a DM a job whose id comes from its key: a repeat is ignored', async () => {
    await dispatcher.dispatch(sla(ALICE), 'sla:a1:remind');
    await dispatcher.dispatch(sla(ALICE), 'sla:a1:remind');
    const jobs = await dispatcher.direct.getJobs(['waiting', 'delayed', 'active', 'completed']);
    expect(jobs.map((j) => [j.id, j.data.key])).toEqual([['sla-a1-remind', 'sla:a1:remind']]);
  });

  it('dispatches a page at once with the same guarantee: a key already dispatched is ignored', async () => {
    await dispatcher.dispatch(sla(ALICE), 'sla:a1:remind');
    await dispatcher.dispatchAll([
      { message: sla(ALICE), key: 'sla:a1:remind' },
      { message: sla(APPROVER), key: 'sla:a2:remind' },
      { message: sla(APPROVER), key: 'sla:a2:remind' },
      {
        message: { kind: 'escalation', cause: 'expired', certificateId: 'c9' },
        key: 'expiry:c9:expired-support',
      },
    ]);
    await dispatcher.dispatchAll([{ message: sla(APPROVER), key: 'sla:a2:remind' }]);
    const jobs = await dispatcher.direct.getJobs(['waiting', 'delayed', 'active', 'completed']);
    expect(jobs.map((j) => j.id).sort()).toEqual(['sla-a1-remind', 'sla-a2-remind']);
    expect(jobs.find((j) => j.id === 'sla-a1-remind')?.data.message).toMatchObject({
      userId: ALICE,
    });
    expect(await dispatcher.escalations.size()).toBe(1);
    expect((await dispatcher.support.getJobs(['delayed', 'waiting'])).map((j) => j.name)).toEqual([
      JOBS.digest,
    ]);
  });

  it('buffers escalations once per key and wakes one digest for a burst', async () => {
    const escalation = (n: number) =>
      ({
        kind: 'escalation',
        cause: 'sla_breach',
        certificateId: `c${n}`,
        applicationId: `a${n}`,
      }) as const;
    await Promise.all(
      Array.from({ length: 50 }, (_, n) => dispatcher.dispatch(escalation(n), `sla:a${n}:breach`)),
    );
    await dispatcher.dispatch(escalation(1), 'sla:a1:breach');
    expect(await dispatcher.escalations.size()).toBe(50);
    const digests = await dispatcher.support.getJobs(['delayed', 'waiting']);
    expect(digests.map((j) => j.name)).toEqual([JOBS.digest]);
    const drained = await dispatcher.escalations.drain(1000);
    expect(drained).toHaveLength(50);
    expect(await dispatcher.escalations.size()).toBe(0);
    await dispatcher.escalations.restore(drained.slice(0, 3), Date.now());
    expect(await dispatcher.escalations.size()).toBe(3);
  });

  it('registers the schedulers idempotently, the expiry check in the configured zone', async () => {
    for (let i = 0; i < 3; i++) {
      await upsertSchedulers(dispatcher, {
        timeZone: 'Asia/Shanghai',
        checkTime: { hour: 9, minute: 0 },
      });
    }
    const schedulers = await dispatcher.clock.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.pattern ?? s.every, s.tz]).sort()).toEqual([
      [JOBS.caPoll, 120_000, undefined],
      [JOBS.deliverySweep, 300_000, undefined],
      [JOBS.expiryCheck, '0 0 9 * * *', 'Asia/Shanghai'],
      [JOBS.reviewSweep, 60_000, undefined],
    ]);
    expect((await dispatcher.support.getJobSchedulers()).map((s) => s.key)).toEqual([JOBS.digest]);
  });
});

describe('clock worker', () => {
  it('an SLA alarm fires at the reminder point and dispatches the reminder once', async () => {
    const ctx: UseCaseContext = { ...h.ctx, reviewAlarms: dispatcher, dispatcher };
    // Submit at a real past moment whose reminder point has passed and whose breach has not,
    // so that the alarms' real delays are: remind now, breach days away.
    const now = Date.now();
    const start = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
      .map((days) => new Date(now - days * 86_400_000))
      .find(
        (at) =>
          ctx.calendar.addBusinessDays(at, 1).at.getTime() < now &&
          ctx.calendar.addBusinessDays(at, 7).at.getTime() > now + 3_600_000,
      );
    if (!start) throw new Error('no suitable start');
    h.clock.set(start);
    const [certId = ''] = await buy(ctx);
    const applied = await applyForCertificate(ctx, {
      certificateId: certId,
      requesterId: ALICE,
      domains: ['shop.example.com'],
      validationMethod: 'dns',
      contact: {
        kind: 'new',
        fields: { name: 'Li', email: 'li@example.com', phone: '+8613800000000' },
      },
      hosting: false,
    });
    const appId = applied.ok ? applied.value.application.id : '';
    await decideApplication(ctx, {
      applicationId: appId,
      deciderId: APPROVER,
      decision: 'approve',
    });
    h.clock.set(new Date(now));
    const events = new QueueEvents(QUEUES.clock, {
      connection: settings.connection,
      prefix: settings.prefix,
    });
    await events.waitUntilReady();
    const remind = `review-${appId}-remind`;
    const completed = new Promise<void>((resolve) =>
      events.on('completed', ({ jobId }) => jobId === remind && resolve()),
    );
    const worker = startClockWorker({
      settings: settings as never,
      ctx,
      reminderDays: [30],
      logger: quietLogger,
    });
    try {
      await completed;
      expect(await (await dispatcher.clock.getJob(`review-${appId}-breach`))?.isDelayed()).toBe(
        true,
      );
      const dms = await dispatcher.direct.getJobs(['waiting', 'delayed', 'active', 'completed']);
      expect(dms.map((j) => j.id)).toEqual([`sla-${appId}-remind`]);
      expect((await ctx.store.applications.get(appId))?.slaNotified).toBe('remind');
    } finally {
      await worker.close();
      await events.close();
    }
  });
});

const quietLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  setLevel() {},
  getLevel: () => 'error',
  setName() {},
} as never;
