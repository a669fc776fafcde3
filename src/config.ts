import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { type DomainType, specKey, type ValidationType } from './domain/spec.js';

/**
 * The one place that reads configuration: environment variables (plus an optional `.env`),
 * validated with zod and turned into a typed, grouped `Config`. Every problem becomes one line
 * naming the variable and what is expected; secret values never appear in those lines.
 *
 * Each variable is declared once (`VARIABLES`): its schema, default, error wording and
 * documentation. docs/configuration.md is written from those declarations (`npm run docs:config`).
 */

export type Role = 'web' | 'worker' | 'all';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

interface SlackCommon {
  /** `xoxb-…` */
  readonly botToken: string;
  /** Web API base, always ending with `/` (Bolt's `clientOptions.slackApiUrl`). */
  readonly apiUrl: string;
}

/** Socket Mode when an app-level token is given; otherwise HTTP, which must verify signatures. */
export type SlackConfig =
  | (SlackCommon & {
      readonly mode: 'socket';
      readonly appToken: string;
      readonly signingSecret: string | undefined;
    })
  | (SlackCommon & {
      readonly mode: 'http';
      readonly appToken: undefined;
      readonly signingSecret: string;
    });

export interface Config {
  readonly slack: SlackConfig;
  readonly http: {
    readonly port: number;
    /** Slack requests one web process works on at once before it answers new commands "busy". */
    readonly maxInFlight: number;
    /** How long a modal's reads may take before a "loading" modal opens (ms). */
    readonly loadingViewAfterMs: number;
  };
  readonly redis: {
    readonly url: string;
    /** False when REDIS_URL was not set and the default is used. */
    readonly urlGiven: boolean;
    /** Store keys live under `<keyPrefix>:`. */
    readonly keyPrefix: string;
  };
  /** BullMQ's own `prefix`, kept apart from the store's. */
  readonly queue: { readonly prefix: string };
  /**
   * Folder for CertOps's local files, as given (relative to the working directory): the
   * embedded Redis (REDIS_URL unset, none answering) keeps its AOF in its `redis/` subfolder.
   */
  readonly dataDir: string;
  readonly approvals: {
    readonly approvers: readonly string[];
    readonly admins: readonly string[];
    readonly channel: string;
  };
  readonly support: { readonly channel: string };
  /** Slack user ID -> team; users not listed belong to team `default`. */
  readonly teams: { readonly memberOf: Readonly<Record<string, string>> };
  readonly calendar: {
    /** Canonical IANA name. */
    readonly timezone: string;
    /** `CN` or an ISO 3166 code, optionally `-subdivision`, upper case. */
    readonly region: string;
    readonly file: string | undefined;
  };
  readonly expiry: {
    /** Distinct, sorted descending. */
    readonly reminderDays: readonly number[];
    /** Daily check, local to `calendar.timezone`. */
    readonly checkTime: { readonly hour: number; readonly minute: number };
  };
  /** How long a worker holds a job before another may take it over (BullMQ lockDuration). */
  readonly jobs: {
    readonly lockSeconds: number;
    /** The longest pause between tries while Slack is unavailable (seconds). */
    readonly slackOutageMaxBackoffSeconds: number;
  };
  /** Certificate authorities: which brand goes where, and the providers' settings. */
  readonly ca: {
    /** Brand (as written) -> `manual` | `acme` | `alibaba-cas`; `*` for the rest. */
    readonly routes: Readonly<Record<string, string>>;
    readonly acme: AcmeConfig | undefined;
    readonly alibaba: AlibabaCasConfig | undefined;
  };
  readonly role: Role;
  readonly logLevel: LogLevel;
}

export interface AcmeConfig {
  readonly directoryUrl: string;
  readonly email: string | undefined;
  /** Account and certificate private keys live here (0600), never in Redis, Slack or logs. */
  readonly keyDir: string;
  readonly caFile: string | undefined;
  readonly dnsServers: readonly string[] | undefined;
}

export interface AlibabaCasConfig {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly endpoint: string;
  /** `specKey` (`brand/TYPE/domainType/grade`, brand and grade normalized) -> product code. */
  readonly productCodes: Readonly<Record<string, string>>;
}

export type ParseConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

export class ConfigError extends Error {
  readonly errors: readonly string[];

  constructor(errors: readonly string[]) {
    super(errors.join('\n'));
    this.name = 'ConfigError';
    this.errors = errors;
  }
}

const REDACTED = '***';

// Surrounding blanks are paste accidents (and CRLF files); blank means unset.
function blank(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Headings of docs/configuration.md, in its order; every variable belongs to one. */
export const CONFIG_SECTIONS = {
  slack: 'Slack',
  http: 'HTTP',
  redis: 'Redis and local files',
  people: 'People and channels',
  calendar: 'Calendar and expiry',
  jobs: 'Queue jobs',
  process: 'Process',
  ca: 'Certificate authorities',
} as const;

export type ConfigSection = keyof typeof CONFIG_SECTIONS;

/**
 * Everything about one variable, written once: how its value is read, and what the error lines,
 * docs/configuration.md and the tests say about it.
 */
interface Declaration<S extends z.ZodType> {
  readonly section: ConfigSection;
  /**
   * Reads the value: a trimmed, non-blank string, or `undefined` when unset (and no `default`).
   * Refusing `undefined` makes the variable required.
   */
  readonly schema: S;
  /** The value used when unset, written as one would set it: it is read like a given value. */
  readonly default?: string;
  /** What unset means when no single written value stands for it (Markdown, for the docs). */
  readonly unsetMeans?: string;
  /** The condition under which an otherwise optional variable is required (see crossChecks). */
  readonly requiredWhen?: string;
  /** The tail of every error line about it: `NAME is "value": expected <expected>`. */
  readonly expected: string;
  /** What it is for (Markdown, for docs/configuration.md). */
  readonly description: string;
  /** Never shown: error lines say "set (value hidden)", at most naming the kind of Slack token. */
  readonly secret?: true;
  /** How a value is shown in an error line, when parts of it are secret. */
  readonly redact?: (value: string) => string;
}

function variable<S extends z.ZodType>(declaration: Declaration<S>) {
  const fallback = declaration.default;
  return {
    ...declaration,
    /** The schema as applied to the environment's raw value. */
    read: z.preprocess((raw) => blank(raw) ?? fallback, declaration.schema),
  };
}

/** A whole number from `min` to `max` written in digits only (no sign, no exponent). */
function wholeNumber(min: number, max: number) {
  return z
    .string()
    .regex(new RegExp(`^\\d{1,${String(max).length}}$`))
    .transform(Number)
    .pipe(z.number().min(min).max(max));
}

const PREFIX = /^[A-Za-z0-9_-]{1,32}$/;
const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;

function userIds({ required }: { required: boolean }) {
  const list = z
    .string()
    .transform((raw) => raw.split(/[\s,]+/).filter((id) => id !== ''))
    .pipe(
      z.array(
        z.string().refine((id) => USER_ID.test(id), {
          error: (issue) => `${JSON.stringify(issue.input)} is not a user ID`,
        }),
      ),
    )
    .transform((ids) => [...new Set(ids)]);
  // `,` alone is set but lists nobody: say so with the value rather than as "missing".
  const nonEmpty = list.refine((ids) => ids.length > 0);
  return required ? nonEmpty : list.optional().transform((ids) => ids ?? []);
}

const TEAM_NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** `web=U1,U2; payments=U3`: who works in which team. Users not listed are in team `default`. */
function teams(raw: string, ctx: z.RefinementCtx): Readonly<Record<string, string>> {
  const memberOf: Record<string, string> = {};
  const problems: string[] = [];
  for (const entry of raw
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [name = '', members = '', ...extra] = entry.split('=').map((p) => p.trim());
    const team = name.toLowerCase();
    if (!TEAM_NAME.test(team) || extra.length > 0) {
      problems.push(`${JSON.stringify(entry)} is not team=members`);
      continue;
    }
    for (const id of members.split(/[\s,]+/).filter(Boolean)) {
      if (!USER_ID.test(id)) problems.push(`${JSON.stringify(id)} is not a user ID`);
      else if (memberOf[id] && memberOf[id] !== team)
        problems.push(`${id} is in ${memberOf[id]} and ${team}`);
      else memberOf[id] = team;
    }
  }
  if (problems.length > 0) {
    ctx.addIssue({ code: 'custom', message: problems.join('; ') });
    return z.NEVER;
  }
  return memberOf;
}

const CA_PROVIDERS = ['manual', 'acme', 'alibaba-cas'] as const;

/** `Let's Encrypt=acme; DigiCert=alibaba-cas; *=manual`: which CA takes which brand. */
function caRoutes(raw: string, ctx: z.RefinementCtx): Readonly<Record<string, string>> {
  const routes: Record<string, string> = {};
  const problems: string[] = [];
  for (const entry of raw
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const at = entry.lastIndexOf('=');
    const brand = entry.slice(0, at).trim();
    const provider = entry
      .slice(at + 1)
      .trim()
      .toLowerCase();
    if (at <= 0 || brand === '' || !(CA_PROVIDERS as readonly string[]).includes(provider)) {
      problems.push(`${JSON.stringify(entry)} is not brand=manual|acme|alibaba-cas`);
    } else routes[brand] = provider;
  }
  if (problems.length > 0) {
    ctx.addIssue({ code: 'custom', message: problems.join('; ') });
    return z.NEVER;
  }
  return routes;
}

/**
 * `DigiCert/OV/single/standard=digicert-ov-1-personal; ...`: the CAS product code per exact spec.
 * The grade is part of the spec (a standard and a pro package are different products), so a key
 * without one is refused rather than guessed.
 */
function productCodes(raw: string, ctx: z.RefinementCtx): Readonly<Record<string, string>> {
  const codes: Record<string, string> = {};
  const problems: string[] = [];
  for (const entry of raw
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match =
      /^([^/=]+)\/(DV|OV|EV)\/(single|multi|wildcard|multi_wildcard|hybrid)(?:\/([^/=]*))?\s*=\s*([a-z0-9-]{3,64})$/i.exec(
        entry,
      );
    if (!match) {
      problems.push(`${JSON.stringify(entry)} is not brand/type/domain type/grade=code`);
      continue;
    }
    const [, brand = '', type = '', domainType = '', grade = '', code = ''] = match;
    const spec = {
      brand: brand.trim(),
      validationType: type.toUpperCase() as ValidationType,
      domainType: domainType.toLowerCase() as DomainType,
      grade: grade.trim(),
    };
    const written = `${spec.brand}/${spec.validationType}/${spec.domainType}`;
    if (spec.grade === '') {
      problems.push(
        `${JSON.stringify(entry)} has no grade: add it, like ${written}/standard=${code}`,
      );
      continue;
    }
    const key = specKey(spec);
    const earlier = codes[key];
    if (earlier !== undefined && earlier !== code)
      problems.push(`${written}/${spec.grade} is given twice (${earlier} and ${code})`);
    codes[key] = code;
  }
  if (problems.length > 0) {
    ctx.addIssue({ code: 'custom', message: problems.join('; ') });
    return z.NEVER;
  }
  return codes;
}

/** An http(s) URL kept as given (no trailing slash added), without query or fragment. */
function httpUrlExact(raw: string, ctx: z.RefinementCtx): string {
  const url = tryUrl(raw);
  if (
    url === undefined ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    ctx.addIssue({ code: 'custom', message: '' });
    return z.NEVER;
  }
  return raw.replace(/\/+$/, '');
}

function httpUrl(raw: string, ctx: z.RefinementCtx): string {
  const url = tryUrl(raw);
  const web = url?.protocol === 'https:' || url?.protocol === 'http:';
  if (url === undefined || !web || url.search !== '' || url.hash !== '') {
    ctx.addIssue({ code: 'custom', message: '' });
    return z.NEVER;
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function redisUrl(raw: string, ctx: z.RefinementCtx): string {
  const url = tryUrl(raw);
  if (url === undefined || (url.protocol !== 'redis:' && url.protocol !== 'rediss:')) {
    ctx.addIssue({ code: 'custom', message: '' });
  } else if (url.hostname === '') {
    ctx.addIssue({ code: 'custom', message: 'no host' });
  } else if (!/^(\/\d*)?$/.test(url.pathname)) {
    ctx.addIssue({ code: 'custom', message: 'the path may only be a database number, like /0' });
  }
  return raw;
}

function tryUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

function timezone(raw: string, ctx: z.RefinementCtx): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: raw }).resolvedOptions().timeZone;
  } catch {
    ctx.addIssue({ code: 'custom', message: '' });
    return z.NEVER;
  }
}

// Codes Intl knows but ISO 3166-1 does not assign to a country.
const NOT_COUNTRIES: Readonly<Record<string, string>> = {
  UK: 'use GB for the United Kingdom',
  EU: 'not a country',
  EZ: 'not a country',
  UN: 'not a country',
  ZZ: 'not a country',
};

function region(raw: string, ctx: z.RefinementCtx): string {
  const code = raw.toUpperCase();
  const match = /^([A-Z]{2})(-[A-Z0-9]{1,3})?$/.exec(code);
  const country = match?.[1];
  if (country === undefined) {
    ctx.addIssue({ code: 'custom', message: '' });
    return z.NEVER;
  }
  const why = NOT_COUNTRIES[country];
  if (why !== undefined || !knownRegion(country)) {
    ctx.addIssue({ code: 'custom', message: why ?? `${country} is not a country code` });
    return z.NEVER;
  }
  return code;
}

function knownRegion(code: string): boolean {
  try {
    return (
      new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }).of(code) !== undefined
    );
  } catch {
    // A Node built without ICU data cannot tell; the calendar loader will.
    return true;
  }
}

function reminderDays(raw: string, ctx: z.RefinementCtx): number[] {
  const days: number[] = [];
  for (const item of raw.split(',').map((part) => part.trim())) {
    const day = /^\d{1,3}$/.test(item) ? Number(item) : Number.NaN;
    if (!(day >= 1 && day <= 365)) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(item)} is not a day count` });
    } else if (days.includes(day)) {
      ctx.addIssue({ code: 'custom', message: `${day} is listed twice` });
    } else {
      days.push(day);
    }
  }
  return days.sort((a, b) => b - a);
}

function checkTime(raw: string, ctx: z.RefinementCtx): { hour: number; minute: number } {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(raw);
  if (match === null) {
    ctx.addIssue({ code: 'custom', message: '' });
    return z.NEVER;
  }
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

const lowerEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(values));

// Control characters in a path are a paste accident, never a real file name.
const PATH = /^[^\p{Cc}]+$/u;

/**
 * Every variable CertOps reads, declared once. The order is the order of error lines (and of
 * `CONFIG_VARIABLES`); docs/configuration.md groups them by section.
 */
const VARIABLES = {
  SLACK_BOT_TOKEN: variable({
    section: 'slack',
    schema: z.string().regex(/^xoxb-[A-Za-z0-9-]+$/),
    expected: 'a bot token starting with xoxb-',
    description: 'Bot User OAuth Token, `xoxb-…` (**OAuth & Permissions**).',
    secret: true,
  }),
  SLACK_SIGNING_SECRET: variable({
    section: 'slack',
    schema: z
      .string()
      .regex(/^[A-Za-z0-9]{16,}$/)
      .optional(),
    requiredWhen: 'in HTTP mode',
    expected:
      "the app's signing secret (16 or more letters and digits, from Basic Information → App Credentials), required unless SLACK_APP_TOKEN is set",
    description:
      "Signing secret (16+ letters and digits, **Basic Information → App Credentials**) used to verify Slack's HTTP requests. Required unless `SLACK_APP_TOKEN` is set; harmless to set in Socket Mode.",
    secret: true,
  }),
  SLACK_APP_TOKEN: variable({
    section: 'slack',
    schema: z
      .string()
      .regex(/^xapp-[A-Za-z0-9-]+$/)
      .optional(),
    expected: 'an app-level token starting with xapp- (only for Socket Mode)',
    description:
      'App-level token, `xapp-…`, with `connections:write` (**Basic Information → App-Level Tokens**). When set, CertOps runs in Socket Mode (no public URL needed).',
    secret: true,
  }),
  SLACK_API_URL: variable({
    section: 'slack',
    schema: z.string().transform(httpUrl),
    default: 'https://slack.com/api/',
    expected:
      'an http(s) URL of the Slack Web API without query or fragment, like https://slack.com/api/',
    description:
      'Base URL of the Slack Web API (http or https; a missing trailing `/` is added). Change only for a proxy or test double.',
  }),
  PORT: variable({
    section: 'http',
    schema: wholeNumber(0, 65535),
    default: '3000',
    expected: 'a whole number from 0 to 65535 (0 picks a free port)',
    description:
      "HTTP port (0–65535; 0 picks a free one) for Slack's requests in HTTP mode and `GET /healthz`. With docker compose it is the host port; the container always listens on 3000.",
  }),
  CERTOPS_MAX_REQUESTS_IN_FLIGHT: variable({
    section: 'http',
    schema: wholeNumber(1, 10_000),
    default: '200',
    expected: 'a whole number from 1 to 10000',
    description:
      'Slack requests one web process works on at once (from Bolt taking one to its last listener finishing). Past it, a new `/cert` command is answered "busy, try again in a moment" at once and an event is dropped; clicks and modal submissions still go through (1–10000). HTTP mode.',
  }),
  CERTOPS_LOADING_VIEW_AFTER_MS: variable({
    section: 'http',
    schema: wholeNumber(0, 2500),
    default: '1000',
    expected: 'a whole number of milliseconds from 0 to 2500',
    description:
      'How long the reads behind a modal (apply, renew, combine) may take before a "loading" modal opens on the trigger at once and is filled in when they finish, so a slow moment never spends Slack\'s 3-second trigger (0–2500 ms).',
  }),
  REDIS_URL: variable({
    section: 'redis',
    schema: z.string().transform(redisUrl),
    default: 'redis://127.0.0.1:6379',
    expected: 'a redis:// or rediss:// URL with a host, like redis://127.0.0.1:6379',
    description:
      '`redis://` or `rediss://` URL, optionally with a password and a database number (`/0`), e.g. `redis://:password@redis.internal:6379/0`. Set it in production; `docker compose` sets it to its own Redis. When unset, CertOps uses a Redis answering at the default; if none answers, it starts an embedded one (see [Redis](operating.md#redis)).',
    redact: redactRedisUrl,
  }),
  CERTOPS_KEY_PREFIX: variable({
    section: 'redis',
    schema: z.string().regex(PREFIX),
    default: 'certops',
    expected: '1 to 32 letters, digits, _ or -',
    description:
      'Prefix of all store keys (`<prefix>:…`): 1–32 letters, digits, `_` or `-`. Lets several installations share one Redis.',
  }),
  CERTOPS_QUEUE_PREFIX: variable({
    section: 'redis',
    schema: z.string().regex(PREFIX),
    default: 'certops-queue',
    expected: '1 to 32 letters, digits, _ or -, different from CERTOPS_KEY_PREFIX',
    description:
      "BullMQ's prefix for queue keys; same pattern, must differ from `CERTOPS_KEY_PREFIX`.",
  }),
  CERTOPS_DATA_DIR: variable({
    section: 'redis',
    schema: z.string().regex(PATH),
    default: '.certops',
    expected:
      'a folder for local files, like .certops (the embedded Redis keeps its data in its redis/ subfolder)',
    description:
      'Folder for local files, relative to the working directory. The embedded Redis keeps its data (AOF) in its `redis/` subfolder (folder 0700); the try shell in `try/`; ACME keys in `acme-keys/` unless `CERTOPS_ACME_KEY_DIR` is set.',
  }),
  CERTOPS_APPROVERS: variable({
    section: 'people',
    schema: userIds({ required: true }),
    expected:
      'at least one Slack user ID (U… or W…, upper-case letters and digits), separated by commas or spaces',
    description:
      'Slack user IDs (`U…`/`W…`) who approve certificate requests, separated by commas or spaces; at least one. Duplicates are ignored.',
  }),
  CERTOPS_ADMINS: variable({
    section: 'people',
    schema: userIds({ required: false }),
    unsetMeans: 'none',
    expected:
      'Slack user IDs (U… or W…, upper-case letters and digits), separated by commas or spaces',
    description:
      "Slack user IDs who may also record purchases and the CA's answers (approvers always may). Same format.",
  }),
  CERTOPS_TEAMS: variable({
    section: 'people',
    schema: z.string().transform(teams).optional(),
    unsetMeans: 'everyone in `default`',
    expected:
      'teams and their members as team=U…,U…; another=U… (team names: lower-case letters, digits, _ or -; each user in one team)',
    description:
      'Who works in which team: `web=U…,U…; payments=U…` (team names are lower-cased; each user in one team). Certificates, contacts and hosting credits belong to teams; people not listed are in team `default`.',
  }),
  CERTOPS_APPROVAL_CHANNEL: variable({
    section: 'people',
    schema: z.string().regex(CHANNEL_ID),
    expected: 'a Slack channel ID (C… or G…, upper-case letters and digits), not a #name',
    description: 'Channel ID (`C…`/`G…`, not `#name`) where approval requests are posted.',
  }),
  CERTOPS_SUPPORT_CHANNEL: variable({
    section: 'people',
    schema: z.string().regex(CHANNEL_ID),
    expected: 'a Slack channel ID (C… or G…, upper-case letters and digits), not a #name',
    description: 'Channel ID for escalations to the support group.',
  }),
  CERTOPS_TIMEZONE: variable({
    section: 'calendar',
    schema: z.string().transform(timezone),
    default: 'Asia/Shanghai',
    expected: 'an IANA time zone, like Asia/Shanghai or Europe/Berlin',
    description:
      'IANA time zone for business days, deadlines (review SLAs) and the daily expiry check. Written in any case; read as its canonical name.',
  }),
  CERTOPS_BUSINESS_REGION: variable({
    section: 'calendar',
    schema: z.string().transform(region),
    default: 'CN',
    expected:
      'CN or another ISO 3166 country code, optionally with a subdivision, like US or DE-BY',
    description:
      'Whose public holidays count: `CN`, or an ISO 3166 country code with an optional subdivision (`US`, `DE-BY`).',
  }),
  CERTOPS_CALENDAR_FILE: variable({
    section: 'calendar',
    schema: z.string().regex(PATH).optional(),
    expected: 'a path to a JSON file of holiday and working-day overrides',
    description:
      'Path to a JSON file of holiday and working-day overrides (format: [Business days](domain.md#business-days)).',
  }),
  CERTOPS_ROLE: variable({
    section: 'process',
    schema: lowerEnum(['web', 'worker', 'all']),
    default: 'all',
    expected: 'web, worker or all',
    description:
      '`web` (Slack handlers, and notifications), `worker` (queue jobs) or `all` (both in one process). See [Roles](operating.md#roles).',
  }),
  CERTOPS_EXPIRY_REMINDER_DAYS: variable({
    section: 'calendar',
    schema: z.string().transform(reminderDays),
    default: '30,14,7,3,1',
    expected: 'a comma-separated list of distinct whole days from 1 to 365, like 30,14,7,3,1',
    description:
      'Days before expiry on which reminders go out: comma-separated, distinct, each 1–365.',
  }),
  CERTOPS_EXPIRY_CHECK_TIME: variable({
    section: 'calendar',
    schema: z.string().transform(checkTime),
    default: '09:00',
    expected: 'a 24-hour time HH:MM, like 09:00',
    description: 'Time of the daily expiry check, `HH:MM` 24-hour, in `CERTOPS_TIMEZONE`.',
  }),
  CERTOPS_JOB_LOCK_SECONDS: variable({
    section: 'jobs',
    schema: wholeNumber(1, 600),
    default: '30',
    expected: 'a whole number of seconds from 1 to 600',
    description:
      'How long a worker holds a job before another worker may take it over after a crash (1–600).',
  }),
  CERTOPS_SLACK_OUTAGE_MAX_BACKOFF_SECONDS: variable({
    section: 'jobs',
    schema: wholeNumber(1, 3600),
    default: '300',
    expected: 'a whole number of seconds from 1 to 3600',
    description:
      "Longest pause between tries while Slack's Web API is down or unreachable (5xx, timeouts, network errors), 1–3600. Messages wait in their queues meanwhile; none is given up for an outage.",
  }),
  CERTOPS_CA_ROUTES: variable({
    section: 'ca',
    schema: z.string().transform(caRoutes),
    default: '*=manual',
    expected:
      "brand=provider pairs separated by ;, providers manual, acme or alibaba-cas, * for every other brand (e.g. Let's Encrypt=acme; *=manual)",
    description:
      "Which CA takes which brand: `brand=provider` pairs separated by `;` (providers `manual`, `acme`, `alibaba-cas`; `*` for the rest), e.g. `Let's Encrypt=acme; DigiCert=alibaba-cas; *=manual`.",
  }),
  CERTOPS_ACME_DIRECTORY_URL: variable({
    section: 'ca',
    schema: z.string().transform(httpUrlExact).optional(),
    requiredWhen: 'for `acme`',
    expected:
      'the https URL of an ACME directory, like https://acme-v02.api.letsencrypt.org/directory',
    description:
      "ACME directory URL (Let's Encrypt, ZeroSSL, or a private ACME CA), e.g. `https://acme-v02.api.letsencrypt.org/directory`. Required when a route uses `acme`.",
  }),
  CERTOPS_ACME_EMAIL: variable({
    section: 'ca',
    schema: z.email().optional(),
    expected: 'an email address for the ACME account',
    description: 'Contact email of the ACME account.',
  }),
  CERTOPS_ACME_KEY_DIR: variable({
    section: 'ca',
    schema: z.string().regex(PATH).optional(),
    unsetMeans: '`<data dir>/acme-keys`',
    expected: 'a folder where CertOps keeps ACME account and certificate private keys',
    description:
      "Folder for the ACME account key and the certificates' private keys (files 0600); by default `acme-keys` in `CERTOPS_DATA_DIR`. Keys never go to Redis, Slack, job data or logs.",
  }),
  CERTOPS_ACME_CA_FILE: variable({
    section: 'ca',
    schema: z.string().regex(PATH).optional(),
    expected:
      'a path to a PEM file of CA certificates to trust for the ACME server (private or test CAs)',
    description:
      "PEM of CA certificates to trust for the ACME server's own TLS (private or test CAs such as pebble).",
  }),
  CERTOPS_ACME_DNS_SERVERS: variable({
    section: 'ca',
    schema: z
      .string()
      .transform((raw) => raw.split(/[\s,]+/).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[A-Za-z0-9.:[\]-]+$/)).min(1))
      .optional(),
    unsetMeans: 'system resolvers',
    expected:
      'DNS servers to check validation records with, as host or host:port separated by commas',
    description:
      'DNS servers (`host` or `host:port`, comma-separated) CertOps asks to check DNS-01 records before asking the CA.',
  }),
  ALIBABA_CLOUD_ACCESS_KEY_ID: variable({
    section: 'ca',
    schema: z
      .string()
      .regex(/^[A-Za-z0-9]{8,64}$/)
      .optional(),
    requiredWhen: 'for `alibaba-cas`',
    expected: 'an Alibaba Cloud AccessKey ID (needed when a route uses alibaba-cas)',
    description:
      'Alibaba Cloud AccessKey ID for Certificate Management Service (a RAM user allowed the `cas:` calls).',
    secret: true,
  }),
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: variable({
    section: 'ca',
    schema: z
      .string()
      .regex(/^[A-Za-z0-9]{8,128}$/)
      .optional(),
    requiredWhen: 'for `alibaba-cas`',
    expected: 'the AccessKey secret of ALIBABA_CLOUD_ACCESS_KEY_ID',
    description: 'Its AccessKey secret.',
    secret: true,
  }),
  CERTOPS_ALIBABA_ENDPOINT: variable({
    section: 'ca',
    schema: z.string().transform(httpUrlExact),
    default: 'https://cas.aliyuncs.com',
    expected: 'the CAS API endpoint as an http(s) URL, like https://cas.aliyuncs.com',
    description: 'The CAS API endpoint.',
  }),
  CERTOPS_ALIBABA_PRODUCT_CODES: variable({
    section: 'ca',
    schema: z.string().transform(productCodes).optional(),
    expected:
      'spec=product code pairs separated by ;, the spec as brand/type/domain type/grade, like DigiCert/OV/single/standard=digicert-ov-1-personal',
    description:
      'Product code per exact spec for submissions: `brand/type/domain type/grade=code` pairs separated by `;`, e.g. `DigiCert/OV/single/standard=digicert-ov-1-personal`. Brand and grade ignore case and spaces; a key without a grade is refused.',
  }),
  LOG_LEVEL: variable({
    section: 'process',
    schema: lowerEnum(['debug', 'info', 'warn', 'error']),
    default: 'info',
    expected: 'debug, info, warn or error',
    description: '`debug`, `info`, `warn` or `error`.',
  }),
};

type Variables = typeof VARIABLES;
type VariableName = keyof Variables;
type Values = { [Name in VariableName]: z.output<Variables[Name]['read']> };

/** Every variable CertOps reads, in declaration order (the order of error lines). */
export const CONFIG_VARIABLES = Object.keys(VARIABLES) as readonly VariableName[];

const KNOWN_CERTOPS = CONFIG_VARIABLES.filter((name) => name.startsWith('CERTOPS_'));

function isVariable(name: string): name is VariableName {
  return Object.hasOwn(VARIABLES, name);
}

/** What docs/configuration.md and .env.example must say about one variable. */
export interface VariableReference {
  readonly name: string;
  readonly section: ConfigSection;
  /** `yes`, `no`, or the condition under which it is (like `in HTTP mode`). */
  readonly required: string;
  /** The value used when unset, as written; absent when unset means no single value. */
  readonly default: string | undefined;
  /** Markdown: the default as the docs show it. */
  readonly defaultText: string;
  /** Markdown: what the variable is for. */
  readonly description: string;
  readonly secret: boolean;
}

/** The declarations as the documentation shows them, in declaration order. */
export function configReference(): readonly VariableReference[] {
  return CONFIG_VARIABLES.map((name) => {
    const declared: Declaration<z.ZodType> & { read: z.ZodType } = VARIABLES[name];
    // Required is what the schema does with an unset value, so the docs cannot drift from it.
    const required = !declared.read.safeParse(undefined).success;
    return {
      name,
      section: declared.section,
      required: required ? 'yes' : (declared.requiredWhen ?? 'no'),
      default: declared.default,
      defaultText:
        declared.default !== undefined ? `\`${declared.default}\`` : (declared.unsetMeans ?? '–'),
      description: declared.description,
      secret: declared.secret === true,
    };
  });
}

interface CrossIssue {
  readonly name: VariableName;
  readonly message: string;
}

/**
 * Rules across variables, on the values that were read. A rule whose variables failed to read
 * says nothing: their own error lines already stand. `given` holds the variables that were set,
 * as opposed to filled in by their default.
 */
function crossChecks(values: Partial<Values>, given: ReadonlySet<VariableName>): CrossIssue[] {
  const issues: CrossIssue[] = [];
  const read = (...names: VariableName[]) => names.every((name) => Object.hasOwn(values, name));
  // HTTP mode verifies every request's signature; Socket Mode has no requests to verify.
  if (
    read('SLACK_APP_TOKEN', 'SLACK_SIGNING_SECRET') &&
    values.SLACK_APP_TOKEN === undefined &&
    values.SLACK_SIGNING_SECRET === undefined
  ) {
    issues.push({ name: 'SLACK_SIGNING_SECRET', message: '' });
  }
  if (
    read('CERTOPS_KEY_PREFIX', 'CERTOPS_QUEUE_PREFIX') &&
    values.CERTOPS_KEY_PREFIX === values.CERTOPS_QUEUE_PREFIX
  ) {
    const keySet = given.has('CERTOPS_KEY_PREFIX');
    const queueSet = given.has('CERTOPS_QUEUE_PREFIX');
    // Blame the one that was set, so the line shows a value rather than "missing".
    issues.push({
      name: queueSet || !keySet ? 'CERTOPS_QUEUE_PREFIX' : 'CERTOPS_KEY_PREFIX',
      message: !queueSet
        ? 'it equals the default CERTOPS_QUEUE_PREFIX'
        : keySet
          ? 'CERTOPS_KEY_PREFIX is the same'
          : 'it equals the default CERTOPS_KEY_PREFIX',
    });
  }
  // A route to a CA that is not configured would fail the first application sent there.
  const providers = read('CERTOPS_CA_ROUTES') ? Object.values(values.CERTOPS_CA_ROUTES ?? {}) : [];
  if (
    providers.includes('acme') &&
    read('CERTOPS_ACME_DIRECTORY_URL') &&
    values.CERTOPS_ACME_DIRECTORY_URL === undefined
  ) {
    issues.push({ name: 'CERTOPS_ACME_DIRECTORY_URL', message: '' });
  }
  if (providers.includes('alibaba-cas')) {
    for (const name of [
      'ALIBABA_CLOUD_ACCESS_KEY_ID',
      'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    ] as const) {
      if (read(name) && values[name] === undefined) issues.push({ name, message: '' });
    }
  }
  return issues;
}

function toConfig(values: Values, given: ReadonlySet<VariableName>): Config {
  const common = { botToken: values.SLACK_BOT_TOKEN, apiUrl: values.SLACK_API_URL };
  // The cross checks guarantee a signing secret whenever there is no app token.
  const slack: SlackConfig =
    values.SLACK_APP_TOKEN !== undefined
      ? {
          ...common,
          mode: 'socket',
          appToken: values.SLACK_APP_TOKEN,
          signingSecret: values.SLACK_SIGNING_SECRET,
        }
      : {
          ...common,
          mode: 'http',
          appToken: undefined,
          signingSecret: values.SLACK_SIGNING_SECRET ?? '',
        };
  return {
    slack,
    http: {
      port: values.PORT,
      maxInFlight: values.CERTOPS_MAX_REQUESTS_IN_FLIGHT,
      loadingViewAfterMs: values.CERTOPS_LOADING_VIEW_AFTER_MS,
    },
    redis: {
      url: values.REDIS_URL,
      urlGiven: given.has('REDIS_URL'),
      keyPrefix: values.CERTOPS_KEY_PREFIX,
    },
    queue: { prefix: values.CERTOPS_QUEUE_PREFIX },
    dataDir: values.CERTOPS_DATA_DIR,
    approvals: {
      approvers: values.CERTOPS_APPROVERS,
      admins: values.CERTOPS_ADMINS,
      channel: values.CERTOPS_APPROVAL_CHANNEL,
    },
    teams: { memberOf: values.CERTOPS_TEAMS ?? {} },
    support: { channel: values.CERTOPS_SUPPORT_CHANNEL },
    calendar: {
      timezone: values.CERTOPS_TIMEZONE,
      region: values.CERTOPS_BUSINESS_REGION,
      file: values.CERTOPS_CALENDAR_FILE,
    },
    expiry: {
      reminderDays: values.CERTOPS_EXPIRY_REMINDER_DAYS,
      checkTime: values.CERTOPS_EXPIRY_CHECK_TIME,
    },
    jobs: {
      lockSeconds: values.CERTOPS_JOB_LOCK_SECONDS,
      slackOutageMaxBackoffSeconds: values.CERTOPS_SLACK_OUTAGE_MAX_BACKOFF_SECONDS,
    },
    ca: {
      routes: values.CERTOPS_CA_ROUTES,
      acme: values.CERTOPS_ACME_DIRECTORY_URL
        ? {
            directoryUrl: values.CERTOPS_ACME_DIRECTORY_URL,
            email: values.CERTOPS_ACME_EMAIL,
            keyDir: values.CERTOPS_ACME_KEY_DIR ?? join(values.CERTOPS_DATA_DIR, 'acme-keys'),
            caFile: values.CERTOPS_ACME_CA_FILE,
            dnsServers: values.CERTOPS_ACME_DNS_SERVERS,
          }
        : undefined,
      alibaba:
        values.ALIBABA_CLOUD_ACCESS_KEY_ID && values.ALIBABA_CLOUD_ACCESS_KEY_SECRET
          ? {
              accessKeyId: values.ALIBABA_CLOUD_ACCESS_KEY_ID,
              accessKeySecret: values.ALIBABA_CLOUD_ACCESS_KEY_SECRET,
              endpoint: values.CERTOPS_ALIBABA_ENDPOINT,
              productCodes: values.CERTOPS_ALIBABA_PRODUCT_CODES ?? {},
            }
          : undefined,
    },
    role: values.CERTOPS_ROLE,
    logLevel: values.LOG_LEVEL,
  };
}

/** Validates an environment without touching the process: every problem, one line each. */
export function parseConfig(env: Record<string, string | undefined>): ParseConfigResult {
  // Messages are written below, from the variable's name; zod's own wording is not used.
  const noWording = { error: () => '' };
  const details = new Map<string, string[]>();
  const report = (name: string, message: string) => {
    const list = details.get(name) ?? [];
    if (message !== '' && !list.includes(message)) list.push(message);
    details.set(name, list);
  };

  const values: Partial<Record<VariableName, unknown>> = {};
  for (const name of CONFIG_VARIABLES) {
    const result = VARIABLES[name].read.safeParse(env[name], noWording);
    if (result.success) values[name] = result.data;
    else for (const issue of result.error.issues) report(name, issue.message);
  }
  const given = new Set(CONFIG_VARIABLES.filter((name) => blank(env[name]) !== undefined));
  // Each value has its declared schema's output type; the loop above cannot say so per name.
  const read = values as Partial<Values>;
  for (const { name, message } of crossChecks(read, given)) report(name, message);
  // A misspelt setting would otherwise be ignored without a word.
  for (const name of Object.keys(env)) {
    if (name.startsWith('CERTOPS_') && !isVariable(name) && blank(env[name]) !== undefined)
      report(name, unknownSetting(name));
  }
  if (details.size === 0) return { ok: true, config: toConfig(read as Values, given) };

  const order = (name: string) =>
    isVariable(name) ? CONFIG_VARIABLES.indexOf(name) : CONFIG_VARIABLES.length;
  const errors = [...details.keys()]
    .sort((a, b) => order(a) - order(b))
    .map((name) => errorLine(name, env[name], details.get(name) ?? []));
  return { ok: false, errors };
}

function errorLine(name: string, value: string | undefined, details: readonly string[]): string {
  if (!isVariable(name)) return details.join('; ');
  const { expected } = VARIABLES[name];
  const trimmed = blank(value);
  if (typeof trimmed !== 'string') return `${name} is missing: expected ${expected}`;
  const because = details.length > 0 ? ` (${details.join('; ')})` : '';
  return `${name} is ${shown(name, trimmed)}: expected ${expected}${because}`;
}

function shown(name: VariableName, value: string): string {
  const declared: Declaration<z.ZodType> = VARIABLES[name];
  if (declared.secret) {
    // The kind of Slack token is not secret and explains the usual mix-up (xapp- in the bot slot).
    const kind = /^(xox[a-z]|xapp)-/.exec(value)?.[1];
    return kind === undefined
      ? 'set (value hidden)'
      : `a token starting with ${kind}- (value hidden)`;
  }
  const safe = declared.redact ? declared.redact(value) : value;
  const short = safe.length > 80 ? `${safe.slice(0, 77)}...` : safe;
  return JSON.stringify(short);
}

/**
 * The URL with its password replaced by `***`. Works on the raw text, so it also hides the
 * password of a URL too broken to parse; everything between `//` and the last `@` counts as
 * credentials, and a lone user part is hidden too because it is usually a misplaced password.
 */
export function redactRedisUrl(url: string): string {
  let out = url.replace(/([?&](?:password|pass|pwd)=)[^&#]*/gi, `$1${REDACTED}`);
  const start = out.indexOf('//');
  const at = out.lastIndexOf('@');
  if (start !== -1 && at > start) {
    const userinfo = out.slice(start + 2, at);
    const colon = userinfo.indexOf(':');
    const user = colon === -1 ? REDACTED : `${userinfo.slice(0, colon)}:${REDACTED}`;
    out = `${out.slice(0, start + 2)}${user}${out.slice(at)}`;
  }
  return out;
}

function unknownSetting(name: string): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const known of KNOWN_CERTOPS) {
    const distance = editDistance(name, known);
    if (distance < bestDistance) {
      best = known;
      bestDistance = distance;
    }
  }
  // Close enough to be a typo: one edit per four letters after CERTOPS_, at least one, at most three.
  const limit = Math.min(3, Math.max(1, Math.floor((name.length - 'CERTOPS_'.length) / 4)));
  return best !== undefined && bestDistance <= limit
    ? `${name} is not a known setting; did you mean ${best}?`
    : `${name} is not a known setting; the CERTOPS_ settings are listed in README.md (Configuration)`;
}

/** Levenshtein distance, case-insensitive (env names are conventionally upper case). */
function editDistance(a: string, b: string): number {
  const s = a.toUpperCase();
  const t = b.toUpperCase();
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (s[i - 1] === t[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[t.length] ?? 0;
}

/**
 * Reads `.env` (when the file exists; variables already set win, as with `node --env-file`),
 * validates, and throws a ConfigError listing every problem. With `options.env` the given object
 * is read and neither it nor `process.env` is changed; without it `.env` goes into `process.env`.
 */
export function loadConfig(options: { envFile?: string; env?: NodeJS.ProcessEnv } = {}): Config {
  const envFile = options.envFile ?? '.env';
  let env: Record<string, string | undefined> = options.env ?? process.env;
  if (existsSync(envFile)) {
    try {
      if (options.env === undefined) {
        process.loadEnvFile(envFile);
      } else {
        const fromFile = parseEnv(readFileSync(envFile, 'utf8'));
        const given = Object.entries(options.env).filter(([, value]) => value !== undefined);
        env = { ...fromFile, ...Object.fromEntries(given) };
      }
    } catch (error) {
      // Only the code: the file holds secrets, and some errors quote what they read.
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError([`${envFile} could not be read (${code})`]);
    }
  }
  const result = parseConfig(env);
  if (!result.ok) throw new ConfigError(result.errors);
  return result.config;
}

/** A copy safe to log: tokens, signing secret and the Redis password become `***`. */
export function redactConfig(config: Config): Config {
  const hide = (secret: string | undefined) => (secret === undefined ? undefined : REDACTED);
  const slack: SlackConfig =
    config.slack.mode === 'socket'
      ? {
          ...config.slack,
          botToken: REDACTED,
          appToken: REDACTED,
          signingSecret: hide(config.slack.signingSecret),
        }
      : { ...config.slack, botToken: REDACTED, signingSecret: REDACTED };
  const alibaba = config.ca.alibaba && {
    ...config.ca.alibaba,
    accessKeyId: REDACTED,
    accessKeySecret: REDACTED,
  };
  return {
    ...config,
    slack,
    redis: { ...config.redis, url: redactRedisUrl(config.redis.url) },
    ca: { ...config.ca, alibaba },
  };
}
