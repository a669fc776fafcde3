import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { type DomainType, specKey, type ValidationType } from './domain/spec.js';

/**
 * The one place that reads configuration: environment variables (plus an optional `.env`),
 * validated with zod and turned into a typed, grouped `Config`. Every problem becomes one line
 * naming the variable and what is expected; secret values never appear in those lines.
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

/** What each variable must look like: the tail of every error line about it. */
const EXPECTED = {
  SLACK_BOT_TOKEN: 'a bot token starting with xoxb-',
  SLACK_SIGNING_SECRET:
    "the app's signing secret (16 or more letters and digits, from Basic Information → App Credentials), required unless SLACK_APP_TOKEN is set",
  SLACK_APP_TOKEN: 'an app-level token starting with xapp- (only for Socket Mode)',
  SLACK_API_URL:
    'an http(s) URL of the Slack Web API without query or fragment, like https://slack.com/api/',
  PORT: 'a whole number from 0 to 65535 (0 picks a free port)',
  CERTOPS_MAX_REQUESTS_IN_FLIGHT: 'a whole number from 1 to 10000',
  CERTOPS_LOADING_VIEW_AFTER_MS: 'a whole number of milliseconds from 0 to 2500',
  REDIS_URL: 'a redis:// or rediss:// URL with a host, like redis://127.0.0.1:6379',
  CERTOPS_KEY_PREFIX: '1 to 32 letters, digits, _ or -',
  CERTOPS_QUEUE_PREFIX: '1 to 32 letters, digits, _ or -, different from CERTOPS_KEY_PREFIX',
  CERTOPS_DATA_DIR:
    'a folder for local files, like .certops (the embedded Redis keeps its data in its redis/ subfolder)',
  CERTOPS_APPROVERS:
    'at least one Slack user ID (U… or W…, upper-case letters and digits), separated by commas or spaces',
  CERTOPS_ADMINS:
    'Slack user IDs (U… or W…, upper-case letters and digits), separated by commas or spaces',
  CERTOPS_TEAMS:
    'teams and their members as team=U…,U…; another=U… (team names: lower-case letters, digits, _ or -; each user in one team)',
  CERTOPS_APPROVAL_CHANNEL:
    'a Slack channel ID (C… or G…, upper-case letters and digits), not a #name',
  CERTOPS_SUPPORT_CHANNEL:
    'a Slack channel ID (C… or G…, upper-case letters and digits), not a #name',
  CERTOPS_TIMEZONE: 'an IANA time zone, like Asia/Shanghai or Europe/Berlin',
  CERTOPS_BUSINESS_REGION:
    'CN or another ISO 3166 country code, optionally with a subdivision, like US or DE-BY',
  CERTOPS_CALENDAR_FILE: 'a path to a JSON file of holiday and working-day overrides',
  CERTOPS_ROLE: 'web, worker or all',
  CERTOPS_EXPIRY_REMINDER_DAYS:
    'a comma-separated list of distinct whole days from 1 to 365, like 30,14,7,3,1',
  CERTOPS_EXPIRY_CHECK_TIME: 'a 24-hour time HH:MM, like 09:00',
  CERTOPS_JOB_LOCK_SECONDS: 'a whole number of seconds from 1 to 600',
  CERTOPS_SLACK_OUTAGE_MAX_BACKOFF_SECONDS: 'a whole number of seconds from 1 to 3600',
  CERTOPS_CA_ROUTES:
    "brand=provider pairs separated by ;, providers manual, acme or alibaba-cas, * for every other brand (e.g. Let's Encrypt=acme; *=manual)",
  CERTOPS_ACME_DIRECTORY_URL:
    'the https URL of an ACME directory, like https://acme-v02.api.letsencrypt.org/directory',
  CERTOPS_ACME_EMAIL: 'an email address for the ACME account',
  CERTOPS_ACME_KEY_DIR: 'a folder where CertOps keeps ACME account and certificate private keys',
  CERTOPS_ACME_CA_FILE:
    'a path to a PEM file of CA certificates to trust for the ACME server (private or test CAs)',
  CERTOPS_ACME_DNS_SERVERS:
    'DNS servers to check validation records with, as host or host:port separated by commas',
  ALIBABA_CLOUD_ACCESS_KEY_ID:
    'an Alibaba Cloud AccessKey ID (needed when a route uses alibaba-cas)',
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'the AccessKey secret of ALIBABA_CLOUD_ACCESS_KEY_ID',
  CERTOPS_ALIBABA_ENDPOINT: 'the CAS API endpoint as an http(s) URL, like https://cas.aliyuncs.com',
  CERTOPS_ALIBABA_PRODUCT_CODES:
    'spec=product code pairs separated by ;, the spec as brand/type/domain type/grade, like DigiCert/OV/single/standard=digicert-ov-1-personal',
  LOG_LEVEL: 'debug, info, warn or error',
} as const;

type VariableName = keyof typeof EXPECTED;

/** Every variable CertOps reads, in README order. */
export const CONFIG_VARIABLES = Object.keys(EXPECTED) as readonly VariableName[];

const KNOWN_CERTOPS = CONFIG_VARIABLES.filter((name) => name.startsWith('CERTOPS_'));

/** Shown as a placeholder only: their values never reach an error line or a log. */
const SECRETS: ReadonlySet<string> = new Set([
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'ALIBABA_CLOUD_ACCESS_KEY_ID',
  'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
]);

const REDACTED = '***';

const DEFAULTS = {
  SLACK_API_URL: 'https://slack.com/api/',
  REDIS_URL: 'redis://127.0.0.1:6379',
  CERTOPS_KEY_PREFIX: 'certops',
  CERTOPS_QUEUE_PREFIX: 'certops-queue',
} as const;

// Surrounding blanks are paste accidents (and CRLF files); blank means unset.
function blank(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function setting<T extends z.ZodType>(schema: T) {
  return z.preprocess(blank, schema);
}

/** A whole number from `min` to `max` written in digits only (no sign, no exponent). */
function wholeNumber(min: number, max: number, fallback: number) {
  return setting(
    z
      .string()
      .regex(new RegExp(`^\\d{1,${String(max).length}}$`))
      .transform(Number)
      .pipe(z.number().min(min).max(max))
      .default(fallback),
  );
}

const PREFIX = /^[A-Za-z0-9_-]{1,32}$/;
const USER_ID = /^[UW][A-Z0-9]{2,}$/;
const CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;

function userIds(required: boolean) {
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
  return required ? setting(nonEmpty) : setting(list.optional()).transform((ids) => ids ?? []);
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

const schema = z.object({
  SLACK_BOT_TOKEN: setting(z.string().regex(/^xoxb-[A-Za-z0-9-]+$/)),
  SLACK_SIGNING_SECRET: setting(
    z
      .string()
      .regex(/^[A-Za-z0-9]{16,}$/)
      .optional(),
  ),
  SLACK_APP_TOKEN: setting(
    z
      .string()
      .regex(/^xapp-[A-Za-z0-9-]+$/)
      .optional(),
  ),
  SLACK_API_URL: setting(z.string().default(DEFAULTS.SLACK_API_URL).transform(httpUrl)),
  PORT: wholeNumber(0, 65535, 3000),
  CERTOPS_MAX_REQUESTS_IN_FLIGHT: wholeNumber(1, 10_000, 200),
  CERTOPS_LOADING_VIEW_AFTER_MS: wholeNumber(0, 2500, 1000),
  REDIS_URL: setting(z.string().transform(redisUrl).optional()),
  CERTOPS_KEY_PREFIX: setting(z.string().regex(PREFIX).default(DEFAULTS.CERTOPS_KEY_PREFIX)),
  CERTOPS_QUEUE_PREFIX: setting(z.string().regex(PREFIX).default(DEFAULTS.CERTOPS_QUEUE_PREFIX)),
  CERTOPS_DATA_DIR: setting(
    z
      .string()
      .regex(/^[^\p{Cc}]+$/u)
      .default('.certops'),
  ),
  CERTOPS_APPROVERS: userIds(true),
  CERTOPS_ADMINS: userIds(false),
  CERTOPS_TEAMS: setting(z.string().transform(teams).optional()),
  CERTOPS_APPROVAL_CHANNEL: setting(z.string().regex(CHANNEL_ID)),
  CERTOPS_SUPPORT_CHANNEL: setting(z.string().regex(CHANNEL_ID)),
  CERTOPS_TIMEZONE: setting(z.string().default('Asia/Shanghai').transform(timezone)),
  CERTOPS_BUSINESS_REGION: setting(z.string().default('CN').transform(region)),
  // Control characters in a path are a paste accident, never a real file name.
  CERTOPS_CALENDAR_FILE: setting(
    z
      .string()
      .regex(/^[^\p{Cc}]+$/u)
      .optional(),
  ),
  CERTOPS_ROLE: setting(lowerEnum(['web', 'worker', 'all']).default('all')),
  CERTOPS_EXPIRY_REMINDER_DAYS: setting(z.string().default('30,14,7,3,1').transform(reminderDays)),
  CERTOPS_EXPIRY_CHECK_TIME: setting(z.string().default('09:00').transform(checkTime)),
  CERTOPS_CA_ROUTES: setting(z.string().default('*=manual').transform(caRoutes)),
  CERTOPS_ACME_DIRECTORY_URL: setting(z.string().transform(httpUrlExact).optional()),
  CERTOPS_ACME_EMAIL: setting(z.email().optional()),
  // Default: `acme-keys` in CERTOPS_DATA_DIR (set below, where that is known).
  CERTOPS_ACME_KEY_DIR: setting(
    z
      .string()
      .regex(/^[^\p{Cc}]+$/u)
      .optional(),
  ),
  CERTOPS_ACME_CA_FILE: setting(
    z
      .string()
      .regex(/^[^\p{Cc}]+$/u)
      .optional(),
  ),
  CERTOPS_ACME_DNS_SERVERS: setting(
    z
      .string()
      .transform((raw) => raw.split(/[\s,]+/).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[A-Za-z0-9.:[\]-]+$/)).min(1))
      .optional(),
  ),
  ALIBABA_CLOUD_ACCESS_KEY_ID: setting(
    z
      .string()
      .regex(/^[A-Za-z0-9]{8,64}$/)
      .optional(),
  ),
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: setting(
    z
      .string()
      .regex(/^[A-Za-z0-9]{8,128}$/)
      .optional(),
  ),
  CERTOPS_ALIBABA_ENDPOINT: setting(
    z.string().default('https://cas.aliyuncs.com').transform(httpUrlExact),
  ),
  CERTOPS_ALIBABA_PRODUCT_CODES: setting(z.string().transform(productCodes).optional()),
  CERTOPS_JOB_LOCK_SECONDS: wholeNumber(1, 600, 30),
  CERTOPS_SLACK_OUTAGE_MAX_BACKOFF_SECONDS: wholeNumber(1, 3600, 300),
  LOG_LEVEL: setting(lowerEnum(['debug', 'info', 'warn', 'error']).default('info')),
});

/** Rules across variables, on the raw environment so they run even when single variables fail. */
const crossChecks = z.record(z.string(), z.string().optional()).superRefine((values, ctx) => {
  const raw = (name: string) => blank(values[name]);
  // HTTP mode verifies every request's signature; Socket Mode has no requests to verify.
  if (raw('SLACK_APP_TOKEN') === undefined && raw('SLACK_SIGNING_SECRET') === undefined) {
    ctx.addIssue({ code: 'custom', message: '', path: ['SLACK_SIGNING_SECRET'] });
  }
  const keySet = raw('CERTOPS_KEY_PREFIX') !== undefined;
  const queueSet = raw('CERTOPS_QUEUE_PREFIX') !== undefined;
  if (
    (raw('CERTOPS_KEY_PREFIX') ?? DEFAULTS.CERTOPS_KEY_PREFIX) ===
    (raw('CERTOPS_QUEUE_PREFIX') ?? DEFAULTS.CERTOPS_QUEUE_PREFIX)
  ) {
    // Blame the one that was set, so the line shows a value rather than "missing".
    ctx.addIssue({
      code: 'custom',
      message: !queueSet
        ? 'it equals the default CERTOPS_QUEUE_PREFIX'
        : keySet
          ? 'CERTOPS_KEY_PREFIX is the same'
          : 'it equals the default CERTOPS_KEY_PREFIX',
      path: [queueSet || !keySet ? 'CERTOPS_QUEUE_PREFIX' : 'CERTOPS_KEY_PREFIX'],
    });
  }
  // A route to a CA that is not configured would fail the first application sent there.
  const routes = String(raw('CERTOPS_CA_ROUTES') ?? '');
  if (/=\s*acme\s*(;|$)/i.test(routes) && raw('CERTOPS_ACME_DIRECTORY_URL') === undefined) {
    ctx.addIssue({ code: 'custom', message: '', path: ['CERTOPS_ACME_DIRECTORY_URL'] });
  }
  if (/=\s*alibaba-cas\s*(;|$)/i.test(routes)) {
    for (const name of ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET']) {
      if (raw(name) === undefined) ctx.addIssue({ code: 'custom', message: '', path: [name] });
    }
  }
  for (const name of Object.keys(values)) {
    if (!name.startsWith('CERTOPS_') || Object.hasOwn(EXPECTED, name) || raw(name) === undefined)
      continue;
    ctx.addIssue({ code: 'custom', message: unknownSetting(name), path: [name] });
  }
});

type Parsed = z.output<typeof schema>;

function toConfig(values: Parsed): Config {
  const common = { botToken: values.SLACK_BOT_TOKEN, apiUrl: values.SLACK_API_URL };
  // The refinement guarantees a signing secret whenever there is no app token.
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
      url: values.REDIS_URL ?? DEFAULTS.REDIS_URL,
      urlGiven: values.REDIS_URL !== undefined,
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
  // A plain copy: process.env is an exotic object that zod's record check refuses.
  const input = { ...env };
  const result = schema.safeParse(input, noWording);
  const cross = crossChecks.safeParse(input, noWording);
  if (result.success && cross.success) return { ok: true, config: toConfig(result.data) };

  const issues = [...(result.error?.issues ?? []), ...(cross.error?.issues ?? [])];
  const details = new Map<string, string[]>();
  for (const issue of issues) {
    const name = String(issue.path[0] ?? '');
    const list = details.get(name) ?? [];
    if (issue.message !== '' && !list.includes(issue.message)) list.push(issue.message);
    details.set(name, list);
  }
  const order = (name: string) => {
    const index = CONFIG_VARIABLES.indexOf(name as VariableName);
    return index === -1 ? CONFIG_VARIABLES.length : index;
  };
  const errors = [...details.keys()]
    .sort((a, b) => order(a) - order(b))
    .map((name) => errorLine(name, env[name], details.get(name) ?? []));
  return { ok: false, errors };
}

function errorLine(name: string, value: string | undefined, details: readonly string[]): string {
  if (!Object.hasOwn(EXPECTED, name)) return details.join('; ');
  const expected = EXPECTED[name as VariableName];
  const trimmed = blank(value);
  if (typeof trimmed !== 'string') return `${name} is missing: expected ${expected}`;
  const because = details.length > 0 ? ` (${details.join('; ')})` : '';
  return `${name} is ${shown(name, trimmed)}: expected ${expected}${because}`;
}

function shown(name: string, value: string): string {
  if (SECRETS.has(name)) {
    // The kind of Slack token is not secret and explains the usual mix-up (xapp- in the bot slot).
    const kind = /^(xox[a-z]|xapp)-/.exec(value)?.[1];
    return kind === undefined
      ? 'set (value hidden)'
      : `a token starting with ${kind}- (value hidden)`;
  }
  const safe = name === 'REDIS_URL' ? redactRedisUrl(value) : value;
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
