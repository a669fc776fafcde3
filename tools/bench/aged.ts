/**
 * The aged-organisation parts of `npm run bench` (`--only aged`, or `--only cost` / `--only load`):
 * a PRIVATE redis-server, LocalSlackApi as Slack, one CertOps web process started in-process,
 * the aged organisation seeded through its store (aged-org.ts), then the CPU cost per request
 * type, fresh vs aged (request-cost.ts), and the open-loop load (open-load.ts).
 */
import { LogLevel } from '@slack/bolt';
import { Redis } from 'ioredis';
import { type RunningCertOps, startCertOps } from '../../src/certops.js';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/infra/logger.js';
import { startRedisServer } from '../../src/infra/redis-server-process.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { LocalSlackApi } from '../try/local-slack-api.js';
import { type AgedOrg, APPROVER, seedAgedOrg, teamsSetting } from './aged-org.js';
import { openLoad } from './open-load.js';
import { envNumber, log, mb, type Row, type SectionResult } from './report.js';
import { requestCost } from './request-cost.js';
import { APPROVAL_CHANNEL, SECRET, SUPPORT_CHANNEL } from './requests.js';
import { round } from './stats.js';

const TOKEN = 'xoxb-bench-token';
const PREFIX = 'aged';

/** Everything the cost and load parts work against. */
export interface AgedEnv {
  readonly url: string;
  readonly redisUrl: string;
  readonly queuePrefix: string;
  readonly slack: LocalSlackApi;
  readonly certops: RunningCertOps;
  /** The store on the bench's own connection (seeding), not the bot's. */
  readonly store: RedisStore;
  readonly org: AgedOrg;
}

/**
 * `progress` gets the rows and figures measured so far after each step (seeding, the costs,
 * each load rate), so that the results file keeps them even if a later step kills the process.
 */
export async function agedSection(
  parts: { readonly cost: boolean; readonly load: boolean },
  progress: (partial: SectionResult) => void = () => undefined,
): Promise<SectionResult> {
  const rows: Row[] = [];
  const figures: Record<string, unknown> = {};
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const server = await startRedisServer({ persistence: 'none', hz: 10, stopWithParent: true });
    cleanups.push(() => server.stop());
    const admin = new Redis(server.url);
    cleanups.push(() => admin.quit());
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
      CERTOPS_APPROVERS: APPROVER,
      CERTOPS_APPROVAL_CHANNEL: APPROVAL_CHANNEL,
      CERTOPS_SUPPORT_CHANNEL: SUPPORT_CHANNEL,
      CERTOPS_TEAMS: teamsSetting(),
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

    const certificates = envNumber('BENCH_AGED_CERTS', 100_000);
    log(`aged organisation: seeding ${certificates} certificates through RedisStore.commit`);
    const store = new RedisStore(admin, PREFIX);
    const org = await seedAgedOrg(store, admin, { certificates, log });
    const memory = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1] ?? Number.NaN);
    log(
      `aged organisation seeded in ${round(org.seedSeconds)} s: ${org.certificates} certificates, ${org.auditEntries} audit entries, Redis used_memory ${mb(memory)} MB`,
    );
    figures.agedOrg = {
      ...org,
      statusTargets: undefined,
      seedSeconds: round(org.seedSeconds),
      usedMemoryMB: mb(memory),
    };
    rows.push({
      section: 'aged-seed',
      what: `aged organisation through RedisStore.commit: ${round(org.certificates / 1000)}k certs with their lives, a person with ${org.agedOwned} certs and ${org.agedRequests} requests over 5 years, a team of ${org.agedTeamInstances}, ${org.auditEntries} audit entries`,
      measured: `${round(org.seedSeconds)} s (${org.commits} commits), Redis ${mb(memory)} MB`,
      goal: '≤ a few minutes',
      pass: org.seedSeconds <= 300,
    });
    progress({ rows, figures });

    const env: AgedEnv = {
      url: `http://127.0.0.1:${certops.port}/slack/events`,
      redisUrl: server.url,
      queuePrefix: `${PREFIX}-q`,
      slack,
      certops,
      store,
      org,
    };
    if (parts.cost) {
      const cost = await requestCost(env);
      rows.push(...cost.rows);
      figures.requestCost = cost.figures;
      progress({ rows, figures });
    }
    if (parts.load) {
      const load = await openLoad(env, (partial) => {
        figures.openLoad = partial.figures;
        progress({ rows: [...rows, ...partial.rows], figures });
      });
      rows.push(...load.rows);
      figures.openLoad = load.figures;
    }
    return { rows, figures };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => log(String(e)));
  }
}
