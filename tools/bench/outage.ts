/**
 * `npm run bench -- --only outage`: a Slack outage while reminders are being delivered.
 *
 * Two scenarios at once, each with its own LocalSlackApi, key and queue prefixes (one PRIVATE
 * redis-server) and CertOps worker process (in-process, `CERTOPS_ROLE=worker`: the clock and the
 * delivery workers, outage backoff at its default cap): BENCH_OUTAGE_REMINDERS (300) issued
 * certificates, each of another owner, expire inside the 30-day window; the daily expiry check
 * job is queued and dispatches their reminders to `direct-messages`; once a third of them is
 * delivered, Slack's Web API goes down for BENCH_OUTAGE_SECONDS (600): answering 503 in one
 * scenario, dropping connections in the other. Then it comes back.
 *
 * Measured: every reminder delivered exactly once (chat.postMessage calls per recipient), and
 * the time from Slack's recovery to the last delivery.
 */
import { LogLevel } from '@slack/bolt';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { startCertOps } from '../../src/certops.js';
import { parseConfig } from '../../src/config.js';
import type { Certificate } from '../../src/domain/certificate.js';
import { createLogger } from '../../src/infra/logger.js';
import { startRedisServer } from '../../src/infra/redis-server-process.js';
import { JOBS, QUEUES } from '../../src/jobs/queues.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { LocalSlackApi, type RecordedCall } from '../try/local-slack-api.js';
import { APPROVER } from './aged-org.js';
import { issued } from './certificates.js';
import { envNumber, log, type Row, type SectionResult, sleep } from './report.js';
import { APPROVAL_CHANNEL, SECRET, SUPPORT_CHANNEL } from './requests.js';
import { round } from './stats.js';

const TOKEN = 'xoxb-bench-token';
/** How long duplicates are looked for once every reminder is in. */
const DUPLICATE_WATCH_MS = 5000;

type OutageKind = 'http' | 'reset';

interface OutageFigures {
  readonly kind: OutageKind;
  readonly reminders: number;
  readonly outageSeconds: number;
  readonly maxBackoffSeconds: number;
  readonly deliveredBeforeOutage: number;
  readonly recipientsDelivered: number;
  readonly posts: number;
  readonly duplicates: number;
  readonly missing: number;
  readonly refusedCallsDuringOutage: number;
  /** From Slack's recovery to the last reminder posted (s); null if none came after it. */
  readonly recoveryToLastDeliverySeconds: number | null;
  /** From Slack's recovery to the first reminder posted (s). */
  readonly recoveryToFirstDeliverySeconds: number | null;
}

const recipient = (k: number) => `UREM${String(k).padStart(4, '0')}`;

async function scenario(
  kind: OutageKind,
  redisUrl: string,
  admin: Redis,
  options: { seconds: number; reminders: number },
): Promise<OutageFigures> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const prefix = `outage-${kind}`;
  const queuePrefix = `${prefix}-q`;
  const say = (line: string) => log(`outage ${kind}: ${line}`);
  try {
    const slack = new LocalSlackApi();
    await slack.start();
    cleanups.push(() => slack.stop());
    const parsed = parseConfig({
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.url,
      REDIS_URL: redisUrl,
      CERTOPS_KEY_PREFIX: prefix,
      CERTOPS_QUEUE_PREFIX: queuePrefix,
      CERTOPS_APPROVERS: APPROVER,
      CERTOPS_APPROVAL_CHANNEL: APPROVAL_CHANNEL,
      CERTOPS_SUPPORT_CHANNEL: SUPPORT_CHANNEL,
      CERTOPS_ROLE: 'worker',
      LOG_LEVEL: 'error',
    });
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const maxBackoffSeconds = parsed.config.jobs.slackOutageMaxBackoffSeconds;
    const logger = createLogger({
      level: LogLevel.ERROR,
      write: (line) => say(line),
      secrets: [TOKEN, SECRET],
    });

    // The reminders due: issued certificates inside the window, each of its own owner.
    const store = new RedisStore(admin, prefix);
    const now = Date.now();
    for (let from = 0; from < options.reminders; from += 100) {
      const certs: Certificate[] = [];
      for (let k = from; k < Math.min(options.reminders, from + 100); k++)
        certs.push({ ...issued(k, now, true), ownerUserId: recipient(k), name: `reminder ${k}` });
      const result = await store.commit((tx) => {
        for (const cert of certs)
          tx.createCertificate(cert, { actor: APPROVER, at: now, action: 'bench_seed' });
      });
      if (!result.ok) throw new Error(`seed commit refused: ${JSON.stringify(result.conflict)}`);
    }

    const posts = new Map<string, number>();
    let lastAt = 0;
    let firstAfterRecovery: number | undefined;
    let recoveredAt: number | undefined;
    let refused = 0;
    slack.on('call', (call: RecordedCall) => {
      const channel = String(call.params.channel ?? '');
      if (call.method !== 'chat.postMessage' || !channel.startsWith('UREM')) return;
      posts.set(channel, (posts.get(channel) ?? 0) + 1);
      lastAt = call.at;
      if (recoveredAt !== undefined) firstAfterRecovery ??= call.at;
    });
    slack.on('failed', () => {
      refused++;
    });
    // The fake Slack keeps every call: let go of them as we go (counted above).
    const clearer = setInterval(() => slack.reset(), 5000);
    cleanups.push(async () => clearInterval(clearer));

    const certops = await startCertOps(parsed.config, { logger });
    cleanups.push(() => certops.stop());
    const clock = new Queue(QUEUES.clock, { connection: { url: redisUrl }, prefix: queuePrefix });
    cleanups.push(() => clock.close());
    // The daily expiry check, as its scheduler would queue it.
    await clock.add(JOBS.expiryCheck, {}, { jobId: 'bench-expiry-check' });
    const before = Math.ceil(options.reminders / 3);
    const started = Date.now();
    while (posts.size < before && Date.now() - started < 120_000) await sleep(20);
    if (posts.size < before)
      throw new Error(`only ${posts.size} reminders delivered before the outage`);

    slack.startOutage(kind, 503);
    const deliveredBeforeOutage = posts.size;
    refused = 0;
    say(`Slack down (${deliveredBeforeOutage} of ${options.reminders} delivered)`);
    await sleep(options.seconds * 1000);
    const refusedCallsDuringOutage = refused;
    slack.endOutage();
    recoveredAt = Date.now();
    say(`Slack back after ${options.seconds} s (${refusedCallsDuringOutage} calls refused)`);
    const waitLimit = (maxBackoffSeconds + 120 + options.reminders / 5) * 1000;
    while (posts.size < options.reminders && Date.now() - recoveredAt < waitLimit) await sleep(200);
    await sleep(DUPLICATE_WATCH_MS);
    const counts = [...posts.values()];
    const duplicates = counts.reduce((sum, n) => sum + n - 1, 0);
    const figures: OutageFigures = {
      kind,
      reminders: options.reminders,
      outageSeconds: options.seconds,
      maxBackoffSeconds,
      deliveredBeforeOutage,
      recipientsDelivered: posts.size,
      posts: counts.reduce((a, b) => a + b, 0),
      duplicates,
      missing: options.reminders - posts.size,
      refusedCallsDuringOutage,
      recoveryToLastDeliverySeconds:
        lastAt > recoveredAt ? round((lastAt - recoveredAt) / 1000) : null,
      recoveryToFirstDeliverySeconds:
        firstAfterRecovery === undefined ? null : round((firstAfterRecovery - recoveredAt) / 1000),
    };
    say(JSON.stringify(figures));
    return figures;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => say(String(e)));
  }
}

export async function outageSection(): Promise<SectionResult> {
  const seconds = envNumber('BENCH_OUTAGE_SECONDS', 600);
  const reminders = envNumber('BENCH_OUTAGE_REMINDERS', 300);
  const server = await startRedisServer({ persistence: 'none', hz: 10, stopWithParent: true });
  const admin = new Redis(server.url);
  try {
    log(
      `outage: ${reminders} reminders due, Slack down ${seconds} s, two scenarios at once (HTTP 503, connections reset)`,
    );
    const results = await Promise.all(
      (['http', 'reset'] as const).map((kind) =>
        scenario(kind, server.url, admin, { seconds, reminders }),
      ),
    );
    const rows: Row[] = [];
    for (const f of results) {
      const what = `Slack outage ${f.outageSeconds} s (${f.kind === 'http' ? 'Web API answers 503' : 'connections reset'}), ${f.reminders} reminders due, ${f.deliveredBeforeOutage} delivered before it`;
      rows.push(
        {
          section: 'outage',
          what: `${what}: delivered exactly once`,
          measured: `${f.recipientsDelivered} of ${f.reminders} recipients, ${f.duplicates} duplicates (${f.posts} posts)`,
          goal: `${f.reminders}, each once`,
          pass: f.recipientsDelivered === f.reminders && f.duplicates === 0,
        },
        {
          section: 'outage',
          what: `${what}: recovery → first / last delivery (backoff cap ${f.maxBackoffSeconds} s, the default)`,
          measured: `${f.recoveryToFirstDeliverySeconds ?? '—'} s / ${f.recoveryToLastDeliverySeconds ?? '—'} s`,
          goal: '(reported)',
          pass: null,
        },
      );
    }
    return { rows, figures: Object.fromEntries(results.map((f) => [f.kind, f])) };
  } finally {
    await admin.quit().catch(() => undefined);
    await server.stop();
  }
}
