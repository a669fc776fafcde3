/**
 * CPU per request, by request type, for a fresh person (one page of certificates, a few requests,
 * a small team) and for the aged organisation's person (800 certificates, 1,500 requests, a team
 * of 1,200 instances), against the same CertOps web process and store.
 *
 * CPU ms per request = process.cpuUsage() (user + system) over N sequential requests ÷ N, after
 * a warm-up. Each request is sent, acked, and its visible answer waited for (the response_url
 * post, the views.open, the chat.update of an approval), and each batch ends with the bot's
 * notifications delivered (`settle`), so post-ack work is counted. The bot, LocalSlackApi and
 * this client share the process: the client's and the fake Slack's share is in both figures
 * alike. Fresh and aged batches alternate (ABBA) so a slow spell of the machine hits both.
 */

import { sign } from '../try/slack-requests.js';
import type { AgedEnv } from './aged.js';
import {
  AGED_TEAM,
  AGED_USER,
  APPROVER,
  FRESH_TEAM,
  FRESH_USER,
  seedPendingApprovals,
} from './aged-org.js';
import { envNumber, log, type Row, type SectionResult } from './report.js';
import { AnswerWatch, approveClickBody, commandBody, messageTs, SECRET } from './requests.js';
import { post, round } from './stats.js';

export const REQUEST_TYPES = ['help', 'list', 'status', 'apply', 'combine', 'approve'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];

const LABEL: Record<RequestType, string> = {
  help: '/cert help',
  list: '/cert list',
  status: '/cert status <id>',
  apply: '/cert apply → views.open',
  combine: '/cert combine → views.open',
  approve: 'Approve click → chat.update',
};

interface Person {
  readonly label: 'fresh' | 'aged';
  readonly user: string;
  readonly team: string;
  readonly statusTargets: readonly string[];
  readonly contactId: string;
  approvals: string[];
}

interface Batch {
  cpuMs: number;
  wallMs: number;
  requests: number;
  unexpected: number;
}

let sequence = 0;
let unexpectedLogged = 0;

/**
 * Sends one request of `type` as `person` and waits for its visible answer. False when the bot
 * answered otherwise than it should (e.g. a response_url refusal instead of opening the modal).
 */
export async function oneRequest(
  env: AgedEnv,
  watch: AnswerWatch,
  type: RequestType,
  person: Person,
): Promise<boolean> {
  const n = ++sequence;
  const responseId = `cost${n}`;
  const triggerId = `trigger.cost.${n}`;
  const ts = messageTs(n);
  let body: string;
  let expected: string;
  const fallback = `response_url:${responseId}`;
  switch (type) {
    case 'approve': {
      const applicationId = person.approvals.shift();
      if (!applicationId) throw new Error(`no pending application left for ${person.label}`);
      body = approveClickBody(env.slack, APPROVER, applicationId, ts, responseId);
      expected = `chat.update:${ts}`;
      break;
    }
    case 'apply':
    case 'combine':
      body = commandBody(env.slack, person.user, type, responseId, triggerId);
      expected = `views.open:${triggerId}`;
      break;
    case 'status': {
      const id = person.statusTargets[n % person.statusTargets.length] ?? '';
      body = commandBody(env.slack, person.user, `status ${id}`, responseId, triggerId);
      expected = fallback;
      break;
    }
    default:
      body = commandBody(env.slack, person.user, type, responseId, triggerId);
      expected = fallback;
  }
  const answered = watch.first(expected === fallback ? [expected] : [expected, fallback]);
  const status = await post(env.url, body, {
    'content-type': 'application/x-www-form-urlencoded',
    ...sign(body, SECRET),
  });
  const { key, call } = await answered;
  // A list or a status is answered with blocks; a refusal (another team's certificate, say) is
  // text only, and would time the wrong path.
  const blocks = call.params.blocks;
  const real =
    (type !== 'list' && type !== 'status') || (Array.isArray(blocks) && blocks.length > 0);
  if (status !== 200 || key !== expected || !real) {
    if (++unexpectedLogged > 3) return false;
    log(
      `cost: ${type} for ${person.label} answered ${status}, ${key}: ${JSON.stringify(call.params.text ?? '').slice(0, 200)}`,
    );
    return false;
  }
  return true;
}

async function batch(
  env: AgedEnv,
  watch: AnswerWatch,
  type: RequestType,
  person: Person,
  count: number,
): Promise<Batch> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let unexpected = 0;
  for (let i = 0; i < count; i++) if (!(await oneRequest(env, watch, type, person))) unexpected++;
  await env.certops.settle();
  const cpu = process.cpuUsage(cpu0);
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs: performance.now() - t0,
    requests: count,
    unexpected,
  };
}

interface CostSettings {
  readonly perRound: number;
  readonly rounds: number;
  readonly warmUp: number;
}

/** One request type: warm-up (checking the answers), then ABBA rounds of fresh and aged. */
async function measureType(
  env: AgedEnv,
  watch: AnswerWatch,
  type: RequestType,
  people: { readonly fresh: Person; readonly aged: Person },
  settings: CostSettings,
): Promise<{ figure: Record<string, unknown>; row: Row }> {
  const { fresh, aged } = people;
  const { perRound, rounds, warmUp } = settings;
  if (type === 'approve') {
    // Each click needs its own pending application: the person's own, in their team.
    for (const [person, tag] of [
      [fresh, 'qf'],
      [aged, 'qa'],
    ] as const) {
      person.approvals = await seedPendingApprovals(env.store, {
        count: warmUp + perRound * rounds,
        tag,
        requester: () => person.user,
        team: () => person.team,
        contactId: person.contactId,
        at: Date.now() - 3_600_000,
      });
    }
  }
  // The warm-up also checks that the bot answers as it should: an error path is not timed.
  for (const person of [fresh, aged])
    for (let i = 0; i < warmUp; i++)
      if (!(await oneRequest(env, watch, type, person)))
        throw new Error(`the bot did not answer ${type} for ${person.label} as expected`);
  await env.certops.settle();
  const totals: Record<Person['label'], Batch> = {
    fresh: { cpuMs: 0, wallMs: 0, requests: 0, unexpected: 0 },
    aged: { cpuMs: 0, wallMs: 0, requests: 0, unexpected: 0 },
  };
  for (let r = 0; r < rounds; r++) {
    for (const person of r % 2 === 0 ? [fresh, aged] : [aged, fresh]) {
      const b = await batch(env, watch, type, person, perRound);
      const t = totals[person.label];
      t.cpuMs += b.cpuMs;
      t.wallMs += b.wallMs;
      t.requests += b.requests;
      t.unexpected += b.unexpected;
    }
  }
  const per = (b: Batch) => b.cpuMs / b.requests;
  const ratio = per(totals.aged) / per(totals.fresh);
  const unexpected = totals.fresh.unexpected + totals.aged.unexpected;
  log(
    `cost ${type}: fresh ${round(per(totals.fresh), 2)} ms, aged ${round(per(totals.aged), 2)} ms CPU per request (×${round(ratio, 2)})`,
  );
  return {
    figure: {
      freshCpuMsPerRequest: round(per(totals.fresh), 2),
      agedCpuMsPerRequest: round(per(totals.aged), 2),
      ratio: round(ratio, 2),
      freshWallMsPerRequest: round(totals.fresh.wallMs / totals.fresh.requests, 2),
      agedWallMsPerRequest: round(totals.aged.wallMs / totals.aged.requests, 2),
      unexpectedAnswers: unexpected,
    },
    row: {
      section: 'cost',
      what: `CPU per request, ${LABEL[type]}: fresh vs aged (${perRound * rounds} each, ABBA)`,
      measured: `${round(per(totals.fresh), 2)} ms vs ${round(per(totals.aged), 2)} ms (×${round(ratio, 2)})${unexpected ? `, ${unexpected} unexpected answers` : ''}`,
      goal: 'aged ≤ 1.5× fresh',
      pass: ratio <= 1.5 && unexpected === 0,
    },
  };
}

export async function requestCost(env: AgedEnv): Promise<SectionResult> {
  const perPerson = envNumber('BENCH_COST_REQUESTS', 80);
  const rounds = 4;
  const settings: CostSettings = {
    perRound: Math.max(1, Math.round(perPerson / rounds)),
    rounds,
    warmUp: 5,
  };
  const { org } = env;
  const fresh: Person = {
    label: 'fresh',
    user: FRESH_USER,
    team: FRESH_TEAM,
    statusTargets: org.statusTargets.fresh,
    contactId: org.contacts.fresh,
    approvals: [],
  };
  const aged: Person = {
    label: 'aged',
    user: AGED_USER,
    team: AGED_TEAM,
    statusTargets: org.statusTargets.aged,
    contactId: org.contacts.aged,
    approvals: [],
  };
  const rows: Row[] = [];
  const figures: Record<string, unknown> = {
    requestsPerPersonAndType: settings.perRound * rounds,
    rounds,
    warmUp: settings.warmUp,
    fresh: {
      certificates: org.freshOwned,
      requests: org.freshRequests,
      teamInstances: org.freshTeamInstances,
    },
    aged: {
      certificates: org.agedOwned,
      requests: org.agedRequests,
      teamInstances: org.agedTeamInstances,
    },
  };
  const watch = new AnswerWatch(env.slack);
  try {
    for (const type of REQUEST_TYPES) {
      try {
        const { figure, row } = await measureType(env, watch, type, { fresh, aged }, settings);
        figures[type] = figure;
        rows.push(row);
      } catch (error) {
        // One request type failing (a timeout, a bot error) does not lose the others' figures.
        log(`cost ${type}: ${String(error)}`);
        figures[type] = { error: String(error) };
        rows.push({
          section: 'cost',
          what: `CPU per request, ${LABEL[type]}: fresh vs aged`,
          measured: `not measured: ${String(error).slice(0, 120)}`,
          goal: 'aged ≤ 1.5× fresh',
          pass: false,
        });
      } finally {
        // The fake Slack keeps every call it answered: let go of them between types.
        env.slack.reset();
      }
    }
  } finally {
    watch.close();
  }
  return { rows, figures };
}
