import { webApi } from '@slack/bolt';
import type { Worker } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/infra/logger.js';
import {
  NOTIFY_DELAY_MS,
  NotificationQueue,
  notificationJobId,
  startNotificationWorker,
} from '../../src/jobs/notifications.js';
import type { QueueSettings } from '../../src/jobs/queues.js';
import { notifierRoutes, slackDelivery } from '../../src/slack/delivery.js';
import type { SlackDeps } from '../../src/slack/deps.js';
import { FEATURES } from '../../src/slack/features/index.js';
import { createLocaleResolver } from '../../src/slack/locale.js';
import { FEATURE_NOTIFIERS, type Notifiers } from '../../src/slack/notifier.js';
import { RedisKeyValueStore } from '../../src/store/redis-kv.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import { CA_ERROR_ESCALATE_AFTER_MS } from '../../src/usecases/decide-application.js';
import type { CertOpsEvent } from '../../src/usecases/ports/index.js';
import { LocalSlackApi, type RecordedCall } from '../../tools/try/local-slack-api.js';
import { deleteByPattern } from '../support/redis.js';
import { ALICE, buy, type Harness, harness } from '../support/usecase-harness.js';

const APPROVALS = 'CAPPROVALS';
const SUPPORT = 'CSUPPORT';
/** Retries come quickly here; production waits 2 s, 4 s, ... */
const QUICK_RETRIES = { attempts: 4, backoff: { type: 'fixed', delay: 50 } } as const;

type ApprovalRequested = Extract<CertOpsEvent, { type: 'approval_requested' }>;

/**
 * Two features that both handle `approval_requested` (the real ones never share an event type),
 * through different Slack methods so that a scripted failure hits exactly one of them.
 */
function twoFeatures(runs: { first: number; second: number }): Notifiers {
  return new Map([
    [
      'first',
      {
        approval_requested: async (event: ApprovalRequested, client) => {
          runs.first++;
          await client.chat.postMessage({ channel: 'CFIRST', text: event.application.id });
        },
      },
    ],
    [
      'second',
      {
        approval_requested: async (event: ApprovalRequested, client) => {
          runs.second++;
          await client.chat.postEphemeral({
            channel: 'CSECOND',
            user: event.application.requesterId,
            text: event.application.id,
          });
        },
      },
    ],
  ]);
}

describe('durable notifications over real BullMQ and Redis', () => {
  let h: Harness;
  let slack: LocalSlackApi;
  let settings: QueueSettings;
  let deps: SlackDeps;
  let logs: string[];
  const opened: { close(): Promise<unknown> }[] = [];

  beforeEach(async () => {
    h = await harness();
    slack = new LocalSlackApi();
    await slack.start();
    settings = { connection: { url: h.redis.url }, prefix: `${h.redis.prefix}-q` };
    logs = [];
    const logger = createLogger({ level: 'debug' as never, write: (line) => logs.push(line) });
    const kv = new RedisKeyValueStore(h.redis.redis, h.redis.prefix);
    deps = {
      useCases: h.ctx,
      settings: { approvalChannel: APPROVALS, supportChannel: SUPPORT },
      kv,
      logger,
      localeOf: createLocaleResolver({
        client: new webApi.WebClient('xoxb-test', { slackApiUrl: slack.url }),
        cache: kv,
      }),
    };
  });
  afterEach(async () => {
    for (const it of opened.splice(0).reverse()) await it.close();
    await slack.stop();
    await deleteByPattern(h.redis.redis, `${h.redis.prefix}-q:*`);
    await h.cleanup();
  });

  async function openQueue(notifiers?: Notifiers): Promise<NotificationQueue> {
    const queue = await NotificationQueue.open({
      settings,
      redis: h.redis.redis,
      logger: deps.logger,
      clock: h.clock,
      jobOptions: QUICK_RETRIES,
      routes: notifierRoutes(notifiers),
    });
    opened.push(queue);
    return queue;
  }

  const refusedCases: Array<{ type: string; feature: string; code: string }> = [];
  function startWorker(notifiers?: Notifiers): Worker {
    const worker = startNotificationWorker({
      settings,
      delivery: slackDelivery({
        deps,
        slack: { botToken: 'xoxb-test', apiUrl: slack.url },
        ...(notifiers ? { notifiers } : {}),
      }),
      logger: deps.logger,
      outageBackoff: { firstMs: 200, maxMs: 400 },
      onRefused: async (event, feature, code) => {
        refusedCases.push({ type: event.type, feature, code });
      },
    });
    opened.push(worker);
    return worker;
  }

  /** A real approval request: Alice applies for a bought instance (the harness records it). */
  async function approvalRequested(): Promise<ApprovalRequested> {
    const [certificateId = ''] = await buy(h.ctx);
    const applied = await applyForCertificate(h.ctx, {
      certificateId,
      requesterId: ALICE,
      domains: ['shop.example.com'],
      validationMethod: 'dns',
      contact: {
        kind: 'new',
        fields: { name: 'Li Lei', email: 'li@example.com', phone: '+8613800000000' },
      },
      hosting: false,
    });
    if (!applied.ok) throw new Error(JSON.stringify(applied.refusal));
    const event = h.events.events.at(-1);
    if (event?.type !== 'approval_requested') throw new Error('no approval request published');
    return event;
  }

  const posts = (method: string, channel: string) =>
    slack.calls.filter((c: RecordedCall) => c.method === method && c.params.channel === channel);

  it('delivers an event once per handler, each in a job of its own', async () => {
    const runs = { first: 0, second: 0 };
    const queue = await openQueue(twoFeatures(runs));
    startWorker(twoFeatures(runs));
    const event = await approvalRequested();

    await queue.publish(event);
    expect(await queue.settle()).toBe(true);

    expect(posts('chat.postMessage', 'CFIRST')).toHaveLength(1);
    expect(posts('chat.postEphemeral', 'CSECOND')).toHaveLength(1);
    expect(runs).toEqual({ first: 1, second: 1 });
    const jobs = await queue.queue.getJobs(['completed']);
    expect(jobs.map((j) => j.data.feature).sort()).toEqual(['first', 'second']);
    expect(jobs.map((j) => j.data.event)).toEqual([event, event]);
  });

  it('ignores an event published again, before or after its delivery', async () => {
    const runs = { first: 0, second: 0 };
    const queue = await openQueue(twoFeatures(runs));
    startWorker(twoFeatures(runs));
    const event = await approvalRequested();

    await Promise.all([queue.publish(event), queue.publish(event)]);
    expect(await queue.settle()).toBe(true);
    await queue.publish(structuredClone(event));
    expect(await queue.settle()).toBe(true);
    expect(runs).toEqual({ first: 1, second: 1 });
    expect(posts('chat.postMessage', 'CFIRST')).toHaveLength(1);

    // The application at its next version is news, told again.
    const next = { ...event, application: { ...event.application, version: 99 } };
    await queue.publish(next);
    expect(await queue.settle()).toBe(true);
    expect(runs).toEqual({ first: 2, second: 2 });
  });

  it("retries a Slack 5xx on one handler's post alone, and delivers it once", async () => {
    const runs = { first: 0, second: 0 };
    const queue = await openQueue(twoFeatures(runs));
    startWorker(twoFeatures(runs));
    const refused: RecordedCall[] = [];
    slack.on('failed', (call: RecordedCall) => refused.push(call));
    slack.failNext('chat.postMessage', { status: 503 });

    await queue.publish(await approvalRequested());
    expect(await queue.settle()).toBe(true);

    expect(refused.map((c) => c.params.channel)).toEqual(['CFIRST']);
    expect(posts('chat.postMessage', 'CFIRST')).toHaveLength(1);
    expect(posts('chat.postEphemeral', 'CSECOND')).toHaveLength(1);
    // The second handler ran once: the first one's failure did not run it again.
    expect(runs).toEqual({ first: 2, second: 1 });
    // Slack being away uses no attempt: the queue paused and took the job again.
    const [job] = (await queue.queue.getJobs(['completed'])).filter(
      (j) => j.data.feature === 'first',
    );
    expect(job?.attemptsMade).toBe(1);
    expect(logs.some((l) => l.includes('Slack unavailable (HTTP 503); messages stay queued'))).toBe(
      true,
    );
  });

  it("waits out a 429's Retry-After without using an attempt, and delivers once", async () => {
    const runs = { first: 0, second: 0 };
    const queue = await openQueue(twoFeatures(runs));
    startWorker(twoFeatures(runs));
    slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });

    const started = Date.now();
    await queue.publish(await approvalRequested());
    expect(await queue.settle()).toBe(true);
    const first = await slack.waitFor((c) => c.params.channel === 'CFIRST');

    expect(first.at - started).toBeGreaterThanOrEqual(900);
    expect(posts('chat.postMessage', 'CFIRST')).toHaveLength(1);
    expect(runs).toEqual({ first: 2, second: 1 });
    const [job] = (await queue.queue.getJobs(['completed'])).filter(
      (j) => j.data.feature === 'first',
    );
    expect(job?.attemptsMade).toBe(1);
    expect(logs.some((l) => l.includes('Slack rate limited; retrying in 1 s'))).toBe(true);
  });

  it('delivers what a process published before dying, once a worker runs', async () => {
    // The process that applied: its use case committed and published, then it died.
    const dying = await openQueue();
    const ctx = { ...h.ctx, events: dying };
    const [certificateId = ''] = await buy(ctx);
    const applied = await applyForCertificate(ctx, {
      certificateId,
      requesterId: ALICE,
      domains: ['shop.example.com'],
      validationMethod: 'dns',
      contact: {
        kind: 'new',
        fields: { name: 'Li Lei', email: 'li@example.com', phone: '+8613800000000' },
      },
      hosting: false,
    });
    if (!applied.ok) throw new Error(JSON.stringify(applied.refusal));
    const waiting = await dying.queue.getJobs(['waiting', 'delayed']);
    expect(waiting.map((j) => [j.name, j.data.feature])).toEqual([
      ['approval_requested', 'approvals'],
    ]);
    await dying.close();
    opened.splice(opened.indexOf(dying), 1);
    expect(slack.calls).toEqual([]);

    // A process starts later: its worker delivers the approval request, with its buttons.
    startWorker();
    const request = await slack.waitFor(
      (c) => c.method === 'chat.postMessage' && c.params.channel === APPROVALS,
    );
    expect(JSON.stringify(request.params.blocks)).toContain(applied.value.application.id);
    // Published again by the new process (a use case run twice): still one message.
    const later = await openQueue();
    const event = waiting[0]?.data.event;
    if (!event) throw new Error('no job');
    await later.publish(event);
    expect(await later.settle()).toBe(true);
    expect(posts('chat.postMessage', APPROVALS)).toHaveLength(1);
  });

  it('retries a real handler that Slack refused: the approval request still reaches #approvals', async () => {
    const queue = await openQueue();
    startWorker();
    slack.failNext('chat.postMessage', { status: 500 }, { status: 502 });

    await queue.publish(await approvalRequested());
    expect(await queue.settle()).toBe(true);

    expect(posts('chat.postMessage', APPROVALS)).toHaveLength(1);
    expect(
      logs.filter((l) => l.includes('approvals: posting an approval request failed')),
    ).toHaveLength(2);
  });

  it('spends a message Slack refuses for good, logs it as an error and opens a support case', async () => {
    const queue = await openQueue();
    startWorker();
    slack.failNext('chat.postMessage', {
      status: 200,
      body: { ok: false, error: 'channel_not_found' },
    });

    await queue.publish(await approvalRequested());
    expect(await queue.settle()).toBe(true);

    expect(posts('chat.postMessage', APPROVALS)).toEqual([]);
    expect(await queue.queue.getJobs(['failed'])).toEqual([]);
    const [spent] = await queue.queue.getJobs(['completed']);
    expect(spent?.returnvalue).toBe('refused:channel_not_found');
    expect(spent?.attemptsMade).toBe(1);
    expect(
      logs.some((l) => l.includes('"error"') && l.includes('channel_not_found; given up')),
    ).toBe(true);
    expect(refusedCases).toEqual([
      { type: 'approval_requested', feature: spent?.data.feature, code: 'channel_not_found' },
    ]);
  });

  it('a backlog with no worker costs a look per doubling, not one per publish', async () => {
    // Found by the benchmark: past 1,000 tracked jobs every publish asked the state of every
    // one (a backlog of 1,600 at 30 publishes/s: ~48k job-state calls a second).
    const queue = await openQueue();
    let stateCalls = 0;
    const getJobState = queue.queue.getJobState.bind(queue.queue);
    queue.queue.getJobState = (id: string) => {
      stateCalls++;
      return getJobState(id);
    };
    const base = await approvalRequested();
    const count = 2500;
    for (let i = 0; i < count; i++) {
      await queue.publish({
        ...base,
        application: { ...base.application, id: `abl${i}` },
      });
    }
    expect(await queue.queue.getJobCountByTypes('delayed', 'waiting')).toBe(count);
    // Looks at 1,000 tracked and again at each doubling: about 1,000 + 2,000 states.
    expect(stateCalls).toBeGreaterThan(0);
    expect(stateCalls).toBeLessThanOrEqual(2 * count);
  }, 120_000);

  it('settles at once when nothing is pending, and says so when delivery does not come', async () => {
    const queue = await openQueue();
    expect(await queue.settle()).toBe(true);
    // No worker runs: the job waits, and settle gives up after its bound.
    await queue.publish(await approvalRequested());
    expect(await queue.settle(NOTIFY_DELAY_MS + 200)).toBe(false);
    expect(await queue.queue.getJobs(['waiting', 'delayed'])).toHaveLength(1);
  });
});

describe('notification job ids', () => {
  const app = {
    id: 'a1',
    kind: 'apply',
    certificateId: 'c1',
    requesterId: ALICE,
    team: 'web',
    status: 'approved',
    domains: ['shop.example.com'],
    hosting: false,
    version: 3,
    createdAt: 1,
    updatedAt: 2,
  } as const;
  const cert = {
    id: 'c1',
    name: 'shop',
    spec: { brand: 'DigiCert', validationType: 'OV', domainType: 'multi', grade: 'standard' },
    validityYears: 1,
    domainQuota: 2,
    state: 'pending_application',
    source: 'purchased',
    domains: [],
    team: 'web',
    hosted: false,
    version: 5,
    createdAt: 1,
    updatedAt: 2,
  } as const;
  const failed = (error: string, caErrorSince = 1_000): CertOpsEvent => ({
    type: 'ca_submission_failed',
    application: { ...app, caErrorSince },
    certificate: cert,
    error,
  });

  it('say what the job is for, and are the same for the same event in any key order', () => {
    const event: CertOpsEvent = { type: 'submitted_to_ca', application: app, certificate: cert };
    const id = notificationJobId(event, 'approvals', 0);
    expect(id).toMatch(/^n\.submitted_to_ca\.a1-3\.c1-5\.[0-9a-f]{16}\.approvals$/);
    const reordered = {
      certificate: Object.fromEntries(Object.entries(cert).reverse()),
      application: app,
      type: 'submitted_to_ca',
    } as unknown as CertOpsEvent;
    expect(notificationJobId(reordered, 'approvals', 0)).toBe(id);
    expect(notificationJobId(event, 'support', 0)).not.toBe(id);
    expect(
      notificationJobId({ ...event, application: { ...app, version: 4 } }, 'approvals', 0),
    ).not.toBe(id);
  });

  it("tell a CA error's escalation from its first report, and errors apart", () => {
    const first = notificationJobId(failed('CA down'), 'support', 1_000);
    const escalation = notificationJobId(
      failed('CA down'),
      'support',
      1_000 + CA_ERROR_ESCALATE_AFTER_MS,
    );
    expect(escalation).not.toBe(first);
    expect(escalation).toContain('.escalated.');
    expect(notificationJobId(failed('CA down'), 'support', 2_000)).toBe(first);
    expect(notificationJobId(failed('quota exceeded'), 'support', 1_000)).not.toBe(first);
  });

  it('exist for every feature that notifies, under a stable name', () => {
    expect([...FEATURE_NOTIFIERS.keys()]).toEqual(['approvals', 'support', 'ca']);
    expect(FEATURE_NOTIFIERS.size).toBe(FEATURES.filter((f) => f.notify).length);
    expect(new Set(FEATURES.map((f) => f.name)).size).toBe(FEATURES.length);
  });
});
