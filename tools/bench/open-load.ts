/**
 * Open-loop load on the aged organisation: `/cert list`, `/cert status <id>`, `/cert apply` and
 * Approve clicks, mixed in equal parts, at 30, 60 and 100 requests/s (BENCH_LOAD_RATES), each for
 * BENCH_LOAD_SECONDS (60), against the one CertOps web process. The requests are sent on a fixed
 * schedule from a process of its own (LoadClient); latencies count from each request's due time.
 *
 * - ack: the HTTP answer to each request;
 * - command → views.open: from a `/cert apply`'s due time to LocalSlackApi recording the
 *   views.open with its trigger_id; one later than 3 s (a trigger_id lives 3 s), or never made,
 *   is an expired trigger;
 * - RSS of the bot's process (this one: the bot and the fake Slack; the load generator is a
 *   process of its own) at the start and the end of each rate; the fake Slack's record of calls
 *   is cleared every second, so what grows is the bot's;
 * - Approve → chat.update, and the notifications the approvals leave queued (reported).
 *
 * An open loop does not slow down for a server that falls behind (Slack does not either): its
 * post-ack work piles up. If the bot has more than BENCH_LOAD_MAX_IN_FLIGHT (1000) requests in
 * flight, or the process's RSS passes BENCH_LOAD_MAX_RSS_MB (2048), the rate is stopped, reported
 * as collapsed with what was measured until then, and the higher rates are not run (instead of
 * the bench dying of an out-of-memory error: it did, at 100 req/s on the aged data).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { Queue } from 'bullmq';
import { QUEUES } from '../../src/jobs/queues.js';
import type { RecordedCall } from '../try/local-slack-api.js';
import type { AgedEnv } from './aged.js';
import { AGED_TEAM, AGED_USER, APPROVER, seedPendingApprovals } from './aged-org.js';
import { OTHER_TEAMS } from './certificates.js';
import { LoadClient } from './load.js';
import {
  envNumber,
  log,
  mb,
  ms,
  type Row,
  type SectionResult,
  sleep,
  summary,
  within,
} from './report.js';
import { approveClickBody, commandBody, messageTs, SECRET } from './requests.js';
import { percentile, round } from './stats.js';

const MIX = ['list', 'status', 'apply', 'approve'] as const;
type MixType = (typeof MIX)[number];
/** Slack's trigger_id is good for 3 s. */
const TRIGGER_LIFETIME_MS = 3000;
/** How long after the last request its views.open or chat.update may still come. */
const ANSWER_GRACE_MS = 10_000;
/** How long a collapsed bot gets to finish what it took before the part ends. */
const RECOVERY_MS = 120_000;
const GOAL_RATE = 100;

function rates(): number[] {
  const raw = process.env.BENCH_LOAD_RATES ?? '30,60,100';
  const list = raw.split(',').map((r) => Number(r.trim()));
  if (list.some((r) => !Number.isFinite(r) || r <= 0))
    throw new Error('BENCH_LOAD_RATES must be rates per second, like 30,60,100');
  return list;
}

async function queued(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'prioritized');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/** What one rate's run needs besides the environment: shared state across rates. */
interface LoadRig {
  readonly env: AgedEnv;
  readonly load: LoadClient;
  readonly notifications: Queue;
  readonly approvals: readonly string[];
  /** When views.open (by trigger_id) and chat.update (by ts) were recorded. */
  readonly opened: Map<string, number>;
  readonly updated: Map<string, number>;
  readonly seconds: number;
  readonly maxRssBytes: number;
  readonly maxInFlight: number;
  readonly drainLimitMs: number;
  readonly teamSize: number;
  sequence: number;
  clicked: number;
}

interface LevelOutcome {
  readonly rows: Row[];
  readonly figures: Record<string, unknown>;
  /** Why the run was stopped early, if it was. */
  readonly collapse?: string;
}

/** The requests of one rate: their kinds, the key their visible answer is known by, bodies. */
function requestsFor(rig: LoadRig, total: number) {
  const kinds: MixType[] = [];
  const keys: string[] = [];
  const bodies: string[] = [];
  const targets = rig.env.org.statusTargets.aged;
  for (let i = 0; i < total; i++) {
    const type = MIX[i % MIX.length] ?? 'list';
    const n = ++rig.sequence;
    const responseId = `load${n}`;
    const triggerId = `trigger.load.${n}`;
    kinds.push(type);
    if (type === 'approve') {
      const ts = messageTs(500_000 + n);
      keys.push(ts);
      const applicationId = rig.approvals[rig.clicked++] ?? '';
      bodies.push(approveClickBody(rig.env.slack, APPROVER, applicationId, ts, responseId));
    } else {
      keys.push(triggerId);
      const text = type === 'status' ? `status ${targets[n % targets.length]}` : type;
      bodies.push(commandBody(rig.env.slack, AGED_USER, text, responseId, triggerId));
    }
  }
  return { kinds, keys, bodies };
}

/**
 * Watches the bot's process for a whole rate, the tail after the last request included (its
 * backlog is worked through then): peaks, a line every 5 s (RSS, V8 heap, requests in flight,
 * event-loop delay, for whoever reads the log), and the collapse guards. Falling behind (too
 * many requests in flight) stops the sending; a memory emergency (RSS or V8 heap past their
 * limits) also ends the waiting, so the part ends and stops the bot before V8 runs out.
 */
class LevelWatch {
  peakRss: number;
  peakHeap: number;
  peakInFlight = 0;
  /** RSS once the process has grown to the load (a third into the sending); see `settledRss`. */
  settledRss: number | undefined;
  collapse: string | undefined;
  emergency = false;
  private readonly started = performance.now();
  private readonly delay = monitorEventLoopDelay({ resolution: 20 });
  private readonly heapLimit = getHeapStatistics().heap_size_limit;
  private readonly timer: NodeJS.Timeout;
  private ticks = 0;

  constructor(
    private readonly rig: LoadRig,
    private readonly rate: number,
    start: NodeJS.MemoryUsage,
  ) {
    this.peakRss = start.rss;
    this.peakHeap = start.heapUsed;
    this.delay.enable();
    this.timer = setInterval(() => this.sample(), 250);
  }

  private sample(): void {
    const { rss, heapUsed } = process.memoryUsage();
    if (this.settledRss === undefined && performance.now() - this.started >= this.rig.seconds * 333)
      this.settledRss = rss;
    const working = this.rig.env.certops.load?.working ?? 0;
    this.peakRss = Math.max(this.peakRss, rss);
    this.peakHeap = Math.max(this.peakHeap, heapUsed);
    this.peakInFlight = Math.max(this.peakInFlight, working);
    const at = `after ${round((performance.now() - this.started) / 1000)} s`;
    if (++this.ticks % 20 === 0)
      log(
        `load ${this.rate} req/s ${at}: RSS ${mb(rss)} MB, heap ${mb(heapUsed)} MB, ${working} in flight, event-loop delay max ${round(this.delay.max / 1e6)} ms`,
      );
    if (this.collapse !== undefined) {
      if (this.emergency || !this.memoryShort(rss, heapUsed)) return;
    } else if (working > this.rig.maxInFlight) {
      this.stop(`${working} requests in flight ${at} (the bot falls behind)`);
      return;
    } else if (!this.memoryShort(rss, heapUsed)) return;
    this.emergency = true;
    this.stop(
      `${this.collapse ? `${this.collapse}; then ` : ''}memory: RSS ${mb(rss)} MB, heap ${mb(heapUsed)} MB ${at}`,
    );
  }

  private memoryShort(rss: number, heapUsed: number): boolean {
    return rss > this.rig.maxRssBytes || heapUsed > this.heapLimit * 0.6;
  }

  private stop(why: string): void {
    this.collapse = why;
    log(`load ${this.rate} req/s: ${why}; stopping this rate`);
    this.rig.load.stop();
  }

  /** Event-loop delay over the rate (ms). */
  eventLoopDelay() {
    return {
      p50: round(this.delay.percentile(50) / 1e6),
      p99: round(this.delay.percentile(99) / 1e6),
      max: round(this.delay.max / 1e6),
    };
  }

  close(): void {
    clearInterval(this.timer);
    this.delay.disable();
  }
}

async function runLevel(rig: LoadRig, rate: number): Promise<LevelOutcome> {
  const { seconds } = rig;
  const total = Math.round(rate * seconds);
  const { kinds, keys, bodies } = requestsFor(rig, total);
  const before = process.memoryUsage();
  const backlogBefore = await queued(rig.notifications);
  log(`load: ${rate} req/s for ${seconds} s (${total} requests, mixed ${MIX.join('/')})`);
  const watch = new LevelWatch(rig, rate, before);
  try {
    return await measureLevel(rig, rate, { kinds, keys, bodies, before, backlogBefore, watch });
  } finally {
    watch.close();
  }
}

async function measureLevel(
  rig: LoadRig,
  rate: number,
  m: {
    kinds: MixType[];
    keys: string[];
    bodies: string[];
    before: NodeJS.MemoryUsage;
    backlogBefore: number;
    watch: LevelWatch;
  },
): Promise<LevelOutcome> {
  const { env, seconds } = rig;
  const { kinds, keys, bodies, before, backlogBefore, watch } = m;
  const total = bodies.length;
  const result = await rig.load.run({ url: env.url, secret: SECRET, rate, bodies });
  const after = process.memoryUsage();

  // Only what was sent counts (all of it, unless the rate was stopped).
  const sentIndexes = (type: MixType) =>
    kinds.flatMap((k, i) => (k === type && i < result.sent ? [i] : []));
  const applies = sentIndexes('apply');
  const approves = sentIndexes('approve');
  if (watch.collapse !== undefined && !watch.emergency) {
    // Let the bot finish (or give up on) what it took before its answers are collected.
    const idle = env.certops.load?.idle() ?? Promise.resolve();
    const deadline = performance.now() + RECOVERY_MS;
    await within(idle, RECOVERY_MS);
    while (!watch.emergency && performance.now() < deadline && (env.certops.load?.working ?? 0))
      await sleep(250);
  }
  const lastDue = result.dueAt[result.sent - 1] ?? Date.now();
  const deadline = Math.max(lastDue, Date.now()) + ANSWER_GRACE_MS;
  const answered = () =>
    applies.every((i) => rig.opened.has(keys[i] ?? '')) &&
    approves.every((i) => rig.updated.has(keys[i] ?? ''));
  while (!watch.emergency && Date.now() < deadline && !answered()) await sleep(100);

  const sentLatencies = result.latencies.slice(0, result.sent);
  const ack = sentLatencies.filter(Number.isFinite);
  const unanswered = result.sent - ack.length - result.errors;
  const ackOf = (type: MixType) =>
    sentIndexes(type)
      .map((i) => result.latencies[i] ?? Number.NaN)
      .filter(Number.isFinite);
  const later = (seen: Map<string, number>, list: number[]) => {
    const lat: number[] = [];
    let missing = 0;
    for (const i of list) {
      const at = seen.get(keys[i] ?? '');
      if (at === undefined) missing++;
      else lat.push(at - (result.dueAt[i] ?? at));
    }
    return { lat, missing };
  };
  const views = later(rig.opened, applies);
  const updates = later(rig.updated, approves);
  const expired = views.lat.filter((l) => l > TRIGGER_LIFETIME_MS).length + views.missing;
  for (const key of keys) {
    rig.opened.delete(key);
    rig.updated.delete(key);
  }

  const backlogEnd = await queued(rig.notifications);
  const drainStarted = performance.now();
  let backlog = backlogEnd;
  while (!watch.emergency && backlog > 0 && performance.now() - drainStarted < rig.drainLimitMs) {
    await sleep(500);
    backlog = await queued(rig.notifications);
  }
  const drainMs = performance.now() - drainStarted;
  const drained = process.memoryUsage();
  const collapse = watch.collapse;
  const peakRss = Math.max(watch.peakRss, after.rss);
  const peakInFlight = watch.peakInFlight;

  const ackP99 = percentile(ack, 99);
  const viewsP99 = percentile(views.lat, 99);
  // From idle to a rate, V8 grows its heap to a working size (and keeps it): that is not
  // growth under the load. Flat is measured from a third into the sending to its end.
  const settled = watch.settledRss ?? before.rss;
  const rssGrowth = after.rss / settled;
  const goals = rate >= GOAL_RATE;
  const figures = {
    requests: total,
    sent: result.sent,
    ...(collapse ? { collapsed: collapse } : {}),
    errors: result.errors,
    unanswered,
    peakRequestsInFlight: peakInFlight,
    eventLoopDelayMs: watch.eventLoopDelay(),
    peakHeapUsedMB: mb(watch.peakHeap),
    ack: summary(ack),
    ackByType: Object.fromEntries(MIX.map((type) => [type, summary(ackOf(type))])),
    viewsOpen: { ...summary(views.lat), missing: views.missing },
    expiredTriggers: expired,
    approveToChatUpdate: { ...summary(updates.lat), missing: updates.missing },
    rssMB: {
      start: mb(before.rss),
      settled: mb(settled),
      end: mb(after.rss),
      peak: mb(peakRss),
      afterDrain: mb(drained.rss),
    },
    heapUsedMB: {
      start: mb(before.heapUsed),
      end: mb(after.heapUsed),
      afterDrain: mb(drained.heapUsed),
    },
    notificationsQueued: {
      start: backlogBefore,
      end: backlogEnd,
      afterDrain: backlog,
      drainMs: round(drainMs),
    },
  };
  log(
    `load ${rate} req/s: ack p99 ${round(ackP99)} ms, views.open p99 ${round(viewsP99)} ms, ${expired} expired, RSS ${mb(before.rss)} → ${mb(settled)} → ${mb(after.rss)} MB, ${backlogEnd} notifications queued (drained in ${round(drainMs / 1000)} s)`,
  );
  const what = `open loop ${rate} req/s, ${seconds} s, aged (list/status/apply/approve mixed)`;
  const byType = MIX.map((type) => `${type} ${round(percentile(ackOf(type), 99))}`).join(', ');
  const stopped = collapse
    ? `; COLLAPSED, stopped: ${collapse}, ${result.sent} of ${total} sent`
    : '';
  const failures = [
    result.errors ? `${result.errors} errors` : '',
    unanswered ? `${unanswered} unanswered` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const rows: Row[] = [
    {
      section: 'load',
      what: `${what}: ack p50 / p99`,
      measured: `${ms(percentile(ack, 50))} / ${ms(ackP99)} (p99 ${byType}; peak ${peakInFlight} in flight)${failures ? `, ${failures}` : ''}${stopped}`,
      goal: goals ? 'p99 < 50 ms' : '(reported)',
      pass: goals ? ackP99 < 50 && !failures && !collapse : null,
    },
    {
      section: 'load',
      what: `${what}: /cert apply → views.open p50 / p99 (team of ${rig.teamSize})`,
      measured: `${ms(percentile(views.lat, 50))} / ${ms(viewsP99)}${views.missing ? `, ${views.missing} never opened` : ''}`,
      goal: goals ? 'p99 < 300 ms' : '(reported)',
      pass: goals ? viewsP99 < 300 && views.missing === 0 && !collapse : null,
    },
    {
      section: 'load',
      what: `${what}: expired triggers (views.open > 3 s after the command, or never), of ${applies.length}`,
      measured: String(expired),
      goal: goals ? '0' : '(reported)',
      pass: goals ? expired === 0 && !collapse : null,
    },
    {
      section: 'load',
      what: `${what}: bot process RSS, start → a third in → end (peak; after the drain; V8 heap used start → end)`,
      measured: `${mb(before.rss)} → ${mb(settled)} → ${mb(after.rss)} MB (×${round(rssGrowth, 2)} from a third in; peak ${mb(peakRss)}; ${mb(drained.rss)} after the drain; heap ${mb(before.heapUsed)} → ${mb(after.heapUsed)} MB)`,
      goal: goals ? 'end ≤ a third in × 1.2' : '(reported)',
      pass: goals ? rssGrowth <= 1.2 && !collapse : null,
    },
    {
      section: 'load',
      what: `${what}: Approve → chat.update p50 / p99; notifications queued at the end`,
      measured: `${ms(percentile(updates.lat, 50))} / ${ms(percentile(updates.lat, 99))}${updates.missing ? `, ${updates.missing} never` : ''}; ${backlogEnd} queued, ${backlog === 0 ? `drained in ${round(drainMs / 1000)} s` : `${backlog} left after ${round(drainMs / 1000)} s`}`,
      goal: '(reported)',
      pass: null,
    },
  ];
  return { rows, figures, ...(collapse ? { collapse: `${rate} req/s (${collapse})` } : {}) };
}

/** `progress` gets the rows and figures so far after each rate (the results file is kept up). */
export async function openLoad(
  env: AgedEnv,
  progress: (partial: SectionResult) => void = () => undefined,
): Promise<SectionResult> {
  const seconds = envNumber('BENCH_LOAD_SECONDS', 60);
  const levels = rates();
  const rows: Row[] = [];
  const figures: Record<string, unknown> = {
    seconds,
    mix: MIX,
    loadGenerator: 'worker thread of the bot process, keep-alive, open loop',
  };

  // One pending application per Approve click, across the organisation's teams (approvers
  // decide everyone's requests): the aged team keeps its size for `/cert apply`.
  const perLevel = levels.map((rate) => Math.ceil(Math.round(rate * seconds) / MIX.length));
  const approvalsNeeded = perLevel.reduce((a, b) => a + b, 0);
  const seedStarted = performance.now();
  const approvals = await seedPendingApprovals(env.store, {
    count: approvalsNeeded,
    tag: 'ld',
    requester: (i) => `UOWNER${i % 1000}`,
    team: (i) => `t${i % OTHER_TEAMS}`,
    at: Date.now() - 7_200_000,
  });
  log(
    `load: ${approvalsNeeded} pending applications seeded in ${round(performance.now() - seedStarted)} ms`,
  );
  const teamSize = (await env.certops.store.certificates.idsOfTeam(AGED_TEAM)).length;
  figures.agedTeamInstancesDuringLoad = teamSize;

  const opened = new Map<string, number>();
  const updated = new Map<string, number>();
  const onCall = (call: RecordedCall) => {
    if (call.method === 'views.open') opened.set(String(call.params.trigger_id), call.at);
    else if (call.method === 'chat.update') updated.set(String(call.params.ts), call.at);
  };
  env.slack.on('call', onCall);
  // The fake Slack records every call: cleared as it goes, so the RSS figure is the bot's.
  const clearer = setInterval(() => env.slack.reset(), 1000);
  const notifications = new Queue(QUEUES.notifications, {
    connection: { url: env.redisUrl },
    prefix: env.queuePrefix,
  });
  const rig: LoadRig = {
    env,
    load: new LoadClient(),
    notifications,
    approvals,
    opened,
    updated,
    seconds,
    maxRssBytes: envNumber('BENCH_LOAD_MAX_RSS_MB', 2048) * 2 ** 20,
    maxInFlight: envNumber('BENCH_LOAD_MAX_IN_FLIGHT', 1000),
    drainLimitMs: envNumber('BENCH_LOAD_DRAIN_SECONDS', 120) * 1000,
    teamSize,
    sequence: 0,
    clicked: 0,
  };
  let collapsed: string | undefined;
  try {
    for (const rate of levels) {
      if (collapsed !== undefined) {
        const goals = rate >= GOAL_RATE;
        figures[`${rate}rps`] = { notRun: `collapsed at ${collapsed}` };
        rows.push({
          section: 'load',
          what: `open loop ${rate} req/s, ${seconds} s, aged (list/status/apply/approve mixed)`,
          measured: `not run: the bot collapsed at ${collapsed}`,
          goal: goals
            ? 'ack p99 < 50 ms, views.open p99 < 300 ms, 0 expired, RSS flat'
            : '(reported)',
          pass: goals ? false : null,
        });
        continue;
      }
      // Kept in the results file until the rate is done: if the process dies during it (at 100
      // req/s on the aged data it ran out of V8 heap with its event loop stalled for 35 s, where
      // no guard here can act), the file says so instead of leaving the rate out.
      progress({
        rows: [
          ...rows,
          {
            section: 'load',
            what: `open loop ${rate} req/s, ${seconds} s, aged (list/status/apply/approve mixed)`,
            measured: 'did not finish: the bench process died during this rate (see its log)',
            goal:
              rate >= GOAL_RATE
                ? 'ack p99 < 50 ms, views.open p99 < 300 ms, 0 expired, RSS flat'
                : '(reported)',
            pass: rate >= GOAL_RATE ? false : null,
          },
        ],
        figures: { ...figures, [`${rate}rps`]: { diedDuringThisRate: true } },
      });
      const level = await runLevel(rig, rate);
      rows.push(...level.rows);
      figures[`${rate}rps`] = level.figures;
      collapsed = level.collapse;
      progress({ rows, figures });
    }
  } finally {
    clearInterval(clearer);
    env.slack.off('call', onCall);
    await rig.load.close();
    await notifications.close();
  }
  return { rows, figures };
}
