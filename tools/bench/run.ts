/**
 * `npm run bench`: CertOps figures measured side by side in one run, on PRIVATE redis-servers
 * (never the shared one), printed as one table and written to bench/results.json.
 *
 * Parts (all by default; `--only <part>[,<part>]` runs some, e.g. `npm run bench -- --only aged`):
 * - `base`: ack latency vs bare Bolt, apply → views.open, the expiry check at 10k and 100k,
 *   memory, delayed-job lateness, seeding (this file);
 * - `aged` = `cost` + `load`: the aged organisation seeded through the store (aged-org.ts), CPU
 *   per request type fresh vs aged (request-cost.ts), open-loop load at 30/60/100 req/s
 *   (open-load.ts);
 * - `outage`: reminders through a Slack outage, HTTP 503 and connections reset (outage.ts).
 * A partial run replaces its own rows and figures in the results file and keeps the others'.
 * Knobs (environment; defaults in brackets): BENCH_AGED_CERTS [100000], BENCH_COST_REQUESTS
 * [80 per person and type], BENCH_LOAD_SECONDS [60 per rate], BENCH_LOAD_RATES [30,60,100],
 * BENCH_LOAD_DRAIN_SECONDS [120], BENCH_LOAD_MAX_RSS_MB [2048: a rate is stopped past it],
 * BENCH_OUTAGE_SECONDS [600], BENCH_OUTAGE_REMINDERS [300], BENCH_RESULTS_FILE
 * [bench/results.json]. Type-check the bench with `npx tsc --noEmit -p bench` (the root
 * tsconfig does not include bench/).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { App, LogLevel } from '@slack/bolt';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { type RunningCertOps, startCertOps } from '../../src/certops.js';
import { parseConfig } from '../../src/config.js';
import type { Certificate } from '../../src/domain/certificate.js';
import { createLogger } from '../../src/infra/logger.js';
import {
  freePort,
  type RedisServerHandle,
  startRedisServer,
} from '../../src/infra/redis-server-process.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { runExpiryCheck } from '../../src/usecases/expiry-check.js';
import { RecordingDispatcher } from '../../src/usecases/ports/index.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import { LocalSlackApi } from '../try/local-slack-api.js';
import { sign, slashCommandBody } from '../try/slack-requests.js';
import { agedSection } from './aged.js';
import { issued } from './certificates.js';
import { LoadClient } from './load.js';
import { outageSection } from './outage.js';
import { log, ms, type Row, type SectionResult, summary } from './report.js';
import { closeAgent, openLoop, percentile, post, round } from './stats.js';

const SECRET = 'bench0signing0secret0abcdef012345';
const TOKEN = 'xoxb-bench-token';
const PREFIX = 'bench';
const ADMIN = 'UBENCHADMIN';
const USER = 'UBENCHUSER'; // team `default`
const DAY = 86_400_000;
const RATE = 50;
const SECONDS = 20;
/** The ack comparison alternates between the servers this many times (SECONDS / ROUNDS each). */
const ROUNDS = 10;
const TOTAL = 100_000;
const SMALL = 10_000;
const IN_WINDOW = 3_000;
const DEFAULT_TEAM_SIZE = 300;
const BATCH = 500;
const IN_FLIGHT = 8;

/** The parts `--only` names, and the row sections each one writes. */
const PARTS = {
  base: ['base'],
  cost: ['aged-seed', 'cost'],
  load: ['aged-seed', 'load'],
  outage: ['outage'],
} as const;
type Part = keyof typeof PARTS;
/** Sections in table order. */
const SECTION_ORDER = ['base', 'aged-seed', 'cost', 'load', 'outage'];

const rows: Row[] = [];
const figures: Record<string, unknown> = {};

/** `--only a,b` / `--only=a --only b`; `aged` is `cost` and `load`. All parts when absent. */
function partsToRun(argv: readonly string[]): Set<Part> {
  const named: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--only') named.push(...(argv[++i] ?? '').split(','));
    else if (arg.startsWith('--only=')) named.push(...arg.slice('--only='.length).split(','));
    else throw new Error(`unknown argument ${arg} (use --only base|aged|cost|load|outage)`);
  }
  if (named.length === 0) return new Set(Object.keys(PARTS) as Part[]);
  const parts = new Set<Part>();
  for (const name of named.map((n) => n.trim()).filter(Boolean)) {
    if (name === 'aged') {
      parts.add('cost');
      parts.add('load');
    } else if (name in PARTS) parts.add(name as Part);
    else throw new Error(`--only ${name}: not a part (base, aged, cost, load, outage)`);
  }
  return parts;
}

async function main(): Promise<void> {
  const began = performance.now();
  const parts = partsToRun(process.argv.slice(2));
  log(`parts: ${[...parts].join(', ')}`);
  try {
    if (parts.has('base')) {
      const cleanups: Array<() => Promise<unknown>> = [];
      try {
        await run(cleanups);
      } finally {
        for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => log(String(e)));
      }
      for (let i = 0; i < rows.length; i++) rows[i] = { ...rows[i], section: 'base' } as Row;
    }
    if (parts.has('cost') || parts.has('load')) {
      const from = rows.length;
      // Written as it goes: a later step that kills the process leaves the earlier ones' figures.
      const keep = (aged: SectionResult) => {
        rows.splice(from, rows.length - from, ...aged.rows);
        figures.aged = aged.figures;
      };
      const aged = await agedSection(
        { cost: parts.has('cost'), load: parts.has('load') },
        (partial) => {
          keep(partial);
          writeResults(parts, { quiet: true });
        },
      );
      keep(aged);
    }
    if (parts.has('outage')) {
      const outage = await outageSection();
      rows.push(...outage.rows);
      figures.outage = outage.figures;
    }
    writeResults(parts);
  } finally {
    closeAgent();
  }
  log(`done in ${round((performance.now() - began) / 1000)} s`);
}

async function run(cleanups: Array<() => Promise<unknown>>): Promise<void> {
  const server = await startRedisServer({ persistence: 'none', hz: 10 });
  cleanups.push(() => server.stop());
  const admin = new Redis(server.url);
  cleanups.push(() => admin.quit());
  // The setting docker-compose.yml recommends: certificate hashes stay compact (listpack).
  await admin.config('SET', 'hash-max-listpack-value', '256');
  const slack = new LocalSlackApi();
  await slack.start();
  cleanups.push(() => slack.stop());

  const parsed = parseConfig({
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
    PORT: '0',
    REDIS_URL: server.url,
    CERTOPS_KEY_PREFIX: PREFIX,
    CERTOPS_QUEUE_PREFIX: `${PREFIX}-q`,
    CERTOPS_APPROVERS: ADMIN,
    CERTOPS_APPROVAL_CHANNEL: 'CAPPROVALS',
    CERTOPS_SUPPORT_CHANNEL: 'CSUPPORT',
    CERTOPS_ROLE: 'web',
    LOG_LEVEL: 'error',
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  const logger = createLogger({
    level: LogLevel.ERROR,
    write: (line) => log(line),
    secrets: [TOKEN, SECRET],
  });
  const certops = await startCertOps(parsed.config, { logger });
  cleanups.push(() => certops.stop());
  const memoryBefore = await usedMemory(admin);

  // --- seeding ---------------------------------------------------------------------------
  const now = Date.now();
  const purchased = await seedDefaultTeam(certops);
  const commitRate10k = await seedIssued(certops, 0, SMALL, now, IN_WINDOW);
  log(`seeded ${SMALL} issued certificates (${round(commitRate10k)} certs/s)`);

  // --- expiry check at 10k -----------------------------------------------------------------
  const small = await expiryFigures(certops, admin, SMALL);
  await deleteLedger(admin);
  const commitRate = await seedIssued(certops, SMALL, TOTAL, now, 0);
  log(`seeded ${TOTAL} issued certificates (${round(commitRate)} certs/s)`);
  const memoryAfter = await usedMemory(admin);
  const sample = await memorySample(admin, certops);
  const large = await expiryFigures(certops, admin, TOTAL);

  // --- ack latency: bare Bolt vs CertOps, interleaved rounds ---------------------------------
  const bare = await startBareBolt(slack.url);
  cleanups.push(() => bare.stop());
  const certopsUrl = `http://127.0.0.1:${certops.port}/slack/events`;
  const ackFigures = await ackLatency(slack, bare.url, certopsUrl, purchased);
  await bare.stop();
  await certops.settle();
  Object.assign(figures, { ack: ackFigures });

  // --- /cert apply → views.open -----------------------------------------------------------
  const applyLat = await applyToViewsOpen(certopsUrl, slack);
  const applyP99 = percentile(applyLat, 99);
  figures.applyToViewsOpen = {
    samples: applyLat.length,
    p50: round(percentile(applyLat, 50)),
    p99: round(applyP99),
    applicableInstances: DEFAULT_TEAM_SIZE,
    totalCertificates: TOTAL + DEFAULT_TEAM_SIZE,
  };
  rows.push({
    what: `/cert apply → views.open, ${TOTAL / 1000}k certs, ${DEFAULT_TEAM_SIZE} in team (p50 / p99)`,
    measured: `${ms(percentile(applyLat, 50))} / ${ms(applyP99)}`,
    goal: 'p99 < 300 ms',
    pass: applyP99 < 300,
  });

  // --- expiry rows ----------------------------------------------------------------------------
  expiryRows(small, large);

  // --- memory -----------------------------------------------------------------------------------
  const perHundredK = ((memoryAfter - memoryBefore) / (TOTAL + DEFAULT_TEAM_SIZE)) * 100_000;
  const rss = process.memoryUsage().rss;
  figures.memory = {
    usedMemoryBeforeBytes: memoryBefore,
    usedMemoryAfterSeedBytes: memoryAfter,
    usedMemoryPer100kCertsMB: round(perHundredK / 2 ** 20),
    processRssMB: round(rss / 2 ** 20),
    sampleKeyBytes: sample,
  };
  rows.push({
    what: 'Redis used_memory per 100k certificates (hash + indexes + audit)',
    measured: `${round(perHundredK / 2 ** 20)} MB (one cert: hash with its history ${sample.certHash} B)`,
    goal: '< 100 MB',
    pass: perHundredK < 100 * 2 ** 20,
  });
  rows.push({
    what: 'bot process RSS (bot + bench harness in one process)',
    measured: `${round(rss / 2 ** 20)} MB`,
    goal: '(reported)',
    pass: null,
  });

  // --- reminder lateness, hz 10 and hz 100; seeding comparison on the hz 100 server --------
  const lateness10 = await reminderLateness(server.url);
  const fast = await startRedisServer({ persistence: 'none', hz: 100 });
  cleanups.push(() => fast.stop());
  const lateness100 = await reminderLateness(fast.url);
  for (const [hz, lat] of [
    [10, lateness10],
    [100, lateness100],
  ] as const) {
    const p99 = percentile(lat, 99);
    rows.push({
      what: `delayed job lateness, 200 jobs over 3 s, hz ${hz}${hz === 10 ? ' (default)' : ''} (p50 / p99 / max)`,
      measured: `${ms(percentile(lat, 50))} / ${ms(p99)} / ${ms(Math.max(...lat))}`,
      goal: hz === 10 ? 'p99 < 200 ms' : '(reported)',
      pass: hz === 10 ? p99 < 200 : null,
    });
  }
  figures.reminderLateness = {
    hz10: summary(lateness10),
    hz100: summary(lateness100),
  };
  const seeding = await seedingComparison(fast, certops);
  rows.push({
    what: `seeding ${SMALL / 1000}k certs: store.commit ×${BATCH} pipelined vs recordPurchases ×1000`,
    measured: `${round(seeding.commit)} vs ${round(seeding.recordPurchases)} certs/s`,
    goal: '(reported)',
    pass: null,
  });
  figures.seeding = { ...seeding, seededWithCommitCertsPerSec: round(commitRate) };
}

// --- seeding -------------------------------------------------------------------------------

async function seedDefaultTeam(certops: RunningCertOps): Promise<string[]> {
  const ids: string[] = [];
  for (let done = 0; done < DEFAULT_TEAM_SIZE; done += 100) {
    const result = await recordPurchases(certops.useCases, ADMIN, [
      {
        kind: 'instances',
        brand: 'Sectigo',
        validationType: 'DV',
        domainType: 'single',
        grade: 'PositiveSSL',
        validityYears: 1,
        domainQuota: 1,
        quantity: 100,
        team: 'default',
      },
    ]);
    if (!result.ok) throw new Error(`recordPurchases refused: ${result.refusal.code}`);
    ids.push(...result.value.certificateIds);
  }
  return ids;
}

/** Certificates [from, to), the first `inWindow` of them expiring within 30 days; returns certs/s. */
async function seedIssued(
  certops: RunningCertOps,
  from: number,
  to: number,
  now: number,
  inWindow: number,
): Promise<number> {
  return commitSeed(certops.store, from, to, (i) => issued(i, now, i - from < inWindow));
}

async function commitSeed(
  store: RedisStore,
  from: number,
  to: number,
  make: (i: number) => Certificate,
): Promise<number> {
  const started = performance.now();
  let next = from;
  const lane = async () => {
    while (next < to) {
      const start = next;
      const end = Math.min(to, start + BATCH);
      next = end;
      const certs: Certificate[] = [];
      for (let i = start; i < end; i++) certs.push(make(i));
      const note = { actor: ADMIN, at: Date.now(), action: 'bench_seed' };
      const result = await store.commit((tx) => {
        for (const cert of certs) tx.createCertificate(cert, note);
      });
      if (!result.ok) throw new Error(`seed commit failed: ${JSON.stringify(result.conflict)}`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return ((to - from) / (performance.now() - started)) * 1000;
}

async function seedingComparison(
  server: RedisServerHandle,
  certops: RunningCertOps,
): Promise<{ commit: number; recordPurchases: number }> {
  const redis = new Redis(server.url);
  try {
    const now = Date.now();
    const commit = await commitSeed(new RedisStore(redis, 'cmp-a'), 0, SMALL, (i) =>
      issued(i, now, false),
    );
    const ctx = { ...certops.useCases, store: new RedisStore(redis, 'cmp-b') };
    const started = performance.now();
    for (let done = 0; done < SMALL; done += 1000) {
      const records = Array.from({ length: 10 }, () => ({
        kind: 'instances' as const,
        brand: 'Sectigo',
        validationType: 'DV' as const,
        domainType: 'single' as const,
        grade: 'PositiveSSL',
        validityYears: 1,
        domainQuota: 1,
        quantity: 100,
        team: 'cmp',
      }));
      const result = await recordPurchases(ctx, ADMIN, records);
      if (!result.ok) throw new Error(`recordPurchases refused: ${result.refusal.code}`);
    }
    const rp = (SMALL / (performance.now() - started)) * 1000;
    return { commit: round(commit), recordPurchases: round(rp) };
  } finally {
    await redis.quit();
  }
}

// --- expiry ----------------------------------------------------------------------------------

interface ExpiryFigures {
  readonly total: number;
  readonly checkMs: number;
  readonly checkCommands: number;
  readonly examined: number;
  readonly reminders: number;
  readonly indexFindMs: number;
  readonly indexFindCommands: number;
  readonly indexIdsMs: number;
  readonly indexIdsCommands: number;
  readonly indexIds: number;
  readonly naiveMs: number;
  readonly naiveCommands: number;
  readonly naiveFound: number;
}

async function expiryFigures(
  certops: RunningCertOps,
  admin: Redis,
  total: number,
): Promise<ExpiryFigures> {
  const dispatcher = new RecordingDispatcher();
  const ctx = { ...certops.useCases, dispatcher };
  const thresholds = certops.useCases.policy.reminderDays;
  let c0 = await commandsProcessed(admin);
  let t0 = performance.now();
  const result = await runExpiryCheck(ctx, thresholds);
  const checkMs = performance.now() - t0;
  const checkCommands = (await commandsProcessed(admin)) - c0 - 1;

  const from = Date.now() - 30 * DAY;
  const to = Date.now() + 31 * DAY;
  // Finding what is due, like for like with the naive scan (both end with the ids in window).
  c0 = await commandsProcessed(admin);
  t0 = performance.now();
  let indexIds = 0;
  for (let offset = 0; ; offset += 500) {
    const ids = await certops.store.certificates.idsExpiringBetween(from, to, {
      offset,
      limit: 500,
    });
    indexIds += ids.length;
    if (ids.length < 500) break;
  }
  const indexIdsMs = performance.now() - t0;
  const indexIdsCommands = (await commandsProcessed(admin)) - c0 - 1;

  // Then reading those certificates too (what the check works on): index page + hydration.
  c0 = await commandsProcessed(admin);
  t0 = performance.now();
  for (let offset = 0; ; offset += 500) {
    const ids = await certops.store.certificates.idsExpiringBetween(from, to, {
      offset,
      limit: 500,
    });
    if (ids.length === 0) break;
    await certops.store.certificates.getMany(ids);
    if (ids.length < 500) break;
  }
  const indexFindMs = performance.now() - t0;
  const indexFindCommands = (await commandsProcessed(admin)) - c0 - 1;

  // Naive: SCAN every certificate key, HGET notAfter (pipelined per page), filter in JS.
  const scanner = new Redis(admin.options);
  c0 = await commandsProcessed(admin);
  t0 = performance.now();
  let cursor = '0';
  let naiveFound = 0;
  do {
    const [nextCursor, keys] = await scanner.scan(
      cursor,
      'MATCH',
      `${PREFIX}:cert:*`,
      'COUNT',
      1000,
    );
    cursor = nextCursor;
    if (keys.length > 0) {
      const pipeline = scanner.pipeline();
      for (const key of keys) pipeline.hget(key, 'notAfter');
      const replies = (await pipeline.exec()) ?? [];
      for (const [, value] of replies) {
        const n = Number(value);
        if (value !== null && n >= from && n <= to) naiveFound++;
      }
    }
  } while (cursor !== '0');
  const naiveMs = performance.now() - t0;
  const naiveCommands = (await commandsProcessed(admin)) - c0 - 1;
  await scanner.quit();
  log(
    `expiry @${total}: check ${round(checkMs)} ms (${result.reminders} reminders), find ${round(indexFindMs)} ms, naive ${round(naiveMs)} ms (${naiveFound} found)`,
  );
  return {
    total,
    checkMs: round(checkMs),
    checkCommands,
    examined: result.examined,
    reminders: result.reminders,
    indexFindMs: round(indexFindMs),
    indexFindCommands,
    indexIdsMs: round(indexIdsMs, 2),
    indexIdsCommands,
    indexIds,
    naiveMs: round(naiveMs),
    naiveCommands,
    naiveFound,
  };
}

function expiryRows(small: ExpiryFigures, large: ExpiryFigures): void {
  figures.expiry = { small, large };
  for (const f of [small, large]) {
    rows.push({
      what: `daily expiry check, ${f.total / 1000}k certs, ${f.examined} in window, ${f.reminders} reminders sent`,
      measured: `${ms(f.checkMs)}, ${f.checkCommands} cmds`,
      goal: '< 1 s',
      pass: f.checkMs < 1000,
    });
  }
  const idsRatio = large.naiveMs / Math.max(large.indexIdsMs, 0.01);
  rows.push({
    what: `finding what is due, ${large.total / 1000}k certs: notAfter index vs naive SCAN + HGET notAfter (${large.naiveFound} found)`,
    measured: `${ms(large.indexIdsMs)} (${large.indexIdsCommands} cmds) vs ${ms(large.naiveMs)} (${large.naiveCommands} cmds): ${round(idsRatio)}×`,
    goal: '≥ 10× faster',
    pass: idsRatio >= 10 && large.indexIds === large.naiveFound,
  });
  const findRatio = large.naiveMs / large.indexFindMs;
  rows.push({
    what: `… and reading the ${large.indexIds} found (index + HGETALL + decode) vs naive scan`,
    measured: `${ms(large.indexFindMs)} (${large.indexFindCommands} cmds) vs ${ms(large.naiveMs)}: ${round(findRatio)}×`,
    goal: '(reported)',
    pass: null,
  });
  const fullRatio = large.naiveMs / large.checkMs;
  rows.push({
    what: `whole check (find, read, 3000 reminders + ledger) vs the naive scan alone, ${large.total / 1000}k`,
    measured: `${ms(large.checkMs)} vs ${ms(large.naiveMs)}: ${round(fullRatio)}×`,
    goal: '≥ 10× faster',
    pass: fullRatio >= 10,
  });
  const growth = large.checkMs / small.checkMs;
  rows.push({
    what: `expiry check flat in total: ${small.total / 1000}k → ${large.total / 1000}k, same ${IN_WINDOW} in window`,
    measured: `${ms(small.checkMs)} → ${ms(large.checkMs)} (×${round(growth, 2)}); cmds ${small.checkCommands} → ${large.checkCommands}`,
    goal: 'time ×≤ 1.5, same cmds',
    pass: growth <= 1.5 && Math.abs(large.checkCommands - small.checkCommands) <= 10,
  });
}

async function deleteLedger(admin: Redis): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${PREFIX}:ledger:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) await admin.unlink(...keys);
  } while (cursor !== '0');
}

async function memorySample(
  admin: Redis,
  certops: RunningCertOps,
): Promise<Record<string, number>> {
  const [id] = await admin.zrange(certops.store.keys.idx.certNotAfter(), '0', '0');
  const usage = async (key: string) =>
    Number(await admin.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
  const keys = certops.store.keys;
  return {
    certHash: await usage(keys.entity('cert', id ?? '')),
    globalAuditStream: await usage(keys.audit()),
    notAfterIndex: await usage(keys.idx.certNotAfter()),
  };
}

async function commandsProcessed(admin: Redis): Promise<number> {
  const info = await admin.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

async function usedMemory(admin: Redis): Promise<number> {
  const info = await admin.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

// --- Slack requests ---------------------------------------------------------------------------

async function startBareBolt(apiUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const app = new App({
    token: TOKEN,
    signingSecret: SECRET,
    botId: 'BBARE',
    botUserId: 'UBARE',
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: apiUrl },
  });
  app.command('/cert', async ({ ack }) => {
    await ack();
  });
  await app.start(port);
  let stopped = false;
  return {
    url: `http://127.0.0.1:${port}/slack/events`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.stop();
    },
  };
}

/**
 * Ack latency of both servers under the same load, measured so that the comparison holds on a
 * busy machine: the load generator runs in a worker thread (not on the servers' event loop); the
 * `RATE` × `SECONDS` requests each server gets are split into `ROUNDS` rounds that alternate
 * between the servers (ABBA order, after a warm-up of each), so slow spells of the machine hit
 * both alike; both get the same requests (`list` and `status <id>` alternating); and the verdict
 * is the median over rounds of CertOps p99 ÷ bare p99 in the same round, beside pooled figures.
 */
async function ackLatency(
  slack: LocalSlackApi,
  bareUrl: string,
  certopsUrl: string,
  ids: readonly string[],
): Promise<Record<string, unknown>> {
  const load = new LoadClient();
  const perRound = (RATE * SECONDS) / ROUNDS;
  let sent = 0;
  const texts = (i: number) => (i % 2 === 0 ? 'list' : `status ${ids[i % ids.length]}`);
  const phase = async (url: string, count: number) => {
    const first = sent;
    sent += count;
    const bodies = Array.from({ length: count }, (_, i) =>
      slashCommandBody({
        text: texts(i),
        userId: USER,
        responseUrl: slack.responseUrl(`b${first + i}`),
      }),
    );
    const result = await load.run({ url, secret: SECRET, rate: RATE, bodies });
    // CertOps answers each command on its response_url after the ack: let that work finish
    // before the other server's phase starts (bare Bolt never answers there).
    if (url === certopsUrl)
      await slack
        .waitFor((c) => c.method === `response_url:b${sent - 1}`, 10_000)
        .catch(() => undefined);
    return result;
  };
  try {
    log(
      `ack latency: warm-up, then ${ROUNDS} rounds × ${perRound} requests per server at ${RATE}/s`,
    );
    await phase(bareUrl, RATE);
    await phase(certopsUrl, RATE);
    const bareAll: number[] = [];
    const list: number[] = [];
    const status: number[] = [];
    const ratios: number[] = [];
    const roundP99 = { bare: [] as number[], certops: [] as number[] };
    let errors = { bare: 0, certops: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? [bareUrl, certopsUrl] : [certopsUrl, bareUrl];
      const results = new Map<string, { latencies: number[]; errors: number }>();
      for (const url of order) results.set(url, await phase(url, perRound));
      const b = results.get(bareUrl) ?? { latencies: [], errors: 0 };
      const c = results.get(certopsUrl) ?? { latencies: [], errors: 0 };
      errors = { bare: errors.bare + b.errors, certops: errors.certops + c.errors };
      const bareOk = b.latencies.filter(Number.isFinite);
      const certOk = c.latencies.filter(Number.isFinite);
      bareAll.push(...bareOk);
      c.latencies.forEach((lat, i) => {
        if (Number.isFinite(lat)) (i % 2 === 0 ? list : status).push(lat);
      });
      roundP99.bare.push(percentile(bareOk, 99));
      roundP99.certops.push(percentile(certOk, 99));
      ratios.push(percentile(certOk, 99) / percentile(bareOk, 99));
    }
    return ackRows({ bare: bareAll, list, status, ratios, roundP99, errors });
  } finally {
    await load.close();
  }
}

function ackRows(m: {
  bare: number[];
  list: number[];
  status: number[];
  ratios: number[];
  roundP99: { bare: number[]; certops: number[] };
  errors: { bare: number; certops: number };
}): Record<string, unknown> {
  const bareP99 = percentile(m.bare, 99);
  const medianRatio = percentile(m.ratios, 50);
  const result: Record<string, unknown> = {
    rate: RATE,
    seconds: SECONDS,
    rounds: ROUNDS,
    loadGenerator: 'worker thread, keep-alive, open loop',
    bare: {
      ...summary(m.bare),
      errors: m.errors.bare,
      roundP99: m.roundP99.bare.map((x) => round(x)),
    },
    certops: { errors: m.errors.certops, roundP99: m.roundP99.certops.map((x) => round(x)) },
    roundRatios: m.ratios.map((x) => round(x, 2)),
    medianRoundRatio: round(medianRatio, 2),
  };
  rows.push({
    what: `ack, bare Bolt /cert (ack only), ${RATE} req/s, ${SECONDS} s in ${ROUNDS} rounds (p50 / p99)`,
    measured: `${ms(percentile(m.bare, 50))} / ${ms(bareP99)}${m.errors.bare ? `, ${m.errors.bare} errors` : ''}`,
    goal: '(baseline)',
    pass: null,
  });
  for (const [name, lat] of [
    ['list', m.list],
    ['status <id>', m.status],
  ] as const) {
    const p99 = percentile(lat, 99);
    result[name] = summary(lat);
    rows.push({
      what: `ack, CertOps /cert ${name} (p50 / p99), same rounds, list/status alternating`,
      measured: `${ms(percentile(lat, 50))} / ${ms(p99)} (p99 ${round(p99 / bareP99, 2)}× bare)`,
      goal: 'p99 < 50 ms',
      pass: p99 < 50,
    });
  }
  rows.push({
    what: `ack p99, CertOps ÷ bare Bolt, per round (median of ${ROUNDS}; range)`,
    measured: `${round(medianRatio, 2)}× (${round(Math.min(...m.ratios), 2)}–${round(Math.max(...m.ratios), 2)}×)`,
    goal: '≤ 1.5×',
    pass: medianRatio <= 1.5,
  });
  if (m.errors.certops)
    rows.push({
      what: 'CertOps ack errors',
      measured: String(m.errors.certops),
      goal: '0',
      pass: false,
    });
  return result;
}

async function applyToViewsOpen(url: string, slack: LocalSlackApi): Promise<number[]> {
  const samples = 100;
  const latencies: number[] = [];
  log(`/cert apply → views.open: ${samples} requests at 10/s`);
  await openLoop(10, samples / 10, async () => {
    const triggerId = `trigger.bench.${Math.random().toString(36).slice(2)}`;
    const body = slashCommandBody({
      text: 'apply',
      userId: USER,
      responseUrl: slack.responseUrl(),
      triggerId,
    });
    const sent = Date.now();
    const opened = slack.waitFor(
      (c) => c.method === 'views.open' && c.params.trigger_id === triggerId,
      10_000,
    );
    await post(url, body, {
      'content-type': 'application/x-www-form-urlencoded',
      ...sign(body, SECRET),
    });
    const call = await opened;
    latencies.push(call.at - sent);
  });
  return latencies;
}

// --- delayed jobs -------------------------------------------------------------------------------

async function reminderLateness(url: string): Promise<number[]> {
  const connection = { url };
  const prefix = 'bench-lateness';
  const queue = new Queue('review-check', { connection, prefix });
  const late: number[] = [];
  let resolveAll: () => void = () => undefined;
  const all = new Promise<void>((r) => {
    resolveAll = r;
  });
  const jobs = 200;
  const worker = new Worker(
    'review-check',
    async (job) => {
      late.push(Date.now() - (job.data as { due: number }).due);
      if (late.length === jobs) resolveAll();
    },
    { connection, prefix, concurrency: 10 },
  );
  try {
    await worker.waitUntilReady();
    const t0 = Date.now() + 500;
    const batch = Array.from({ length: jobs }, (_, i) => {
      const due = t0 + i * 15;
      return {
        name: 'review-check',
        data: { due },
        opts: { delay: due - Date.now(), removeOnComplete: true },
      };
    });
    await queue.addBulk(batch);
    await Promise.race([all, new Promise((r) => setTimeout(r, 20_000))]);
    if (late.length < jobs) throw new Error(`only ${late.length} of ${jobs} delayed jobs ran`);
    return late;
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}

// --- output -------------------------------------------------------------------------------------

function pkgVersion(name: string): string {
  const path = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

function redisVersion(): string {
  try {
    return (
      /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ??
      'unknown'
    );
  } catch {
    return 'unknown';
  }
}

interface StoredResults {
  readonly date?: string;
  readonly rows?: Row[];
  readonly figures?: Record<string, unknown>;
  readonly sectionDates?: Record<string, string>;
  readonly sectionSettings?: Record<string, Record<string, string | undefined>>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Writes the results file: this run's rows and figures; a partial run (`--only`) keeps the
 * rows and figures of the parts it did not run from the file as it was (rows without a section
 * are the base part's, from before parts existed).
 */
function writeResults(parts: ReadonlySet<Part>, options: { quiet?: boolean } = {}): void {
  const file = resolve(
    process.env.BENCH_RESULTS_FILE ?? new URL('./results.json', import.meta.url).pathname,
  );
  const ran = new Set<string>([...parts].flatMap((p) => [...PARTS[p]]));
  const old: StoredResults = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as StoredResults)
    : {};
  const date = new Date().toISOString();
  const kept = (old.rows ?? []).filter((r) => !ran.has(r.section ?? 'base'));
  const sectionOf = (r: Row) => SECTION_ORDER.indexOf(r.section ?? 'base');
  const allRows = [...kept, ...rows].sort((a, b) => sectionOf(a) - sectionOf(b));
  const allFigures: Record<string, unknown> = { ...(old.figures ?? {}) };
  for (const [key, value] of Object.entries(figures)) {
    const before = allFigures[key];
    // `aged` holds the cost and load figures: a run of one keeps the other's.
    allFigures[key] =
      isObject(before) && isObject(value) && key === 'aged' ? { ...before, ...value } : value;
  }
  const sectionDates = {
    // A file from before parts existed holds the base part only, measured on its date.
    ...(old.sectionDates ?? (old.date ? { base: old.date } : {})),
    ...Object.fromEntries([...ran].map((s) => [s, date])),
  };
  const redis = redisVersion();
  const cpu = cpus();
  const own = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  const machine = {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGB: round(totalmem() / 2 ** 30),
  };
  const versions = {
    node: process.version,
    redis,
    certops: own.version,
    '@slack/bolt': pkgVersion('@slack/bolt'),
    bullmq: pkgVersion('bullmq'),
    ioredis: pkgVersion('ioredis'),
  };
  const line = (r: Row) =>
    `| ${r.what} | ${r.measured} | ${r.goal} | ${r.pass === null ? '—' : r.pass ? 'pass' : '**FAIL**'} |`;
  const table = [
    '| figure | measured | goal | result |',
    '|---|---|---|---|',
    ...rows.map(line),
  ].join('\n');
  const machineLine = `${date.slice(0, 10)} · ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGB} GB · Node ${versions.node} · Redis ${redis} (private redis-server, hz 10) · Bolt ${versions['@slack/bolt']}, BullMQ ${versions.bullmq}, ioredis ${versions.ioredis}`;
  // The knobs each section was last measured with (rows kept from earlier runs keep theirs).
  const settings = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => name.startsWith('BENCH_') && name !== 'BENCH_RESULTS_FILE',
    ),
  );
  const sectionSettings = {
    ...(old.sectionSettings ?? {}),
    ...Object.fromEntries([...ran].map((s) => [s, settings])),
  };
  writeFileSync(
    file,
    `${JSON.stringify({ date, machine, versions, redisHz: 10, parts: [...parts], sectionDates, sectionSettings, rows: allRows, figures: allFigures }, null, 2)}\n`,
  );
  if (options.quiet) return;
  process.stdout.write(`${machineLine}\n\n${table}\n`);
  if (kept.length > 0) log(`${file}: this run's rows, and ${kept.length} kept from earlier runs`);
}

await main();
