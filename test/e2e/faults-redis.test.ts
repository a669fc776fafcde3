import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import { type RedisServerHandle, startRedisServer } from '../../src/infra/redis-server-process.js';
import type { BullmqDispatcher } from '../../src/jobs/bullmq-dispatcher.js';
import { JOBS, jobIdOf } from '../../src/jobs/queues.js';
import { APPROVALS_IDS } from '../../src/slack/features/approvals/views.js';
import { translator } from '../../src/slack/i18n/index.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import { APPROVAL_CHANNEL, type BotUnderTest, startBot } from '../support/certops-under-test.js';
import { expectIndexesAgree, snapshot } from '../support/redis-snapshot.js';
import { SlackDriver } from '../support/slack-driver.js';

/**
 * Fault: the Redis server goes away while the bot runs, then comes back (same port, same AOF).
 *
 * Covered elsewhere, not repeated here: a worker process killed mid-job
 * (test/e2e/processes.test.ts) and Slack answering 429 / 5xx (test/jobs/delivery.test.ts).
 */
const en = translator('en');
const START = new Date('2126-06-04T10:00:00+08:00');
const ALICE = 'UALICE';
const APPROVER1 = 'UAPPROVER1';

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const healthz = (bot: BotUnderTest) =>
  fetch(`${bot.baseUrl}/healthz`).then(async (r) => {
    await r.text();
    return r.status;
  });

describe('Redis restarted while the bot runs', () => {
  let dir = '';
  let server: RedisServerHandle;
  let bot: BotUnderTest;
  let driver: SlackDriver;
  let probe: Redis;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'certops-faults-'));
    server = await startRedisServer({ persistence: 'aof', dir, hz: 100 });
    bot = await startBot({ env: { REDIS_URL: server.url }, clock: fixedClock(START) });
    driver = new SlackDriver(bot);
    probe = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await probe.connect();
  });

  afterAll(async () => {
    probe?.disconnect();
    await bot?.stop();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reports 503 during the outage, fails requests clearly, and loses nothing', async () => {
    const ctx = bot.certops.useCases;
    const bought = await recordPurchases(ctx, APPROVER1, [
      {
        kind: 'instances',
        brand: 'DigiCert',
        validationType: 'OV',
        domainType: 'multi',
        grade: 'standard',
        validityYears: 1,
        domainQuota: 2,
        quantity: 1,
        team: 'default',
        name: 'outage',
      },
    ]);
    if (!bought.ok) throw new Error(JSON.stringify(bought.refusal));
    const certId = bought.value.certificateIds[0] ?? '';
    const applied = await applyForCertificate(ctx, {
      certificateId: certId,
      requesterId: ALICE,
      domains: ['shop.example.com', 'www.shop.example.com'],
      validationMethod: 'dns',
      contact: {
        kind: 'new',
        fields: { name: 'Li Lei', email: 'li@example.com', phone: '+8613800000001' },
      },
      hosting: false,
    });
    if (!applied.ok) throw new Error(JSON.stringify(applied.refusal));
    const app = applied.value.application;
    const request = await bot.slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.channel === APPROVAL_CHANNEL &&
        JSON.stringify(c.params.blocks ?? []).includes(app.id),
    );
    await bot.certops.settle();

    // A DM queued with a delay, due after the restart.
    const dispatcher = ctx.reviewAlarms as BullmqDispatcher;
    const key = `fault:renewal:${app.id}`;
    await dispatcher.direct.add(
      JOBS.deliver,
      {
        message: {
          kind: 'renewal_activated',
          userId: ALICE,
          certificateId: certId,
          renewalId: certId,
        },
        key,
      },
      { jobId: jobIdOf(key), delay: 1500 },
    );
    const dmsToAlice = () =>
      bot.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.params.channel === ALICE);
    const dmsBefore = dmsToAlice().length;
    const before = await snapshot(probe, bot.config.redis.keyPrefix);
    expect(await healthz(bot)).toBe(200);

    // Outage: SIGTERM (the AOF is flushed on shutdown).
    await server.stop();
    const outageStarted = Date.now();
    await until('healthz 503', async () => ((await healthz(bot)) === 503 ? true : undefined));

    // A slash command is answered with a clear failure, not a crash.
    const cmd = await driver.command(ALICE, 'list');
    expect(cmd.status).toBe(200);
    const reply = await driver.reply(cmd.responseUrl);
    expect(reply.params.text).toBe(en('command.failed'));
    // A click on Approve during the outage decides nothing.
    const since = bot.slack.calls.length;
    const click = await driver.click(request, APPROVALS_IDS.approve, APPROVER1);
    expect(click.status).toBeLessThan(500);
    expect(await healthz(bot)).toBe(503);

    // Back on the same port with the same data folder.
    server = await startRedisServer({ persistence: 'aof', dir, hz: 100, port: server.port });
    await until('healthz 200', async () => ((await healthz(bot)) === 200 ? true : undefined));
    const outageMs = Date.now() - outageStarted;
    expect(outageMs).toBeLessThan(15_000);
    await probe.ping().catch(() => undefined);
    await until('probe reconnected', async () =>
      (await probe.ping()) === 'PONG' ? true : undefined,
    );

    // Nothing lost, nothing half-written: the keys and contents as before the outage.
    const after = await snapshot(probe, bot.config.redis.keyPrefix);
    expect(after).toEqual(before);
    expect((await ctx.store.applications.get(app.id))?.status).toBe('awaiting_approval');
    await expectIndexesAgree(probe, bot.config.redis.keyPrefix);
    expect(bot.slack.calls.slice(since).filter((c) => c.method === 'chat.update')).toEqual([]);

    // The queued DM goes out exactly once.
    await bot.slack.waitFor(() => dmsToAlice().length > dmsBefore);
    const approved = bot.slack.calls.length;
    await driver.click(request, APPROVALS_IDS.approve, APPROVER1);
    await bot.slack.waitFor(
      (c) => c.method === 'chat.update' && bot.slack.calls.indexOf(c) >= approved,
    );
    await bot.certops.settle();
    expect((await ctx.store.applications.get(app.id))?.status).toBe('submitted');
    const queuedDms = dmsToAlice()
      .slice(dmsBefore)
      .filter((c) => bot.slack.calls.indexOf(c) < approved);
    expect(queuedDms).toHaveLength(1);
    expect(await dispatcher.direct.getJobState(jobIdOf(key))).toBe('completed');
    await expectIndexesAgree(probe, bot.config.redis.keyPrefix);
    expect(await healthz(bot)).toBe(200);
  }, 30_000);
});
